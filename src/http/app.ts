/**
 * The HTTP gateway as a Hono app — a plain `fetch` handler, Web APIs only
 * (no node:*, Deno or Bun: the serve shims beside this file bind it to a
 * runtime). It serves MCP's Streamable HTTP transport at /mcp in front of
 * the configured upstreams, one `Gateway` per client session:
 *
 *   POST   /mcp     client messages: 202 for notifications and responses;
 *                   for requests an SSE stream (progress first, then the
 *                   result) or one JSON body, as the client's Accept allows
 *   GET    /mcp     the session's own SSE stream (server-initiated messages)
 *   DELETE /mcp     ends the session and releases its upstreams
 *   GET    /healthz liveness (no token needed)
 *   GET    /stats   the sessions' gateway counters, summed, as JSON
 *
 * Mcp-Session-Id is issued on initialize and required after it (missing:
 * 400; unknown or expired: 404). Origin and Host are checked against DNS
 * rebinding (403), the bearer token when one is set (401), the body size
 * (413), MCP-Protocol-Version (400).
 */
import { Hono, type Context } from 'hono';
import type { Scanner } from '../core/index.js';
import { Gateway } from '../mcp/gateway/gateway.js';
import { HttpUpstreamChannel } from '../mcp/gateway/http-upstream.js';
import type { GatewayFile, UpstreamConfig } from '../mcp/gateway/config.js';
import * as rpc from '../mcp/gateway/jsonrpc.js';
import { Latencies } from '../mcp/gateway/stats.js';
import type { UpstreamChannel } from '../mcp/gateway/upstream.js';
import type { AuditSink } from '../mcp/gateway/audit.js';
import type { PinStore } from '../mcp/gateway/pins.js';
import { GatewayLimits, HTTP_DEFAULT_RPM } from '../mcp/gateway/limits.js';
import type { Logger } from '../mcp/log.js';
import { bearerChecker, hostProblem, isLoopback, originProblem, protocolProblem, readBody } from './guards.js';
import { HttpSession } from './session.js';
import { SessionStore } from './sessions.js';
import type { ConnInfo, FetchHandler } from './serve.js';

export interface HttpGatewayOptions {
  config: GatewayFile;
  scanner: Scanner;
  logger: Logger;
  /** Opens a stdio upstream (`command:`); the runtime adapter provides it. Without it such upstreams fail to start. */
  stdioChannel?: (u: UpstreamConfig) => UpstreamChannel;
  audit?: AuditSink;
  pins?: PinStore;
  /** For Streamable HTTP upstreams (`url:`); the runtime's fetch by default. */
  fetch?: typeof fetch;
  /**
   * Host names accepted besides loopback ones. Checked only when the gateway
   * listens on a loopback address (gateway.host), where a foreign Host
   * header can only come from DNS rebinding.
   */
  extraHosts?: string[];
  /** Most sessions at once (default 128): each runs its own upstreams. */
  maxSessions?: number;
  /**
   * Rate-limit key: "address" (the client's IP), "session", or "auto"
   * (default): the session on loopback, where every client shares one
   * address, the address otherwise, so a remote client cannot dodge its
   * limit by opening sessions.
   */
  rateLimitKey?: 'auto' | 'address' | 'session';
  /** Answer requests with one JSON body even when the client accepts SSE. */
  jsonResponse?: boolean;
  /** Keep-alive comments on open SSE streams (default 15 s; 0: none). */
  keepAliveMs?: number;
  now?: () => number;
}

export interface HttpGateway {
  readonly app: Hono<{ Bindings: ConnInfo }>;
  /** What a serve shim calls for each request. */
  readonly fetch: FetchHandler;
  readonly sessions: SessionStore;
  stats(): Record<string, unknown>;
  /** Refuses new requests (503), ends GET streams, waits up to `timeoutMs` for requests in flight. */
  drain(timeoutMs: number): Promise<void>;
  /** Closes every session and its upstreams. */
  close(): Promise<void>;
}

type C = Context<{ Bindings: ConnInfo }>;

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' };

/** An HTTP error with a JSON-RPC error body (what MCP clients show the user). */
function fail(c: C, status: 400 | 401 | 403 | 404 | 405 | 406 | 409 | 413 | 415 | 500 | 503, code: number, message: string, headers: Record<string, string> = {}) {
  return c.json({ jsonrpc: '2.0', id: null, error: { code, message } }, status, headers);
}

const prefixed = (log: Logger, p: string): Logger => ({
  debug: (m) => log.debug(`${p}${m}`),
  info: (m) => log.info(`${p}${m}`),
  warn: (m) => log.warn(`${p}${m}`),
  error: (m) => log.error(`${p}${m}`),
  enabled: log.enabled && ((l) => log.enabled!(l)),
});

