/**
 * One client session of the HTTP gateway: its own `Gateway` (its own
 * upstream connections, or its share of upstreams marked `share: true`),
 * and the routing of everything that Gateway sends back to the right HTTP
 * stream:
 *
 * - a response goes to the POST that carried its request (SSE or JSON);
 *   one whose stream the client dropped is counted (`undelivered`);
 * - a progress notification goes to the stream of the request whose
 *   progress token it carries, so it arrives before that request's result;
 * - requests relayed from an upstream (sampling, elicitation, roots) and
 *   log messages (raxe's warnings among them) go to the session's GET
 *   stream, else to the newest open POST stream (they most likely concern
 *   a call in flight, and a client may never open a GET stream), else wait;
 * - other notifications (list changes, resource updates) go to the GET
 *   stream, or wait for one (bounded in count and bytes; the oldest are
 *   dropped first, and counted).
 *
 * A request the client cancels (notifications/cancelled) stops waiting at
 * once: its SSE stream gets nothing more for it, a JSON answer gets -32800.
 * While a stream holds more than its high-water mark for a client that does
 * not read, the session's own upstreams are not read (backpressure); they
 * are read again once the client catches up.
 * The stream of an initialize request carries its response only.
 */
import type { Gateway } from '../mcp/gateway/gateway.js';
import * as rpc from '../mcp/gateway/jsonrpc.js';
import { SseWriter } from './sse-writer.js';

/** Messages kept for a GET stream that is not open yet (oldest dropped first). */
export const MAX_WAITING = 256;
/** Bytes of such messages kept (the same rule): a GET stream opened late still gets the recent ones. */
export const MAX_WAITING_BYTES = 1024 * 1024;
/** The JSON-RPC code of a request the client cancelled (answered so in JSON mode only). */
export const REQUEST_CANCELLED = -32800;

/** A map key for a JSON-RPC id or progress token: 1 and "1" differ. */
const key = (v: unknown): string => (typeof v === 'number' ? `n:${v}` : `s:${String(v)}`);

/** The requests of one POST and where their answers go. */
export class Exchange {
  /** The SSE stream of the answer, or null when the client gets one JSON body. */
  readonly sse: SseWriter | null;
  /** Resolves with the responses, in the order they came, once all are in. */
  readonly done: Promise<rpc.Response[]>;
  readonly #answers: rpc.Response[] = [];
  readonly #waiting: Set<string>;
  #resolve!: (r: rpc.Response[]) => void;

