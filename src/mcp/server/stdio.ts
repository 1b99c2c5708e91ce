/**
 * The stdio transport of `raxe mcp serve`: newline-delimited JSON-RPC with a
 * framing limit of its own (the SDK's read buffer silently closed the
 * server on any message of 10 MB or more). A message over the limit is
 * discarded chunk by chunk and answered -32004 under its own id (recovered
 * from the text), with a clear line on stderr; bad JSON is answered -32700,
 * an invalid or over-deep message -32600; the server keeps serving. Writes
 * wait for the output to drain (backpressure). Written against two tiny
 * stream interfaces, so any runtime's stdio fits.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { JSONRPCMessageSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { LineReader } from '../gateway/framing.js';
import { depthExceeds, idOf, MAX_JSON_DEPTH, type Sniffed } from '../gateway/json-guard.js';
import { INVALID_REQUEST, MESSAGE_TOO_LARGE, PARSE_ERROR, errorResponse, type Id } from '../gateway/jsonrpc.js';
import type { Logger } from '../log.js';

/** The framing limit when the text limit is small: the gateway's message limit. */
export const MIN_FRAME_BYTES = 10 * 1024 * 1024;

/**
 * The largest message `serve` reads, for a scan_prompt text limit of
 * `maxInputBytes`: JSON may escape text to twice its UTF-8 size (\uXXXX for
 * a 3-byte character) plus the envelope, so a text inside the limit always
 * arrives and gets a verdict; anything larger gets -32004.
 */
export function frameLimit(maxInputBytes: number): number {
  return Math.max(MIN_FRAME_BYTES, 2 * maxInputBytes + 1024 * 1024);
}

export interface InputStream {
  on(event: 'data', f: (chunk: Uint8Array) => void): unknown;
  on(event: 'end' | 'close', f: () => void): unknown;
  off(event: 'data', f: (chunk: Uint8Array) => void): unknown;
  pause?(): unknown;
}
export interface OutputStream {
  /** Returns false when the caller should wait for 'drain'. */
  write(text: string): boolean;
  once(event: 'drain', f: () => void): unknown;
}

export class FramedStdioTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  readonly #in: InputStream;
  readonly #out: OutputStream;
  readonly #limit: number;
  readonly #log: Logger;
  readonly #reader: LineReader;
  #closed = false;
  /** Messages discarded for their size, and lines refused as invalid. */
  oversized = 0;
  invalid = 0;

  constructor(o: { input: InputStream; output: OutputStream; maxMessageBytes: number; logger: Logger }) {
    this.#in = o.input;
    this.#out = o.output;
    this.#limit = o.maxMessageBytes;
    this.#log = o.logger;
    this.#reader = new LineReader(this.#limit, { line: (l) => this.#line(l), tooLarge: (n, head) => this.#tooLarge(n, head) });
  }

  readonly #onData = (chunk: Uint8Array): void => this.#reader.push(chunk);

  async start(): Promise<void> {
    this.#in.on('data', this.#onData);
    this.#in.on('end', () => {
      this.#reader.end();
      void this.close();
    });
  }

  #line(line: string): void {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      this.invalid++;
      return this.#reply(null, PARSE_ERROR, 'Parse error: invalid JSON');
    }
    if (depthExceeds(v)) {
      this.invalid++;
      this.#log.warn(`refused a message nested deeper than ${MAX_JSON_DEPTH} levels`);
      return this.#reply(idOf(v), INVALID_REQUEST, `Invalid request: nested deeper than ${MAX_JSON_DEPTH} levels`, v);
    }
    const r = JSONRPCMessageSchema.safeParse(v);
    if (!r.success) {
      this.invalid++;
      return this.#reply(idOf(v), INVALID_REQUEST, 'Invalid request: not a JSON-RPC 2.0 message', v);
    }
    this.onmessage?.(r.data);
  }

  #tooLarge(bytes: number, head: Sniffed): void {
    this.oversized++;
    const why = `a ${bytes}-byte message exceeds the ${this.#limit}-byte framing limit of raxe mcp serve (twice --max-input-bytes plus 1 MiB, at least 10 MiB)`;
    this.#log.error(`${why}; dropped, still serving`);
    if (head.method !== undefined && head.id !== undefined) this.#reply(head.id, MESSAGE_TOO_LARGE, `Message too large: ${why}`);
  }

  /** An error answer, except to a notification or a response (nobody waits for it). */
  #reply(id: Id | null, code: number, message: string, msg?: unknown): void {
    const hasMethod = typeof (msg as { method?: unknown } | undefined)?.method === 'string';
    const notification = hasMethod && id === null;
    const response = msg !== undefined && !hasMethod && id !== null;
    if (notification || response) return;
    void this.send(errorResponse(id, code, message) as JSONRPCMessage);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.#out.write(JSON.stringify(message) + '\n')) resolve();
      else this.#out.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#in.off('data', this.#onData);
    this.#in.pause?.();
    this.onclose?.();
  }
}
