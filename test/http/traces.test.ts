// OpenTelemetry: the gateway (a real process) exports spans over OTLP/HTTP
// to an in-test receiver when OTEL_EXPORTER_OTLP_ENDPOINT is set, in both
// encodings; the host's traceparent is the parent; scan spans carry the
// decision and rule ids; no text crosses. Off when the variables are unset.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ATTACK, call, connect, counter, killAll, removeTemps, startGateway, until } from './helpers.js';
import { startReceiver, type Receiver, type RSpan } from './otlp.js';

afterEach(killAll);
afterAll(removeTemps);

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const HOST_SPAN = '00f067aa0ba902b7';

async function run(receiver: Receiver, protocol: string | undefined) {
  const gw = await startGateway({
    config: { gateway: { default_policy: { on_threat: 'block' } }, upstreams: [counter] },
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      ...(protocol ? { OTEL_EXPORTER_OTLP_PROTOCOL: protocol } : {}),
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_SERVICE_NAME: 'gw-under-test',
    },
  });
  const c = await connect(gw.url, { headers: { traceparent: `00-${TRACE}-${HOST_SPAN}-01` } });
  await call(c, 'count');
  await expect(call(c, 'wait', { ms: 1, note: ATTACK })).rejects.toThrow(/-32001/);
  await c.close();
  const done = await gw.stop();
  expect(done.code).toBe(0);
  expect(done.stderr).toMatch(/traces: OTLP\/HTTP/);
  return receiver.spans;
}

function checkTree(spans: RSpan[]) {
  const mine = spans.filter((s) => s.traceId === TRACE);
  const byId = new Map(mine.map((s) => [s.spanId, s]));
  const parent = (s: RSpan) => byId.get(s.parentSpanId);
  // host -> gateway: the HTTP spans are children of the host's span
  const http = mine.filter((s) => s.name === 'POST /mcp');
  expect(http.length).toBeGreaterThanOrEqual(3);
  for (const h of http) expect(h.parentSpanId).toBe(HOST_SPAN);
  expect(http.every((h) => h.kind === 2 /* SERVER */)).toBe(true);
  expect(mine.every((s) => s.service === 'gw-under-test')).toBe(true);
  // gateway -> scan (L1) and gateway -> upstream, under the request's span
  const calls = mine.filter((s) => s.name === 'mcp tools/call');
  expect(calls.length).toBe(2);
  for (const cs of calls) expect(parent(cs)?.name).toBe('POST /mcp');
  const scans = mine.filter((s) => s.name === 'raxe.scan');
  const block = scans.find((s) => s.attributes['raxe.decision.action'] === 'block')!;
  expect(block).toBeDefined();
  expect(block.attributes['raxe.scan.point']).toBe('tool_call');
  expect(block.attributes['raxe.decision.rule_ids']).toEqual(expect.arrayContaining([expect.stringMatching(/^[a-z]+-\d+/)]));
  expect(block.attributes['raxe.scan.chars']).toBeGreaterThan(ATTACK.length - 1);
  expect(parent(block)?.name).toBe('mcp tools/call');
  const l1 = mine.filter((s) => s.name === 'raxe.scan.l1');
  expect(l1.some((s) => s.parentSpanId === block.spanId)).toBe(true);
  const upstream = mine.filter((s) => s.name === 'mcp.upstream tools/call');
  expect(upstream.length).toBe(1); // the blocked call never reached the upstream
  expect(upstream[0].kind).toBe(3 /* CLIENT */);
  expect(parent(upstream[0])?.name).toBe('mcp tools/call');
  expect(upstream[0].attributes['raxe.upstream']).toBe('counter');
}

describe('OpenTelemetry traces', () => {
  it.each([
    ['protobuf (the default): host -> gateway -> scan (L1) -> upstream, decisions and rule ids, no text', undefined, 'application/x-protobuf', 'latin1'],
    ['JSON with OTEL_EXPORTER_OTLP_PROTOCOL=http/json', 'http/json', 'application/json', 'utf8'],
  ] as const)('exports over OTLP/HTTP %s', async (_name, protocol, contentType, encoding) => {
    const receiver = await startReceiver();
    try {
      await run(receiver, protocol);
      await until(() => receiver.spans.some((s) => s.name === 'raxe.scan' && s.attributes['raxe.decision.action'] === 'block'), 'the blocked scan span');
      expect(receiver.contentTypes.every((t) => t.startsWith(contentType))).toBe(true);
      checkTree(receiver.spans);
      for (const b of receiver.raw) expect(b.toString(encoding)).not.toContain('Ignore all previous');
    } finally {
      await receiver.close();
    }
  });

  it('is off when no endpoint is set, and refuses a protocol it cannot speak', async () => {
    const gw = await startGateway({ config: { upstreams: [counter] } });
    expect(gw.stderr()).not.toMatch(/traces:/);
    await gw.stop();
    await expect(startGateway({ config: { upstreams: [counter] }, env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } }))
      .rejects.toThrow(/OTLP\/HTTP only/);
  });
});