  constructor(keys: string[], sse: SseWriter | null) {
    this.sse = sse;
    this.#waiting = new Set(keys);
    this.done = new Promise((r) => (this.#resolve = r));
  }

  /** Delivers one answer; false when its stream was gone (the client dropped it). */
  answer(k: string, res: rpc.Response): boolean {
    if (!this.#waiting.delete(k)) return true;
    const sent = this.sse ? this.sse.send(res) : (this.#answers.push(res), true);
    this.#settle();
    return sent;
  }

  /** The client cancelled request `k`: nothing more is sent for it on a stream; a JSON body says it was cancelled. */
  cancel(k: string, id: rpc.Id): void {
    if (!this.#waiting.delete(k)) return;
    if (!this.sse) this.#answers.push(rpc.errorResponse(id, REQUEST_CANCELLED, 'Request cancelled'));
    this.#settle();
  }

  #settle(): void {
    if (this.#waiting.size > 0) return;
    this.sse?.close();
    this.#resolve(this.#answers);
  }
}

interface Pending {
  id: rpc.Id;
  ex: Exchange;
  t0: number;
  token?: string;
}

export interface SessionOptions {
  now: () => number;
  /** Keep-alive comment interval of the SSE streams (0: none). */
  keepAliveMs: number;
  /**
   * The longest a request in flight keeps its session from expiring: past
   * it the gateway has answered it or given up (request timeout plus scan
   * budgets), so an unanswered request cannot pin a session for ever.
   */
  maxInflightMs: number;
  /** Bytes a stream may queue for a client that does not read before it is cut (default: the writer's). */
  maxQueuedBytes?: number;
  /** Time from a request to its response, per request. */
  onLatency?: (ms: number) => void;
  /** Bytes of each message sent on an SSE stream. */
  onSent?: (bytes: number) => void;
}

export class HttpSession {
  readonly id: string;
  readonly createdAt: number;
  /** The client this session counts against (its address). */
  readonly client: string;
  lastSeen: number;
  closed = false;
  /** Messages dropped because no stream was open to take them. */
  dropped = 0;
  /** Responses whose stream the client had dropped (or that was cut) when they came. */
  undelivered = 0;
  /** Requests the client cancelled. */
  cancelled = 0;
  #gateway: Gateway | null = null;
  readonly #o: SessionOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #tokens = new Map<string, string>();
  readonly #streams = new Set<Exchange>();
  #get: SseWriter | null = null;
  #waiting: Array<{ msg: rpc.Message; bytes: number }> = [];
  #waitingBytes = 0;
  #paused = false;

  constructor(id: string, client: string, o: SessionOptions) {
    this.id = id;
    this.client = client;
    this.#o = o;
    this.createdAt = this.lastSeen = o.now();
  }

  /** The session's gateway (set once, right after construction: its `send` is `deliver`). */
  get gateway(): Gateway {
    if (!this.#gateway) throw new Error(`session ${this.id} has no gateway`);
    return this.#gateway;
  }
  attach(g: Gateway): void {
    this.#gateway = g;
  }

  /** Requests still waiting for their response. */
  get inflight(): number {
    return this.#pending.size;
  }

  /** How long the session has been idle: 0 while a request is in flight, but only up to maxInflightMs. */
  idleMs(now: number): number {
    for (const p of this.#pending.values()) if (now - p.t0 < this.#o.maxInflightMs) return 0;
    return now - this.lastSeen;
  }

  touch(): void {
    this.lastSeen = this.#o.now();
  }

  /** An id of `requests` that is already waiting for its answer in this session, if any. */
  duplicateId(requests: rpc.Request[]): rpc.Id | undefined {
    const seen = new Set<string>();
    for (const r of requests) {
      const k = key(r.id);
      if (this.#pending.has(k) || seen.has(k)) return r.id;
      seen.add(k);
    }
    return undefined;
  }

  #writer(): SseWriter {
    const w = new SseWriter({ keepAliveMs: this.#o.keepAliveMs, maxQueuedBytes: this.#o.maxQueuedBytes, onSent: this.#o.onSent });
    w.onDrain = () => this.#flow();
    return w;
  }

  /**
   * Hands the messages of one POST to the gateway. Returns the exchange that
   * will carry the answers, or null when there is no request among them.
   * Check `duplicateId` first.
   */
  post(messages: rpc.Message[], stream: boolean): Exchange | null {
    this.touch();
    const requests = messages.filter(rpc.isRequest);
    let ex: Exchange | null = null;
    if (requests.length > 0) {
      ex = new Exchange(requests.map((r) => key(r.id)), stream ? this.#writer() : null);
      const t0 = this.#o.now();
      for (const r of requests) {
        const meta = r.params?._meta as { progressToken?: unknown } | undefined;
        const token = typeof meta?.progressToken === 'string' || typeof meta?.progressToken === 'number' ? key(meta.progressToken) : undefined;
        if (token) this.#tokens.set(token, key(r.id));
        this.#pending.set(key(r.id), { id: r.id, ex, t0, token });
      }
      if (ex.sse && !requests.some((r) => r.method === 'initialize')) {
        const open = ex;
        this.#streams.add(open);
        ex.sse.onClose = () => {
          this.#streams.delete(open);
          this.#flow();
        };
      }
    }
    for (const m of messages) {
      if (rpc.isNotification(m) && m.method === 'notifications/cancelled') this.#cancel(m.params?.requestId);
      this.gateway.handleMessage(m);
    }
    return ex;
  }

  /** The client gave up on a request: it stops waiting now (the gateway cancels it upstream). */
  #cancel(requestId: unknown): void {
    const k = key(requestId);
    const p = this.#pending.get(k);
    if (!p) return;
    this.#pending.delete(k);
    if (p.token) this.#tokens.delete(p.token);
    this.cancelled++;
    p.ex.cancel(k, p.id);
  }

  /** The gateway's `send`: routes one message to its stream. */
  readonly deliver = (msg: rpc.Message): void => {
    if (this.closed) return;
    if (rpc.isResponse(msg)) {
      const k = key(msg.id);
      const p = msg.id === null ? undefined : this.#pending.get(k);
      if (!p) return; // an answer nobody waits for (cancelled, or the session was reset)
      this.#pending.delete(k);
      if (p.token) this.#tokens.delete(p.token);
      this.lastSeen = this.#o.now();
      this.#o.onLatency?.(this.lastSeen - p.t0);
      if (!p.ex.answer(k, msg)) this.undelivered++;
      this.#congestion(p.ex.sse);
      return;
    }
    if (msg.method === 'notifications/progress') {
      const req = this.#tokens.get(key(msg.params?.progressToken));
      const sse = req ? this.#pending.get(req)?.ex.sse : undefined;
      if (sse && !sse.closed) {
        sse.send(msg);
        this.#congestion(sse);
        return;
      }
    }
    this.#unrelated(msg);
  };

  #unrelated(msg: rpc.Message): void {
    if (this.#get?.send(msg)) return this.#congestion(this.#get);
    if (rpc.isRequest(msg) || (msg as rpc.Notification).method === 'notifications/message') {
      let newest: Exchange | undefined;
      for (const ex of this.#streams) newest = ex;
      if (newest?.sse?.send(msg)) return this.#congestion(newest.sse);
    }
    const bytes = JSON.stringify(msg).length;
    this.#waiting.push({ msg, bytes });
    this.#waitingBytes += bytes;
    while (this.#waiting.length > MAX_WAITING || (this.#waitingBytes > MAX_WAITING_BYTES && this.#waiting.length > 1)) {
      this.#waitingBytes -= this.#waiting.shift()!.bytes;
      this.dropped++;
    }
  }

  /** A stream took more than the client reads: stop reading this session's upstreams. */
  #congestion(sse: SseWriter | null | undefined): void {
    if (this.#paused || !sse?.congested) return;
    this.#paused = true;
    this.gateway.pauseUpstreams();
  }

  /** A stream drained or closed: read the upstreams again once no stream is congested. */
  #flow(): void {
    if (!this.#paused || this.closed) return;
    if (this.#get?.congested) return;
    for (const ex of this.#streams) if (ex.sse?.congested) return;
    this.#paused = false;
    this.gateway.resumeUpstreams();
  }

  /** Opens the session's GET stream; null when one is open already. */
  openStream(): SseWriter | null {
    if (this.#get && !this.#get.closed) return null;
    const sse = this.#writer();
    sse.onClose = () => {
      if (this.#get === sse) this.#get = null;
      this.#flow();
    };
    this.#get = sse;
    const waiting = this.#waiting;
    this.#waiting = [];
    this.#waitingBytes = 0;
    for (const w of waiting) sse.send(w.msg);
    this.touch();
    return sse;
  }

  /** Ends the GET stream (the client may open a new one). */
  endStream(): void {
    this.#get?.close();
  }

  /**
   * Ends the session: requests still waiting are answered with -32003, the
   * streams are closed and the upstreams released.
   */
  async close(reason: string): Promise<void> {
    if (this.closed) return;
    for (const [k, p] of this.#pending) p.ex.answer(k, rpc.errorResponse(p.id, rpc.UPSTREAM_FAILED, `session closed (${reason})`));
    this.closed = true;
    this.#pending.clear();
    this.#tokens.clear();
    this.#get?.close();
    for (const ex of this.#streams) ex.sse?.close();
    this.#streams.clear();
    this.#waiting = [];
    await this.#gateway?.close();
  }
}
