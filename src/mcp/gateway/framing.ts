/**
 * Newline-delimited JSON framing for MCP's stdio transport, with a size
 * limit. Pure code: feed it chunks, it calls back with whole lines. A line
 * over the limit is discarded chunk by chunk (never buffered whole) and
 * reported once, so one huge message cannot exhaust memory or desynchronise
 * the stream: the next line is read normally. The discarded line is read
 * through a MessageSniffer on the way, so the report carries its id and
 * method (an oversized request is answered by id).
 */
import { MessageSniffer, type Sniffed } from './json-guard.js';

export interface LineSink {
  line(text: string): void;
  /** A line longer than the limit was dropped; `bytes` is how much was dropped, `head` what its top level said. */
  tooLarge(bytes: number, head: Sniffed): void;
}

export class LineReader {
  readonly #limit: number;
  readonly #sink: LineSink;
  readonly #decoder = new TextDecoder();
  #parts: Uint8Array[] = [];
  #size = 0;
  #discarding = false;
  #dropped = 0;
  #sniffer: MessageSniffer | null = null;

  constructor(limitBytes: number, sink: LineSink) {
    this.#limit = limitBytes;
    this.#sink = sink;
  }

  push(chunk: Uint8Array): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(0x0a, start);
      const end = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (this.#discarding) {
        this.#dropped += piece.length;
        this.#sniffer!.push(piece);
      } else if (this.#size + piece.length > this.#limit) {
        this.#discarding = true;
        this.#dropped = this.#size + piece.length;
        this.#sniffer = new MessageSniffer();
        for (const p of this.#parts) this.#sniffer.push(p);
        this.#sniffer.push(piece);
        this.#parts = [];
        this.#size = 0;
      } else if (piece.length > 0) {
        this.#parts.push(piece.slice());
        this.#size += piece.length;
      }
      if (nl < 0) return;
      this.#endLine();
      start = nl + 1;
    }
  }

  #endLine(): void {
    if (this.#discarding) {
      this.#discarding = false;
      const n = this.#dropped;
      const head = this.#sniffer!.result();
      this.#dropped = 0;
      this.#sniffer = null;
      this.#sink.tooLarge(n, head);
      return;
    }
    let text: string;
    if (this.#parts.length === 1) text = this.#decoder.decode(this.#parts[0]);
    else {
      const all = new Uint8Array(this.#size);
      let o = 0;
      for (const p of this.#parts) {
        all.set(p, o);
        o += p.length;
      }
      text = this.#decoder.decode(all);
    }
    this.#parts = [];
    this.#size = 0;
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() !== '') this.#sink.line(text);
  }

  /** Call at end of input: a final line without newline is delivered. */
  end(): void {
    if (this.#size > 0 || this.#discarding) this.#endLine();
  }
}
