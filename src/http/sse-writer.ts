/**
 * One outgoing SSE stream (a POST's answer or the session's GET stream) as
 * the body of a Web `Response`. Writes never block: a client that stops
 * reading is cut off once too much is queued for it, instead of growing the
 * queue without bound.
 */
import { sseEvent, SSE_KEEPALIVE } from '../mcp/gateway/http-sse.js';

const encoder = new TextEncoder();

/** Events queued for a client that does not read before its stream is cut. */
export const MAX_QUEUED_EVENTS = 10_000;

export class SseWriter {
  readonly body: ReadableStream<Uint8Array>;
  /** Called once, when the stream ends (either side). */
  onClose?: () => void;
  #ctrl!: ReadableStreamDefaultController<Uint8Array>;
  #closed = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** `keepAliveMs` > 0 sends a comment line that often, so idle connections stay open. */
  constructor(keepAliveMs = 0) {
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.#ctrl = c;
        },
        cancel: () => this.#ended(),
      },
      new CountQueuingStrategy({ highWaterMark: 64 }),
    );
    if (keepAliveMs > 0) this.#timer = setInterval(() => this.#write(SSE_KEEPALIVE), keepAliveMs);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one JSON-RPC message; false when the stream is already closed. */
  send(msg: unknown): boolean {
    return this.#write(sseEvent(msg));
  }

  #write(text: string): boolean {
    if (this.#closed) return false;
    if ((this.#ctrl.desiredSize ?? 0) < -MAX_QUEUED_EVENTS) {
      this.close();
      return false;
    }
    try {
      this.#ctrl.enqueue(encoder.encode(text));
      return true;
    } catch {
      this.#ended();
      return false;
    }
  }

  /** Ends the stream (what was written is still delivered). */
  close(): void {
    if (this.#closed) return;
    try {
      this.#ctrl.close();
    } catch {
      /* cancelled by the client already */
    }
    this.#ended();
  }

  #ended(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.onClose?.();
  }
}
