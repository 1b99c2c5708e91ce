/**
 * One client session of the HTTP gateway: its own `Gateway` (and so its own
 * upstream processes and connections), and the routing of everything that
 * Gateway sends back to the right HTTP stream:
 *
 * - a response goes to the POST that carried its request (SSE or JSON);
 * - a progress notification goes to the stream of the request whose
 *   progress token it carries, so it arrives before that request's result;
 * - requests relayed from an upstream (sampling, elicitation, roots) and
 *   log messages (raxe's warnings among them) go to the session's GET
 *   stream, else to the newest open POST stream (they most likely concern
 *   a call in flight, and a client may never open a GET stream), else wait;
 * - other notifications (list changes, resource updates) go to the GET
 *   stream, or wait for one (bounded; the oldest are dropped first).
 * The stream of an initialize request carries its response only.
 */
import type { Gateway } from '../mcp/gateway/gateway.js';
import * as rpc from '../mcp/gateway/jsonrpc.js';
import { SseWriter } from './sse-writer.js';

/** Messages kept for a GET stream that is not open yet (oldest dropped first). */
export const MAX_WAITING = 256;

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

  answer(k: string, res: rpc.Response): void {
    if (!this.#waiting.delete(k)) return;
    if (this.sse) this.sse.send(res);
    else this.#answers.push(res);
    if (this.#waiting.size === 0) {
      this.sse?.close();
      this.#resolve(this.#answers);
    }
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
  /** Time from a request to its response, per request. */
  onLatency?: (ms: number) => void;
}

export class HttpSession {
  readonly id: string;
  readonly createdAt: number;
  lastSeen: number;
  closed = false;
  /** Messages dropped because no stream was open to take them. */
  dropped = 0;
  #gateway: Gateway | null = null;
  readonly #o: SessionOptions;
  readonly #pending = new Map<string, Pending>();
  readonly #tokens = new Map<string, string>();
  readonly #streams = new Set<Exchange>();
  #get: SseWriter | null = null;
  #waiting: rpc.Message[] = [];

  constructor(id: string, o: SessionOptions) {
    this.id = id;
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

  /** How long the session has been idle (0 while a request is in flight). */
  idleMs(now: number): number {
    return this.#pending.size > 0 ? 0 : now - this.lastSeen;
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
      ex = new Exchange(requests.map((r) => key(r.id)), stream ? new SseWriter(this.#o.keepAliveMs) : null);
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
        ex.sse.onClose = () => this.#streams.delete(open);
      }
    }
    for (const m of messages) this.gateway.handleMessage(m);
    return ex;
  }

  /** The gateway's `send`: routes one message to its stream. */
  readonly deliver = (msg: rpc.Message): void => {
    if (this.closed) return;
    if (rpc.isResponse(msg)) {
      const k = key(msg.id);
      const p = msg.id === null ? undefined : this.#pending.get(k);
      if (!p) return; // an answer nobody waits for (the session was reset)
      this.#pending.delete(k);
      if (p.token) this.#tokens.delete(p.token);
      this.lastSeen = this.#o.now();
      this.#o.onLatency?.(this.lastSeen - p.t0);
      p.ex.answer(k, msg);
      return;
    }
    if (msg.method === 'notifications/progress') {
      const req = this.#tokens.get(key(msg.params?.progressToken));
      const sse = req ? this.#pending.get(req)?.ex.sse : undefined;
      if (sse && !sse.closed) {
        sse.send(msg);
        return;
      }
    }
    this.#unrelated(msg);
  };

  #unrelated(msg: rpc.Message): void {
    if (this.#get?.send(msg)) return;
    if (rpc.isRequest(msg) || (msg as rpc.Notification).method === 'notifications/message') {
      let newest: Exchange | undefined;
      for (const ex of this.#streams) newest = ex;
      if (newest?.sse?.send(msg)) return;
    }
    this.#waiting.push(msg);
    if (this.#waiting.length > MAX_WAITING) {
      this.#waiting.shift();
      this.dropped++;
    }
  }

  /** Opens the session's GET stream; null when one is open already. */
  openStream(): SseWriter | null {
    if (this.#get && !this.#get.closed) return null;
    const sse = new SseWriter(this.#o.keepAliveMs);
    sse.onClose = () => {
      if (this.#get === sse) this.#get = null;
    };
    this.#get = sse;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const m of waiting) sse.send(m);
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
