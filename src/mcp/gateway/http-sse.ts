/**
 * Server-Sent Events framing for MCP's Streamable HTTP transport, both ways:
 * `sseEvent` writes one JSON-RPC message as an event, `SseParser` reads a
 * stream of events back into messages. Pure code (Web APIs only), shared by
 * the HTTP gateway (src/http) and the Streamable HTTP upstream channel.
 */
import { MessageSniffer, type Sniffed } from './json-guard.js';

const encoder = new TextEncoder();

/** One JSON-RPC message as an SSE `message` event (JSON never holds a raw newline). */
export function sseEvent(msg: unknown): string {
  return `event: message\ndata: ${JSON.stringify(msg)}\n\n`;
}

/** An SSE comment line: keeps idle connections (and proxies) from timing out. */
export const SSE_KEEPALIVE = ': keep-alive\n\n';

export interface SseHandlers {
  /** One complete event (`event` is "message" when the stream gave none). */
  event(e: { event: string; data: string; id?: string }): void;
  /**
   * An event (or a line) over the limit was discarded, reported when it
   * ends: `chars` is its size, `head` what the top level of its data said
   * (the id of an oversized response).
   */
  tooLarge?(chars: number, head: Sniffed): void;
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
  /** The event being discarded (over the limit): its top level is still read, for the id. */
  #sniffer: MessageSniffer | null = null;
  /** The rest of the current line belongs to a discarded event. */
  #skipLine = false;

  constructor(maxChars: number, handlers: SseHandlers) {
    this.#max = maxChars;
    this.#h = handlers;
  }

  push(text: string): void {
    if (this.#skipLine) {
      const nl = text.indexOf('\n');
      this.#feed(nl < 0 ? text : text.slice(0, nl));
      if (nl < 0) return;
      this.#skipLine = false;
      text = text.slice(nl + 1); // (that newline ends the dropped line)
    }
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
      this.#skip();
      this.#size += this.#buf.length;
      if (this.#buf.startsWith('data:')) this.#feed(this.#buf.slice(this.#buf.charCodeAt(5) === 32 ? 6 : 5));
      this.#buf = '';
      this.#skipLine = true;
    }
  }

  end(): void {
    if (this.#buf) this.#line(this.#buf);
    this.#buf = '';
    this.#skipLine = false;
    this.#dispatch();
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.charCodeAt(0) === 58) return; // ":" comment
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      this.#size += value.length + 1;
      if (this.#sniffer) this.#feed(`\n${value}`);
      else if (this.#size > this.#max) {
        this.#skip();
        this.#feed(value);
      } else this.#data.push(value);
    } else if (this.#sniffer) return;
    else if (field === 'event') this.#event = value;
    else if (field === 'id') this.#id = value;
    // "retry" and unknown fields are ignored
  }

  /** Starts discarding the current event: what it has so far goes to the sniffer. */
  #skip(): void {
    if (this.#sniffer) return;
    this.#sniffer = new MessageSniffer();
    this.#feed(this.#data.join('\n'));
    this.#data = [];
  }

  #feed(text: string): void {
    if (text) this.#sniffer?.push(encoder.encode(text));
  }

  #dispatch(): void {
    const sniffer = this.#sniffer;
    const size = this.#size;
    const data = this.#data;
    const event = this.#event || 'message';
    const id = this.#id;
    this.#reset();
    if (sniffer) return this.#h.tooLarge?.(size, sniffer.result());
    const text = data.join('\n');
    // an event without data (a priming event that only sets an id) is not dispatched
    if (text === '') return;
    this.#h.event({ event, data: text, ...(id !== undefined ? { id } : {}) });
  }

  #reset(): void {
    this.#data = [];
    this.#size = 0;
    this.#event = '';
    this.#id = undefined;
    this.#sniffer = null;
  }
}

/** A switch a reader waits at before each read: closed while the consumer cannot take more (backpressure). */
export class Gate {
  #open: Promise<void> | null = null;
  #release: (() => void) | null = null;

  close(): void {
    this.#open ??= new Promise((r) => (this.#release = r));
  }

  open(): void {
    this.#release?.();
    this.#open = this.#release = null;
  }

  /** Resolves at once while open, else when opened. */
  wait(): Promise<void> | undefined {
    return this.#open ?? undefined;
  }
}

/** Reads a byte stream of SSE to its end, calling `handlers` per event; waits at `gate` before each read. */
export async function readSse(body: ReadableStream<Uint8Array>, maxChars: number, handlers: SseHandlers, gate?: Gate): Promise<void> {
  const parser = new SseParser(maxChars, handlers);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      await gate?.wait();
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
