// An in-test OTLP/HTTP receiver: collects the spans exporters POST to
// /v1/traces, decoding JSON bodies and protobuf ones (with the OpenTelemetry
// packages' own protobuf reader, over the field numbers of
// opentelemetry/proto/trace/v1/trace.proto).
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ProtobufReader } = require('@opentelemetry/otlp-transformer/build/src/common/protobuf/protobuf-reader.js') as {
  ProtobufReader: new (b: Uint8Array) => { isAtEnd(): boolean; readTag(): { fieldNumber: number; wireType: number }; readVarint(): number; readBytes(): Uint8Array; readString(): string; skip(w: number): void; pos: number };
};

export interface RSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  service?: string;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Reads a message's fields: `on(field, wireType, reader)` must consume the field or return false to skip it. */
function fields(buf: Uint8Array, on: (f: number, r: InstanceType<typeof ProtobufReader>, w: number) => boolean): void {
  const r = new ProtobufReader(buf);
  while (!r.isAtEnd()) {
    const { fieldNumber, wireType } = r.readTag();
    if (!on(fieldNumber, r, wireType)) r.skip(wireType);
  }
}

function anyValue(buf: Uint8Array): unknown {
  let v: unknown;
  fields(buf, (f, r, w) => {
    if (f === 1 && w === 2) v = r.readString();
    else if (f === 2 && w === 0) v = r.readVarint() !== 0;
    else if (f === 3 && w === 0) v = r.readVarint();
    else if (f === 5 && w === 2) {
      const out: unknown[] = [];
      fields(r.readBytes(), (g, rr) => (g === 1 ? (out.push(anyValue(rr.readBytes())), true) : false));
      v = out;
    } else return false;
    return true;
  });
  return v;
}

function keyValues(into: Record<string, unknown>, buf: Uint8Array): void {
  let k = '';
  let v: unknown;
  fields(buf, (f, r) => (f === 1 ? ((k = r.readString()), true) : f === 2 ? ((v = anyValue(r.readBytes())), true) : false));
  into[k] = v;
}

/** ExportTraceServiceRequest (protobuf) -> spans. */
export function decodeProtobuf(body: Uint8Array): RSpan[] {
  const spans: RSpan[] = [];
  fields(body, (f, r) => {
    if (f !== 1) return false; // resource_spans
    const res: Record<string, unknown> = {};
    const mine: RSpan[] = [];
    fields(r.readBytes(), (g, rr) => {
      if (g === 1) fields(rr.readBytes(), (h, r3) => (h === 1 ? (keyValues(res, r3.readBytes()), true) : false));
      else if (g === 2) {
        fields(rr.readBytes(), (h, r3) => {
          if (h !== 2) return false; // spans
          const s: RSpan = { traceId: '', spanId: '', parentSpanId: '', name: '', kind: 0, attributes: {} };
          fields(r3.readBytes(), (i, r4) => {
            if (i === 1) s.traceId = hex(r4.readBytes());
            else if (i === 2) s.spanId = hex(r4.readBytes());
            else if (i === 4) s.parentSpanId = hex(r4.readBytes());
            else if (i === 5) s.name = r4.readString();
            else if (i === 6) s.kind = r4.readVarint();
            else if (i === 9) keyValues(s.attributes, r4.readBytes());
            else return false;
            return true;
          });
          mine.push(s);
          return true;
        });
      } else return false;
      return true;
    });
    for (const s of mine) spans.push({ ...s, service: res['service.name'] as string });
    return true;
  });
  return spans;
}

const jsonValue = (v: Record<string, any>): unknown =>
  v.stringValue ?? v.boolValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? (v.arrayValue ? (v.arrayValue.values ?? []).map(jsonValue) : undefined);

/** ExportTraceServiceRequest (OTLP/JSON: ids in hex) -> spans. */
export function decodeJson(body: any): RSpan[] {
  const spans: RSpan[] = [];
  for (const rs of body.resourceSpans ?? []) {
    const service = (rs.resource?.attributes ?? []).find((a: any) => a.key === 'service.name')?.value?.stringValue;
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        spans.push({
          traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', name: s.name, kind: s.kind, service,
          attributes: Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, jsonValue(a.value)])),
        });
      }
    }
  }
  return spans;
}

export interface Receiver {
  url: string;
  spans: RSpan[];
  /** Every body as received (to check no text crossed). */
  raw: Buffer[];
  contentTypes: string[];
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 for OTLP/HTTP trace exports. */
export async function startReceiver(): Promise<Receiver> {
  const spans: RSpan[] = [];
  const raw: Buffer[] = [];
  const contentTypes: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const type = String(req.headers['content-type'] ?? '');
      raw.push(body);
      contentTypes.push(type);
      if (req.url === '/v1/traces') {
        spans.push(...(type.includes('json') ? decodeJson(JSON.parse(body.toString('utf8'))) : decodeProtobuf(new Uint8Array(body))));
      }
      res.writeHead(200, { 'content-type': type.includes('json') ? 'application/json' : 'application/x-protobuf' });
      res.end(type.includes('json') ? '{}' : undefined);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, spans, raw, contentTypes, close: () => new Promise((r) => server.close(() => r())) };
}
