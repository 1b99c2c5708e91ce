/**
 * An upstream MCP server over Streamable HTTP (`url:` in an upstream entry),
 * as an UpstreamChannel: every message the gateway sends is POSTed; the
 * answer is 202, one JSON message (or a batch), or an SSE stream of messages
 * that ends with the response. The session id the server issues on
 * initialize is sent back on every later request, with the negotiated
 * MCP-Protocol-Version. After `notifications/initialized` a GET stream is
 * opened for server-initiated messages (a 405 means the server has none).
 * `fetch` only: runs unchanged on Node, Deno and Bun.
 *
 * Only the upstream's configured `headers` are sent: nothing of the host's
 * request (its Authorization header in particular) ever reaches an upstream.
 */
import { errorResponse, UPSTREAM_FAILED, type Id } from './jsonrpc.js';
import { Gate, readSse } from './http-sse.js';
import type { Sniffed } from './json-guard.js';
import type { UpstreamChannel } from './upstream.js';
import type { UpstreamConfig } from './config.js';
import type { Logger } from '../log.js';

export interface HttpChannelOptions {
  logger: Logger;
  /** Largest message accepted from the upstream (characters of JSON). */
  maxBytes: number;
  /** Injected for tests; the runtime's fetch otherwise. */
  fetch?: typeof fetch;
  /** First delay before the GET stream is re-opened after it ended (doubles up to 30 s). */
  retryMs?: number;
  /**
   * Open the server's GET stream for its own messages (default true). Off
   * where I/O may not outlive the request that started it (Cloudflare
   * Workers): the upstream's messages then come only with its answers.
   */
  listen?: boolean;
}

const ACCEPT_BOTH = 'application/json, text/event-stream';

export class HttpUpstreamChannel implements UpstreamChannel {
  onLine?: (line: string) => void;
  onExit?: (reason: string) => void;
  onTooLarge?: (bytes: number, head: Sniffed) => void;
  readonly #cfg: UpstreamConfig;
  readonly #url: URL;
  readonly #o: HttpChannelOptions;
  readonly #fetch: typeof fetch;
  /** The GET stream's, aborted when the channel ends (made when the stream is opened: never on Workers). */
  #abort: AbortController | null = null;
  /** One controller per request in flight, aborted when the channel ends: a signal made for one request is never used by another (Workers forbid it). */
  readonly #inflight = new Set<AbortController>();
  #session: string | undefined;
  #protocol: string | undefined;
  #initId: Id | undefined;
  #done = false;
  #listening = false;
  /** Closed while the host is not reading (backpressure): the SSE streams are not read meanwhile. */
  readonly #gate = new Gate();

  constructor(cfg: UpstreamConfig, o: HttpChannelOptions) {
    if (!cfg.url) throw new Error(`upstream ${cfg.name}: an HTTP upstream needs url:`);
    this.#cfg = cfg;
    this.#url = new URL(cfg.url);
    this.#o = o;
    this.#fetch = o.fetch ?? ((input, init) => fetch(input, init));
  }

  async start(): Promise<void> {
    if (this.#url.protocol !== 'http:' && this.#url.protocol !== 'https:') {
      throw new Error(`upstream ${this.#cfg.name}: url must be http:// or https:// (got ${this.#url.protocol})`);
    }
  }

