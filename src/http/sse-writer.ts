/**
 * One outgoing SSE stream (a POST's answer or the session's GET stream) as
 * the body of a Web `Response`, bounded in bytes. Writes never block:
 *
 * - past `highWaterBytes` queued the stream is *congested*: the session
 *   stops reading the upstreams that feed it (backpressure) until the
 *   client has read the queue down (`onDrain`);
 * - past `maxQueuedBytes` (a client that stopped reading while messages
 *   kept coming, e.g. from an upstream shared with other sessions, which is
 *   never paused) the stream is cut, and what could not be sent is counted.
 */
import { sseEvent, SSE_KEEPALIVE } from '../mcp/gateway/http-sse.js';

const encoder = new TextEncoder();

/**
 * Bytes queued for a client before the session stops reading its
 * upstreams: a few ordinary messages; large enough that a reading client
 * never sees a pause, small enough that 128 stalled sessions hold little.
 */
export const SSE_HIGH_WATER_BYTES = 256 * 1024;

export interface SseWriterOptions {
  /** A keep-alive comment this often (0: none), so idle connections stay open. */
  keepAliveMs?: number;
  highWaterBytes?: number;
  /** The stream is cut past this many queued bytes (default: 4 high-water marks plus one 10 MiB message). */
  maxQueuedBytes?: number;
  /** Told the size of every message queued (metrics). */
  onSent?: (bytes: number) => void;
}

export class SseWriter {
  readonly body: ReadableStream<Uint8Array>;
  /** Called once, when the stream ends (either side). */
  onClose?: () => void;
  /** The client has read the queue back under the high-water mark. */
  onDrain?: () => void;
  /** Messages that could not be sent (the stream was cut or closed). */
  lost = 0;
  #ctrl!: ReadableStreamDefaultController<Uint8Array>;
  #closed = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  readonly #max: number;
  readonly #high: number;
  readonly #onSent?: (bytes: number) => void;

  constructor(o: SseWriterOptions = {}) {
    this.#onSent = o.onSent;
    const high = (this.#high = o.highWaterBytes ?? SSE_HIGH_WATER_BYTES);
    this.#max = o.maxQueuedBytes ?? 4 * high + 10 * 1024 * 1024;
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.#ctrl = c;
        },
        // called when the client has read below the high-water mark again
        pull: () => {
          if (!this.#closed) this.onDrain?.();
        },
        cancel: () => this.#ended(),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: high }),
    );
    if (o.keepAliveMs && o.keepAliveMs > 0) this.#timer = setInterval(() => this.#write(SSE_KEEPALIVE, false), o.keepAliveMs);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The client is not reading: more than the high-water mark is queued. */
  get congested(): boolean {
    return !this.#closed && (this.#ctrl.desiredSize ?? 0) <= 0;
  }

  /** Sends one JSON-RPC message; false (and counted as lost) when the stream is closed or had to be cut. */
  send(msg: unknown): boolean {
    return this.#write(sseEvent(msg), true);
  }

  #write(text: string, message: boolean): boolean {
    if (this.#closed) {
      if (message) this.lost++;
      return false;
    }
    const bytes = encoder.encode(text);
    const queued = this.#high - (this.#ctrl.desiredSize ?? this.#high); // (desiredSize = high-water mark - bytes queued)
    if (queued + bytes.length > this.#max) {
      if (message) this.lost++;
      this.close();
      return false;
    }
    try {
      this.#ctrl.enqueue(bytes);
      if (message) this.#onSent?.(bytes.length);
      return true;
    } catch {
      if (message) this.lost++;
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
