/**
 * One upstream MCP server, seen from the gateway as a client: the handshake,
 * request ids of our own (so ids from the host and from several upstreams
 * never collide), per-request timeouts, and restart with backoff when the
 * process dies. The byte transport is injected (a child process on stdio, or
 * a Streamable HTTP client), so this file is runtime-agnostic.
 */
import {
  envelopeProblem, errorResponse, INVALID_REQUEST, isNotification, isRequest, isResponse, MESSAGE_TOO_LARGE, UPSTREAM_FAILED,
  type Id, type Message, type Notification, type Request, type Response,
} from './jsonrpc.js';
import { depthExceeds, idOf, MAX_JSON_DEPTH, type Sniffed } from './json-guard.js';
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
  /** A message over the size limit was discarded; `head` is what its top level said (id, method). */
  onTooLarge?: (bytes: number, head: Sniffed) => void;
  /** The upstream went away (process exit, connection loss). */
  onExit?: (reason: string) => void;
  /** Stop reading from the upstream (the host is not reading); `resume` reads again. */
  pause?(): void;
  resume?(): void;
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
  /** `bytes`: the size of the message as it came (for the relay's own backpressure). */
  notification(up: Upstream, n: Notification, bytes: number): void;
  /** The upstream is ready again after a restart (lists may have changed). */
  restarted(up: Upstream): void;
  /** The upstream stopped or failed to start (`up.state` says whether it will be restarted). */
  stopped?(up: Upstream, reason: string): void;
  /** The upstream sent a message over the size limit (it was discarded; a request waiting for it got -32004). */
  oversized?(up: Upstream): void;
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
  /** Messages over the size limit (discarded). */
  oversized = 0;
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
  /** Why the upstream is not read (the host is not reading; the relay is behind): read again when none is left. */
  readonly #holds = new Set<string>();

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
    ch.onTooLarge = (bytes, head) => {
      this.oversized++;
      this.#events.oversized?.(this);
      this.#log.warn(`upstream ${this.name} sent a ${bytes}-byte message${head.method ? ` (${head.method.slice(0, 64)})` : ''}, over the message limit (gateway.max_message_bytes); dropped`);
      this.#refuse(head, MESSAGE_TOO_LARGE, `a ${bytes}-byte message, over the gateway's message limit (gateway.max_message_bytes)`);
    };
    ch.onExit = (reason) => this.#onExit(ch, reason);
    try {
      await ch.start();
      if (this.#holds.size) ch.pause?.();
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

  /**
   * Stops reading the upstream's output for `reason` (backpressure: the
   * host is not reading, or the relay is behind); it waits in the pipe or
   * socket. Reading goes on once every reason is released.
   */
  hold(reason: string): void {
    if (this.#holds.has(reason)) return;
    this.#holds.add(reason);
    if (this.#holds.size === 1) this.#channel?.pause?.();
  }

  release(reason: string): void {
    if (!this.#holds.delete(reason) || this.#holds.size) return;
    this.#channel?.resume?.();
  }

  /** The host is not reading (hold('host')), or reads again. */
  pause(): void {
    this.hold('host');
  }

  resume(): void {
    this.release('host');
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
    if (depthExceeds(msg)) {
      this.garbageLines++;
      this.#log.warn(`upstream ${this.name} sent a message nested deeper than ${MAX_JSON_DEPTH} levels; refused`);
      const o = msg as Record<string, unknown>;
      const id = idOf(o);
      const head: Sniffed = { response: !('method' in o), ...(typeof o.method === 'string' ? { method: o.method } : {}), ...(id !== null ? { id } : {}) };
      this.#refuse(head, INVALID_REQUEST, `a message nested deeper than ${MAX_JSON_DEPTH} levels`);
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
    else if (isNotification(m)) this.#events.notification(this, m, line.length);
  }

  /**
   * A message that could not be taken (too large, too deep): the request of
   * ours it answers fails at once with `code` (the host gets it under its
   * own id, instead of waiting for the timeout); a request the upstream made
   * is refused to it; a notification is dropped.
   */
  #refuse(head: Sniffed, code: number, why: string): void {
    if (head.id === undefined) return;
    if (head.method !== undefined) {
      this.respond(errorResponse(head.id, code, `Refused by the gateway: ${why}`));
      return;
    }
    const p = this.#pending.get(head.id);
    if (!p) return;
    clearTimeout(p.timer);
    this.#pending.delete(head.id);
    // (an answer too large is -32004 for the host too; anything else the upstream got wrong is -32003)
    p.resolve(errorResponse(null, code === MESSAGE_TOO_LARGE ? code : UPSTREAM_FAILED, `upstream ${this.name} answered ${p.method} with ${why}`));
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