/** Builds the app; nothing listens until a serve shim is given `fetch`. */
export function createHttpGateway(o: HttpGatewayOptions): HttpGateway {
  const g = o.config.gateway;
  const now = o.now ?? (() => Date.now());
  const log = o.logger;
  const started = now();
  const sessions = new SessionStore({ idleMs: g.session_idle_s * 1000, maxSessions: o.maxSessions ?? 128, now, logger: log });
  // one set of buckets for every session (keyed by client): HTTP_DEFAULT_RPM where the config sets no limit
  const limits = new GatewayLimits(o.config, HTTP_DEFAULT_RPM, o.now);
  const latency = new Latencies();
  const statuses: Record<string, number> = {};
  const checkToken = g.token ? bearerChecker(g.token) : null;
  const checkHost = isLoopback(g.host ?? '127.0.0.1');
  const allowedOrigins = g.allowed_origins ?? [];
  const keepAliveMs = o.keepAliveMs ?? 15_000;
  let draining = false;

  function openSession(address: string | undefined): HttpSession | null {
    const id = crypto.randomUUID();
    const s = new HttpSession(id, { now, keepAliveMs, onLatency: (ms) => latency.add(ms) });
    const slog = prefixed(log, `[session ${id.slice(0, 8)}] `);
    const mode = o.rateLimitKey ?? 'auto';
    const byAddress = address !== undefined && (mode === 'address' || (mode === 'auto' && !isLoopback(address.replace(/^::ffff:/, ''))));
    s.attach(new Gateway({
      config: o.config,
      scanner: o.scanner,
      logger: slog,
      audit: o.audit,
      pins: o.pins,
      limits,
      client: byAddress ? `addr:${address}` : `session:${id}`,
      send: s.deliver,
      channel: (u) => {
        if (u.url) return new HttpUpstreamChannel(u, { logger: slog, maxBytes: g.max_message_bytes, fetch: o.fetch });
        if (!o.stdioChannel) throw new Error(`upstream ${u.name}: stdio upstreams (command:) need a runtime adapter; use url: here`);
        return o.stdioChannel(u);
      },
    }));
    return sessions.add(s);
  }

  /** The session a request names: the session, or the error Response. */
  function sessionOf(c: C): HttpSession | Response {
    const bad = protocolProblem(c.req.header('mcp-protocol-version') ?? null);
    if (bad) return fail(c, 400, rpc.INVALID_REQUEST, bad);
    const id = c.req.header('mcp-session-id');
    if (!id) return fail(c, 400, rpc.INVALID_REQUEST, 'Bad Request: the Mcp-Session-Id header is required (send initialize first to get one)');
    const s = sessions.get(id);
    if (!s) return fail(c, 404, rpc.INVALID_REQUEST, 'Session not found (it expired or was deleted): send initialize to start a new one');
    return s;
  }

  const app = new Hono<{ Bindings: ConnInfo }>();

  app.onError((e, c) => {
    log.error(`HTTP ${c.req.method} ${c.req.path}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return fail(c, 500, rpc.INTERNAL_ERROR, 'Internal error (details are in the gateway log)');
  });
  app.notFound((c) => c.json({ error: `Not found: the MCP endpoint is /mcp (also GET /healthz, GET /stats)` }, 404));

  // DNS rebinding: Host (on loopback) and Origin; CORS for the pages allowed
  app.use('*', async (c, next) => {
    const host = checkHost ? hostProblem(c.req.header('host') ?? null, o.extraHosts ?? []) : null;
    const origin = c.req.header('origin') ?? null;
    const bad = host ?? originProblem(origin, allowedOrigins);
    if (bad) return fail(c, 403, rpc.INVALID_REQUEST, `Forbidden: ${bad}`);
    const cors: Record<string, string> = origin
      ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': 'mcp-session-id, mcp-protocol-version', vary: 'Origin' }
      : {};
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 204, {
        ...cors,
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-allow-headers': 'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, last-event-id',
        'access-control-max-age': '600',
      });
    }
    await next();
    for (const [k, v] of Object.entries(cors)) c.res.headers.set(k, v);
  });

  // the token guards everything but /healthz; the client's token goes no further
  const auth = async (c: C, next: () => Promise<void>) => {
    if (checkToken && !(await checkToken(c.req.header('authorization') ?? null))) {
      return fail(c, 401, rpc.INVALID_REQUEST, 'Unauthorized: send Authorization: Bearer <token> (RAXE_MCP_GATEWAY_TOKEN or gateway.token)', {
        'www-authenticate': 'Bearer realm="raxe-mcp-gateway"',
      });
    }
    await next();
  };
  app.use('/mcp', auth);
  app.use('/stats', auth);
  app.use('/mcp', async (c, next) => {
    if (draining) return fail(c, 503, rpc.INTERNAL_ERROR, 'The gateway is shutting down', { 'retry-after': '5' });
    await next();
  });

  app.post('/mcp', async (c) => {
    const accept = (c.req.header('accept') ?? '*/*').toLowerCase();
    const anyType = accept.includes('*/*');
    const sse = anyType || accept.includes('text/event-stream');
    const json = anyType || accept.includes('application/json') || accept.includes('application/*');
    if (!sse && !json) return fail(c, 406, rpc.INVALID_REQUEST, 'Not Acceptable: accept application/json and text/event-stream');
    const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return fail(c, 415, rpc.INVALID_REQUEST, 'Unsupported Media Type: send Content-Type: application/json');
    const body = await readBody(c.req.raw, g.max_message_bytes);
    if ('tooLarge' in body) {
      return fail(c, 413, rpc.MESSAGE_TOO_LARGE, `Message too large: over the ${g.max_message_bytes}-byte limit (gateway.max_message_bytes)`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.text);
    } catch {
      return fail(c, 400, rpc.PARSE_ERROR, 'Parse error: invalid JSON');
    }
    const batch = Array.isArray(parsed);
    const messages = (batch ? parsed : [parsed]) as unknown[];
    if (messages.length === 0) return fail(c, 400, rpc.INVALID_REQUEST, 'Invalid request: empty batch');
    for (const m of messages) {
      const problem = rpc.envelopeProblem(m);
      if (problem) return fail(c, 400, rpc.INVALID_REQUEST, `Invalid request: ${problem}`);
    }
    const msgs = messages as rpc.Message[];
    const requests = msgs.filter(rpc.isRequest);
    let session: HttpSession | Response;
    if (requests.some((r) => r.method === 'initialize')) {
      const bad = protocolProblem(c.req.header('mcp-protocol-version') ?? null);
      if (bad) return fail(c, 400, rpc.INVALID_REQUEST, bad);
      if (msgs.length > 1) return fail(c, 400, rpc.INVALID_REQUEST, 'Invalid request: initialize must be sent alone, not in a batch');
      if (c.req.header('mcp-session-id')) {
        return fail(c, 400, rpc.INVALID_REQUEST, 'Bad Request: initialize starts a new session: send it without Mcp-Session-Id (DELETE the old session first)');
      }
      const s = openSession(c.env?.remoteAddress);
      if (!s) return fail(c, 503, rpc.INTERNAL_ERROR, `Too many sessions (${sessions.size}): try again later`, { 'retry-after': '10' });
      session = s;
    } else {
      session = sessionOf(c);
      if (session instanceof Response) return session;
    }
    const dup = session.duplicateId(requests);
    if (dup !== undefined) return fail(c, 400, rpc.INVALID_REQUEST, `Invalid request: request id ${JSON.stringify(dup)} is already in use in this session`);
    const headers = { 'mcp-session-id': session.id };
    const ex = session.post(msgs, sse && !(o.jsonResponse && json));
    if (!ex) return c.body(null, 202, headers);
    if (ex.sse) return new Response(ex.sse.body, { status: 200, headers: { ...SSE_HEADERS, ...headers } });
    const answers = await ex.done;
    return c.json(batch ? answers : answers[0], 200, headers);
  });

  app.get('/mcp', (c) => {
    if (c.req.method === 'HEAD') return fail(c, 405, rpc.INVALID_REQUEST, 'Method Not Allowed: use POST, GET or DELETE', { allow: 'GET, POST, DELETE' });
    const accept = (c.req.header('accept') ?? '').toLowerCase();
    if (!accept.includes('text/event-stream')) return fail(c, 406, rpc.INVALID_REQUEST, 'Not Acceptable: the GET stream needs Accept: text/event-stream');
    const s = sessionOf(c);
    if (s instanceof Response) return s;
    const stream = s.openStream();
    if (!stream) return fail(c, 409, rpc.INVALID_REQUEST, 'Conflict: this session already has a GET stream open');
    return new Response(stream.body, { status: 200, headers: { ...SSE_HEADERS, 'mcp-session-id': s.id } });
  });

  app.delete('/mcp', async (c) => {
    const s = sessionOf(c);
    if (s instanceof Response) return s;
    await sessions.remove(s, 'deleted');
    return c.body(null, 200);
  });

  app.all('/mcp', (c) => fail(c, 405, rpc.INVALID_REQUEST, `Method Not Allowed: use POST, GET or DELETE`, { allow: 'GET, POST, DELETE' }));

  app.get('/healthz', (c) => c.json({ status: draining ? 'draining' : 'ok', sessions: sessions.size, uptime_s: Math.round((now() - started) / 1000) }));

  const stats = () => ({
    ...sessions.stats(),
    http: { responses_by_status: { ...statuses }, request_latency_ms: latency.percentiles() },
    uptime_s: Math.round((now() - started) / 1000),
  });
  app.get('/stats', (c) => c.json(stats()));

  return {
    app,
    fetch: async (req, info) => {
      const res = await app.fetch(req, info);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      return res;
    },
    sessions,
    stats,
    async drain(timeoutMs) {
      draining = true;
      for (const s of sessions.all()) s.endStream();
      const end = Date.now() + timeoutMs;
      const busy = () => [...sessions.all()].some((s) => s.inflight > 0);
      while (busy() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    },
    close: () => sessions.closeAll(),
  };
}