  send(line: string): void {
    if (this.#done) return;
    void this.#post(line).catch((e) => this.#o.logger.error(`upstream ${this.#cfg.name}: ${e instanceof Error ? e.message : e}`));
  }

  /** The headers of every request: the configured ones, then the transport's own. */
  #headers(accept: string): Headers {
    const h = new Headers(this.#cfg.headers);
    h.set('accept', accept);
    if (this.#session) h.set('mcp-session-id', this.#session);
    if (this.#protocol) h.set('mcp-protocol-version', this.#protocol);
    return h;
  }

  async #post(line: string): Promise<void> {
    let msg: { id?: Id | null; method?: unknown } = {};
    try {
      msg = JSON.parse(line);
    } catch {
      /* the gateway only sends JSON; forward whatever it is */
    }
    const requestId = typeof msg.method === 'string' && (typeof msg.id === 'string' || typeof msg.id === 'number') ? msg.id : undefined;
    if (msg.method === 'initialize') this.#initId = requestId;
    const headers = this.#headers(ACCEPT_BOTH);
    headers.set('content-type', 'application/json');
    const ac = new AbortController();
    this.#inflight.add(ac);
    try {
      await this.#exchange(line, msg, requestId, headers, ac.signal);
    } finally {
      this.#inflight.delete(ac);
    }
  }

  async #exchange(line: string, msg: { id?: Id | null; method?: unknown }, requestId: Id | undefined, headers: Headers, signal: AbortSignal): Promise<void> {
    let res: Response;
    try {
      res = await this.#fetch(this.#url, { method: 'POST', headers, body: line, signal, redirect: 'manual' });
    } catch (e) {
      if (!this.#done) this.#fail(`cannot reach ${this.#url.origin}: ${e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : e}`);
      return;
    }
    if (msg.method === 'initialize') this.#session = res.headers.get('mcp-session-id') ?? undefined;
    if (!res.ok) return this.#refused(res, requestId, msg.method);
    if (res.status === 202 || requestId === undefined) {
      await res.body?.cancel();
      if (msg.method === 'notifications/initialized' && !this.#listening && this.#o.listen !== false) void this.#listen();
      return;
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'text/event-stream' && res.body) {
      await this.#readEvents(res.body);
    } else if (type === 'application/json') {
      const text = await this.#text(res);
      if (text === null) return this.onTooLarge?.(this.#o.maxBytes + 1, { id: requestId, response: true });
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return this.#answer(requestId, 'answered with invalid JSON');
      }
      for (const m of Array.isArray(body) ? body : [body]) this.#deliver(JSON.stringify(m));
    } else {
      await res.body?.cancel();
      this.#answer(requestId, `answered with Content-Type "${type || 'none'}" (expected application/json or text/event-stream)`);
    }
  }

  /** A non-2xx answer: an expired session ends this channel (the upstream reconnects); anything else fails the request. */
  async #refused(res: Response, requestId: Id | undefined, method: unknown): Promise<void> {
    const text = ((await this.#text(res).catch(() => null)) ?? '').slice(0, 200);
    if (res.status >= 300 && res.status < 400) {
      return this.#answer(requestId, `redirected to ${res.headers.get('location') ?? '?'} (HTTP ${res.status}): set its url to the final address`);
    }
    // 404 is the spec's "session expired"; some servers answer 400 "no valid session ID"
    const expired = this.#session && method !== 'initialize' && (res.status === 404 || (res.status === 400 && /session/i.test(text)));
    if (expired) return this.#fail(`session expired (HTTP ${res.status})`);
    const why = res.status === 401 || res.status === 403 ? ` (check the upstream's headers: in the config)` : '';
    if (requestId !== undefined) this.#answer(requestId, `answered HTTP ${res.status}${why}${text ? `: ${text}` : ''}`);
    else this.#o.logger.warn(`upstream ${this.#cfg.name}: HTTP ${res.status} for a ${String(method ?? 'response')} message`);
  }

  /** Reads a body as text, or null when it is over the limit (it is then discarded). */
  async #text(res: Response): Promise<string | null> {
    if (!res.body) return '';
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let out = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return out + decoder.decode();
      out += decoder.decode(value, { stream: true });
      if (out.length > this.#o.maxBytes) {
        await reader.cancel();
        return null;
      }
    }
  }

  async #readEvents(body: ReadableStream<Uint8Array>): Promise<void> {
    try {
      await readSse(body, this.#o.maxBytes, {
        event: (e) => {
          if (e.event === 'message') this.#deliver(e.data);
        },
        tooLarge: (n, head) => this.onTooLarge?.(n, head),
      }, this.#gate);
    } catch (e) {
      if (!this.#done) this.#o.logger.warn(`upstream ${this.#cfg.name}: SSE stream broke off (${e instanceof Error ? e.message : e})`);
    }
  }

  pause(): void {
    this.#gate.close();
  }

  resume(): void {
    this.#gate.open();
  }

  #deliver(line: string): void {
    if (this.#done) return;
    if (this.#initId !== undefined && line.includes('protocolVersion')) {
      // the negotiated version goes into every later request's header
      try {
        const m = JSON.parse(line) as { id?: Id; result?: { protocolVersion?: unknown } };
        if (m.id === this.#initId && typeof m.result?.protocolVersion === 'string') {
          this.#protocol = m.result.protocolVersion;
          this.#initId = undefined;
        }
      } catch {
        /* the upstream reports it */
      }
    }
    this.onLine?.(line);
  }

  /** Fails one request with a -32003 response naming the upstream. */
  #answer(id: Id | undefined, why: string): void {
    const message = `upstream ${this.#cfg.name} ${why}`;
    if (id === undefined) return this.#o.logger.warn(message);
    this.#deliver(JSON.stringify(errorResponse(id, UPSTREAM_FAILED, message)));
  }

  /** The server's own stream (GET), re-opened with backoff while the channel lives. */
  async #listen(): Promise<void> {
    this.#listening = true;
    const abort = (this.#abort ??= new AbortController());
    let delay = this.#o.retryMs ?? 1000;
    while (!this.#done) {
      let res: Response;
      try {
        res = await this.#fetch(this.#url, { method: 'GET', headers: this.#headers('text/event-stream'), signal: abort.signal, redirect: 'manual' });
      } catch {
        if (this.#done) return;
        await this.#sleep(delay);
        delay = Math.min(delay * 2, 30_000);
        continue;
      }
      if (res.status === 405) {
        await res.body?.cancel();
        return; // the server offers no stream of its own
      }
      if (res.status === 404) {
        await res.body?.cancel();
        return this.#fail('session expired (HTTP 404 on the GET stream)');
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        this.#o.logger.debug(`upstream ${this.#cfg.name}: GET stream refused (HTTP ${res.status})`);
        return;
      }
      delay = this.#o.retryMs ?? 1000;
      await this.#readEvents(res.body);
      if (!this.#done) await this.#sleep(delay);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.#abort?.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }

  #abortAll(): void {
    for (const ac of [this.#abort, ...this.#inflight]) {
      try {
        ac?.abort();
      } catch {
        // (Workers: a request's I/O ended with that request; it cannot be aborted from another)
      }
    }
    this.#inflight.clear();
  }

  #fail(reason: string): void {
    if (this.#done) return;
    this.#done = true;
    this.#gate.open();
    this.#abortAll();
    this.onExit?.(reason);
  }

  async close(): Promise<void> {
    if (this.#done) return; // failed: its session is gone already
    this.#done = true;
    this.#gate.open();
    this.#abortAll();
    if (!this.#session) return;
    // ends the upstream session (best effort, bounded)
    const t = new AbortController();
    const timer = setTimeout(() => t.abort(), 2000);
    try {
      const res = await this.#fetch(this.#url, { method: 'DELETE', headers: this.#headers('application/json'), signal: t.signal, redirect: 'manual' });
      await res.body?.cancel();
    } catch {
      /* gone already */
    } finally {
      clearTimeout(timer);
    }
  }
}
