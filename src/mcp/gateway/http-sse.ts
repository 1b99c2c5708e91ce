/**
 * Server-Sent Events framing for MCP's Streamable HTTP transport, both ways:
 * `sseEvent` writes one JSON-RPC message as an event, `SseParser` reads a
 * stream of events back into messages. Pure code (Web APIs only), shared by
 * the HTTP gateway (src/http) and the Streamable HTTP upstream channel.
 */

/** One JSON-RPC message as an SSE `message` event (JSON never holds a raw newline). */
export function sseEvent(msg: unknown): string {
  return `event: message\ndata: ${JSON.stringify(msg)}\n\n`;
}

/** An SSE comment line: keeps idle connections (and proxies) from timing out. */
export const SSE_KEEPALIVE = ': keep-alive\n\n';

export interface SseHandlers {
  /** One complete event (`event` is "message" when the stream gave none). */
  event(e: { event: string; data: string; id?: string }): void;
  /** An event (or a line) over the limit was discarded; `chars` is its size so far. */
  tooLarge?(chars: number): void;
}

/**
 * Incremental SSE parser (the WHATWG event-stream format): feed decoded text
 * with `push`, call `end` at the end of the stream. Events larger than
 * `maxChars` are discarded whole, without buffering them.
 *
 *   const p = new SseParser(1 << 20, { event: (e) => console.log(e.data) });
 *   p.push('data: {"a":1}\n\n');
 */
export class SseParser {
  readonly #max: number;
  readonly #h: SseHandlers;
  #buf = '';
  #data: string[] = [];
  #size = 0;
  #event = '';
  #id: string | undefined;
  #skipping = false;

  constructor(maxChars: number, handlers: SseHandlers) {
    this.#max = maxChars;
    this.#h = handlers;
  }

  push(text: string): void {
    this.#buf += text;
    let start = 0;
    for (;;) {
      const nl = this.#buf.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && this.#buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.#line(this.#buf.slice(start, end));
      start = nl + 1;
    }
    this.#buf = this.#buf.slice(start);
    if (this.#buf.length > this.#max) {
      // a line that never ends: drop it and the event it belongs to
      this.#h.tooLarge?.(this.#size + this.#buf.length);
      this.#buf = '';
      this.#reset();
      this.#skipping = true;
    }
  }

  end(): void {
    if (this.#buf) this.#line(this.#buf);
    this.#buf = '';
    this.#dispatch();
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.charCodeAt(0) === 58) return; // ":" comment
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (this.#skipping) return;
    if (field === 'data') {
      this.#size += value.length + 1;
      if (this.#size > this.#max) {
        this.#h.tooLarge?.(this.#size);
        this.#reset();
        this.#skipping = true;
        return;
      }
      this.#data.push(value);
    } else if (field === 'event') this.#event = value;
    else if (field === 'id') this.#id = value;
    // "retry" and unknown fields are ignored
  }

  #dispatch(): void {
    const skipped = this.#skipping;
    const data = this.#data;
    const event = this.#event || 'message';
    const id = this.#id;
    this.#reset();
    const text = data.join('\n');
    // an event without data (a priming event that only sets an id) is not dispatched
    if (skipped || text === '') return;
    this.#h.event({ event, data: text, ...(id !== undefined ? { id } : {}) });
  }

  #reset(): void {
    this.#data = [];
    this.#size = 0;
    this.#event = '';
    this.#id = undefined;
    this.#skipping = false;
  }
}

/** Reads a byte stream of SSE to its end (or until `signal` aborts), calling `handlers` per event. */
export async function readSse(body: ReadableStream<Uint8Array>, maxChars: number, handlers: SseHandlers): Promise<void> {
  const parser = new SseParser(maxChars, handlers);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
    parser.end();
  } finally {
    reader.releaseLock();
  }
}
