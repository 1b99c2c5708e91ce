/**
 * One upstream MCP server, seen from the gateway as a client: the handshake,
 * request ids of our own (so ids from the host and from several upstreams
 * never collide), per-request timeouts, and restart with backoff when the
 * process dies. The byte transport is injected (a child process on stdio, or
 * a Streamable HTTP client), so this file is runtime-agnostic.
 */
import {
  envelopeProblem, errorResponse, isNotification, isRequest, isResponse, UPSTREAM_FAILED,
  type Id, type Message, type Notification, type Request, type Response,
} from './jsonrpc.js';
import type { Logger } from '../log.js';

/** The byte-level connection to an upstream (the adapter implements it). */
export interface UpstreamChannel {
  /** Starts the process or connection; rejects when it cannot start. */
  start(): Promise<void>;
  /** Sends one JSON-RPC message (already serialised, no newline). */
  send(line: string): void;
  close(): Promise<void>;
  /** One complete message line from the upstream. */
  onLine?: (line: string) => void;
  /** The upstream went away (process exit, connection loss). */
  onExit?: (reason: string) => void;
}

export type ChannelFactory = () => UpstreamChannel;

/** The code of a response that stands for a request the host cancelled (never sent to anyone). */
export const CANCELLED = -32800;

/** The least time the initialize handshake is given, whatever the request timeout. */
export const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Consecutive failed starts (no handshake completed in between) after which
 * an upstream is given up: with the backoff (0.5, 1, 2, 4 s...) that is
 * about 15 s of retrying. Its calls then get -32002 instead of -32003.
 */
export const MAX_FAILED_STARTS = 5;

export interface UpstreamEvents {
  /** A request from the upstream to the client (sampling, elicitation, roots, ping). */
  request(up: Upstream, req: Request): void;
  notification(up: Upstream, n: Notification): void;
  /** The upstream is ready again after a restart (lists may have changed). */
  restarted(up: Upstream): void;
  /** The upstream stopped or failed to start (`up.state` says whether it will be restarted). */
  stopped?(up: Upstream, reason: string): void;
}

interface Pending {
  resolve(r: Response): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  method: string;
}

/** idle -> starting -> ready; down: stopped, a restart is scheduled; failed: given up (MAX_FAILED_STARTS). */
export type UpstreamState = 'idle' | 'starting' | 'ready' | 'down' | 'failed' | 'closed';

export class Upstream {
  readonly name: string;
  state: UpstreamState = 'idle';
  /** The upstream's initialize result (capabilities, serverInfo, protocolVersion). */
  init: Record<string, unknown> | null = null;
  restarts = 0;
  garbageLines = 0;
  /** Why it last stopped or failed, in our own words (never the upstream's text). */
  lastError: string | null = null;
  #failedStarts = 0;
  #channel: UpstreamChannel | null = null;
  readonly #factory: ChannelFactory;
  readonly #events: UpstreamEvents;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  #nextId = 1;
  readonly #pending = new Map<Id, Pending>();
  #initParams: Record<string, unknown> | null = null;
  #ready: Promise<void> | null = null;
  #backoffMs = 500;
  #restartTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(name: string, factory: ChannelFactory, events: UpstreamEvents, log: Logger, timeoutMs: number) {
    this.name = name;
    this.#factory = factory;
    this.#events = events;
    this.#log = log;
    this.#timeoutMs = timeoutMs;
  }

  /** Starts the upstream and runs the MCP handshake with the host's parameters. */
  connect(initParams: Record<string, unknown>): Promise<void> {
    this.#initParams = initParams;
    if (!this.#ready) this.#ready = this.#connect();
    return this.#ready;
  }

  async #connect(): Promise<void> {
    this.state = 'starting';
    const ch = this.#factory();
    this.#channel = ch;
    ch.onLine = (line) => this.#onLine(line);
    ch.onExit = (reason) => this.#onExit(ch, reason);
    try {
      await ch.start();
    } catch (e) {
      this.#failedStarts++;
      this.#onExit(ch, `failed to start: ${e instanceof Error ? e.message : String(e)}`);
      throw new Error(`upstream ${this.name} failed to start`);
    }
    // the handshake includes the process start-up (npx may even download the
    // package): a short per-request timeout_s must not make it fail for good
    const res = await this.request('initialize', this.#initParams ?? {}, Math.max(this.#timeoutMs, STARTUP_TIMEOUT_MS));
    if (res.error) {
      // a failed handshake is handled like a crash: stop the process and restart with backoff
      this.#failedStarts++;
      this.#log.warn(`upstream ${this.name}: handshake failed (${res.error.message})`);
      void ch.close();
      // (the upstream's own error text stays in the log: lastError reaches /stats and the host)
      this.#onExit(ch, res.error.code === UPSTREAM_FAILED ? 'no answer to initialize' : `initialize refused (error ${res.error.code})`);
      throw new Error(`upstream ${this.name} refused initialize: ${res.error.message}`);
    }
    this.init = res.result ?? {};
    this.notify('notifications/initialized');
    this.state = 'ready';
    this.lastError = null;
    this.#failedStarts = 0;
    this.#backoffMs = 500;
    this.#log.info(`upstream ${this.name} ready (${String((this.init.serverInfo as { name?: string } | undefined)?.name ?? '?')})`);
  }

  /** Sends a request; always resolves with a response (errors as -32003 responses). */
  request(method: string, params?: Record<string, unknown>, timeoutMs = this.#timeoutMs): Promise<Response> {
    const ch = this.#channel;
    if (!ch || this.state === 'down' || this.state === 'failed' || this.state === 'closed') {
      return Promise.resolve(errorResponse(null, UPSTREAM_FAILED, `upstream ${this.name} is not running`));
    }
    const id = this.#nextId++;
    return new Promise<Response>((resolve) => {
      const p: Pending = { resolve, timer: undefined, method };
      if (timeoutMs > 0) {
        p.timer = setTimeout(() => {
          this.#pending.delete(id);
          this.notify('notifications/cancelled', { requestId: id, reason: 'timeout' });
          resolve(errorResponse(null, UPSTREAM_FAILED, `upstream ${this.name} did not answer ${method} within ${Math.round(timeoutMs / 1000)}s`));
        }, timeoutMs);
      }
      this.#pending.set(id, p);
      const msg: Request = { jsonrpc: '2.0', id, method };
      if (params !== undefined) msg.params = params;
      ch.send(JSON.stringify(msg));
    });
  }

  /** The id the next request() will use (so a caller can map cancellations before sending). */
  peekNextId(): number {
    return this.#nextId;
  }

  /** Cancels our request `id`: the upstream is told; the caller gets a CANCELLED response. */
  cancel(id: Id, reason?: string): void {
    const p = this.#pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.#pending.delete(id);
    this.notify('notifications/cancelled', reason ? { requestId: id, reason } : { requestId: id });
    p.resolve(errorResponse(null, CANCELLED, 'cancelled'));
  }

  notify(method: string, params?: Record<string, unknown>): void {
    const msg: Notification = { jsonrpc: '2.0', method };
    if (params !== undefined) msg.params = params;
    this.#channel?.send(JSON.stringify(msg));
  }

  /** Sends a response to a request the upstream made. */
  respond(msg: Response): void {
    this.#channel?.send(JSON.stringify(msg));
  }

  #onLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.garbageLines++;
      this.#log.warn(`upstream ${this.name} wrote a line that is not JSON (ignored)`);
      return;
    }
    const problem = envelopeProblem(msg);
    if (problem) {
      this.garbageLines++;
      this.#log.warn(`upstream ${this.name} sent an invalid message (${problem}; ignored)`);
      return;
    }
    const m = msg as Message;
    if (isResponse(m)) {
      const id = m.id as Id;
      const p = this.#pending.get(id);
      if (!p) return; // cancelled or timed out
      clearTimeout(p.timer);
      this.#pending.delete(id);
      p.resolve(m);
    } else if (isRequest(m)) this.#events.request(this, m);
    else if (isNotification(m)) this.#events.notification(this, m);
  }

  #onExit(ch: UpstreamChannel, reason: string): void {
    if (ch !== this.#channel) return;
    const closing = this.state === 'closed';
    const giveUp = this.#failedStarts >= MAX_FAILED_STARTS;
    if (!closing) {
      this.state = giveUp ? 'failed' : 'down';
      this.lastError = reason;
      this.#log.warn(`upstream ${this.name} stopped: ${reason}${giveUp ? ` (failed ${this.#failedStarts} starts in a row: given up)` : '; restarting'}`);
    }
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.resolve(errorResponse(null, UPSTREAM_FAILED, `upstream ${this.name} failed: ${reason}`));
      this.#pending.delete(id);
    }
    this.#channel = null;
    if (!closing) this.#events.stopped?.(this, reason);
    if (!closing && !giveUp && this.#initParams) this.#scheduleRestart();
  }

  #scheduleRestart(): void {
    const delay = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, 30_000);
    this.#restartTimer = setTimeout(() => {
      if (this.state === 'closed') return;
      this.state = 'starting';
      this.restarts++;
      this.#ready = this.#connect().then(
        () => this.#events.restarted(this),
        (e) => this.#log.warn(`upstream ${this.name}: restart failed (${e instanceof Error ? e.message : e})`),
      );
    }, delay);
  }

  async close(): Promise<void> {
    if (this.state !== 'failed') this.state = 'closed'; // (a failed one stays failed in the final stats)
    clearTimeout(this.#restartTimer);
    const ch = this.#channel;
    this.#channel = null;
    for (const [, p] of this.#pending) {
      clearTimeout(p.timer);
      p.resolve(errorResponse(null, UPSTREAM_FAILED, `upstream ${this.name} closed`));
    }
    this.#pending.clear();
    await ch?.close();
  }

  /** A short summary of capabilities from the handshake. */
  capabilities(): Record<string, Record<string, unknown> | undefined> {
    return ((this.init?.capabilities as Record<string, Record<string, unknown>>) ?? {});
  }
}
