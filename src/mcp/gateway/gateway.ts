/**
 * The MCP security gateway: an MCP server to the host and an MCP client to
 * each upstream. It routes JSON-RPC frames itself (one parse per message),
 * aggregates lists, maps ids and progress tokens, routes tasks, and scans
 * every message it relays as the coverage table says (./coverage), both
 * ways; the policy decides, ./results.ts shapes what the host gets, and
 * every decision is reported (./report.ts). Upstream-initiated traffic is in
 * ./server-traffic.ts. Runtime-agnostic: transports, storage and the clock
 * are injected.
 *
 * Error codes: -32000 rate limited, -32001 blocked (rule ids in data),
 * -32002 no upstream (none configured, or it failed for good), -32003 the
 * upstream failed or is restarting, -32004 message too large.
 */
import type { Scanner } from '../../core/index.js';
import type { Logger } from '../log.js';
import * as rpc from './jsonrpc.js';
import { Upstream, type UpstreamChannel, type UpstreamEvents } from './upstream.js';
import type { SharedUpstreamsPort } from './shared.js';
import type { ScanPool } from './scan-pool.js';
import { Forwarder, idKey } from './forward.js';
import { effectivePolicy, type EffectivePolicy, type GatewayFile, type UpstreamConfig } from './config.js';
import { Catalog, type ListKind } from './catalog.js';
import { coverageOf } from './coverage/index.js';
import { Inspector } from './inspector.js';
import { Lists, LIST_METHOD } from './lists.js';
import { MemoryPinStore, type PinStore } from './pins.js';
import { GatewayStats, type UpstreamHealth } from './stats.js';
import { GatewayLimits } from './limits.js';
import { Recorder } from './report.js';
import { HostNotices } from './notices.js';
import { Router } from './routing.js';
import { Handshake } from './handshake.js';
import { HostCalls } from './calls.js';
import { ServerTraffic } from './server-traffic.js';
import { TaskRoutes } from './tasks.js';
import type { AuditSink } from './audit.js';
import type { GatewayState } from './state/types.js';
import { methodLabel, type GatewayMetrics } from './metrics.js';
import { inSpan } from './tracing.js';
import { depthExceeds, idOf, MAX_JSON_DEPTH, type Sniffed } from './json-guard.js';
import { safeIdent } from './report.js';

export { GATEWAY_NAME, GATEWAY_VERSION } from './handshake.js';
const LOG_LEVELS = new Set(['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency']);

export interface GatewayDeps {
  config: GatewayFile;
  scanner: Scanner;
  /** Opens the byte channel to an upstream (child process, HTTP client...). */
  channel(up: UpstreamConfig): UpstreamChannel;
  /** Sends one message to the host. */
  send(msg: rpc.Message): void;
  logger: Logger;
  audit?: AuditSink;
  pins?: PinStore;
  /** Shared across sessions by the HTTP gateway; by default the config's limits, none where it sets none. */
  limits?: GatewayLimits;
  /**
   * Shared state (./state): its pins and audit stream replace `pins` and
   * `audit`, and every count also goes to its fleet-wide counters.
   */
  state?: GatewayState;
  /** Metrics of the whole HTTP gateway (shared by its sessions). */
  metrics?: GatewayMetrics;
  /** Rate-limit key of this host connection. */
  client?: string;
  /** Scan time budget per decision (default SCAN_TIME_BUDGET_MS) and its clock. */
  scanBudgetMs?: number;
  now?: () => number;
  /** Upstreams shared between sessions (HTTP gateway; those with `share: true`). */
  shared?: SharedUpstreamsPort;
  /** Long texts are scanned by this pool, in this gateway's turn (`lane`: the session); without it, on the event loop in slices. */
  pool?: ScanPool;
  lane?: string;
}

export class Gateway {
  readonly upstreams: Upstream[] = [];
  readonly stats: GatewayStats;
  readonly #cfg = new Map<string, UpstreamConfig>();
  readonly #d: GatewayDeps;
  readonly #catalog = new Catalog();
  readonly #router: Router;
  readonly #notices: HostNotices;
  readonly #recorder: Recorder;
  readonly #inspector: Inspector;
  readonly #lists: Lists;
  readonly #tasks = new TaskRoutes();
  readonly #server: ServerTraffic;
  readonly #handshake: Handshake;
  readonly #calls: HostCalls;
  /** Upstreams this gateway shares with other sessions (never paused or closed by it). */
  readonly #shared = new Set<Upstream>();
  readonly #forwarder: Forwarder;
  /** host requests being handled, by id key: cancelled ones are neither forwarded (if not yet) nor answered */
  readonly #active = new Map<string, { cancelled: boolean }>();

  constructor(deps: GatewayDeps) {
    this.#d = deps;
    const state = deps.state;
    this.stats = new GatewayStats(state && ((c) => state.count(c)));
    const audit = state ? state.audit : deps.audit;
    this.#notices = new HostNotices((m) => this.#send(m));
    this.#recorder = new Recorder({
      logger: deps.logger,
      stats: this.stats,
      audit,
      metrics: deps.metrics,
      telemetry: deps.config.gateway.telemetry_enabled,
      context: (name) => {
        const env = this.#cfg.get(name)?.env ?? {};
        return { ...(env.MSSP_ID ? { mssp_id: env.MSSP_ID } : {}), ...(env.CUSTOMER_ID ? { customer_id: env.CUSTOMER_ID } : {}) };
      },
    });
    this.#inspector = new Inspector({
      scanner: deps.scanner,
      recorder: this.#recorder,
      logger: deps.logger,
      l2: deps.config.gateway.l2_enabled,
      policy: (name) => effectivePolicy(deps.config, this.#cfg.get(name)),
      config: (name) => this.#cfg.get(name),
      now: deps.now,
      budgetMs: deps.scanBudgetMs,
      pool: deps.pool,
      lane: deps.lane ?? deps.client ?? 'stdio',
      metrics: deps.metrics,
    });
    this.#router = new Router({ limits: deps.limits ?? new GatewayLimits(deps.config, 0), stats: this.stats, recorder: this.#recorder, upstreams: this.upstreams, client: deps.client ?? 'stdio' });
    const warnHost = this.#notices.warn.bind(this.#notices);
    this.#lists = new Lists({
      ready: () => this.#ready(),
      config: (up) => this.#cfg.get(up.name)!,
      policy: (up) => this.#policy(up),
      inspector: this.#inspector,
      recorder: this.#recorder,
      catalog: this.#catalog,
      pins: state?.pins ?? deps.pins ?? new MemoryPinStore(),
      stats: this.stats,
      warnHost,
      logger: deps.logger,
    });
    this.#server = new ServerTraffic({
      send: (m) => this.#send(m),
      inspector: this.#inspector,
      hostCaps: () => this.#handshake.hostCaps,
      hostToken: (t) => this.#forwarder.hostToken(t),
      catalogStale: () => {
        this.#catalog.toolsKnown = false;
      },
      tasks: this.#tasks,
      warnHost,
      dropped: (name) => this.stats.count('notifications_blocked', name),
      blocked: (name) => this.stats.blocked(name),
      logger: deps.logger,
    });
    this.#forwarder = new Forwarder({
      inspector: this.#inspector, stats: this.stats, notices: this.#notices, tasks: this.#tasks, drain: (up) => this.#server.drain(up),
      cancelled: (id) => this.#active.get(idKey(id))?.cancelled === true,
      metrics: deps.metrics,
    });
    for (const u of deps.config.upstreams) {
      this.#cfg.set(u.name, u);
      const shared = deps.shared?.attach(u, this.#sharedEvents);
      if (shared) this.#shared.add(shared);
      this.upstreams.push(shared ?? upstreamFor(deps.config, u, this.#events, deps.logger, deps.channel));
    }
    this.#calls = new HostCalls({ catalog: this.#catalog, lists: this.#lists, router: this.#router, forwarder: this.#forwarder, stats: this.stats, recorder: this.#recorder, upstreams: this.upstreams });
    this.#handshake = new Handshake({ upstreams: this.upstreams, shared: this.#shared, inspector: this.#inspector, notices: this.#notices, stats: this.stats, ready: () => this.#ready() });
  }

  readonly #events: UpstreamEvents = {
    request: (up, req) => void this.#server.upstreamRequest(up, req),
    notification: (up, n, bytes) => this.#server.upstreamNotification(up, n, bytes),
    restarted: (up) => {
      this.#d.logger.info(`upstream ${up.name} restarted`);
      this.#catalog.toolsKnown = false;
      this.#notices.restarted(up);
    },
    stopped: (up, reason) => {
      this.#catalog.toolsKnown = false;
      this.#notices.stopped(up, reason);
    },
    oversized: (up) => this.stats.count('oversized_messages', up.name, 'oversized'),
  };

  /** What this session takes of a shared upstream's traffic (see ./shared.ts). */
  readonly #sharedEvents: UpstreamEvents = {
    ...this.#events,
    request: () => {}, // (the registry refuses them: no one host to ask)
    notification: (up, n, bytes) => {
      const p = n.params ?? {};
      const mine = n.method === 'notifications/progress' || n.method.endsWith('/list_changed') || (n.method === 'notifications/tasks/status' && this.#tasks.owner(p.taskId) !== undefined);
      if (mine) this.#server.upstreamNotification(up, n, bytes);
    },
  };

  /** Stops reading this session's own upstreams (its host is not reading); shared ones go on. */
  pauseUpstreams(): void {
    for (const u of this.upstreams) if (!this.#shared.has(u)) u.pause();
  }

  resumeUpstreams(): void {
    for (const u of this.upstreams) if (!this.#shared.has(u)) u.resume();
  }

  // ---------------------------------------------------------------- host side

  /** One line from the host (already framed). Never throws. */
  handleLine(line: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      this.stats.count('parse_errors');
      this.#send(rpc.errorResponse(null, rpc.PARSE_ERROR, 'Parse error: invalid JSON'));
      return;
    }
    this.handleMessage(msg);
  }

  /**
   * A host message over the size limit was discarded: a request is answered
   * with -32004 under its own id (recovered from the text, see
   * ./json-guard.ts), the host's answer to a relayed request fails that
   * request upstream, a notification is dropped. Counted in the stats.
   */
  handleTooLarge(bytes: number, head: Sniffed = { response: false }): void {
    this.stats.count('oversized_messages');
    const why = `${bytes}-byte message exceeds the ${this.#d.config.gateway.max_message_bytes}-byte limit (gateway.max_message_bytes)`;
    this.#d.logger.warn(`the host sent a ${why}${head.method ? ` (${safeIdent(head.method)})` : ''}; dropped`);
    this.#refuse(head, rpc.MESSAGE_TOO_LARGE, `Message too large: ${why}`);
  }

  /** One parsed message from the host. Never throws. */
  handleMessage(msg: unknown): void {
    const problem = rpc.envelopeProblem(msg);
    if (problem) {
      this.stats.count('invalid_messages');
      this.#send(rpc.errorResponse(idOf(msg), rpc.INVALID_REQUEST, `Invalid request: ${problem}`));
      return;
    }
    if (depthExceeds(msg)) {
      this.stats.count('invalid_messages');
      const m = msg as Record<string, unknown>;
      this.#d.logger.warn(`the host sent a message nested deeper than ${MAX_JSON_DEPTH} levels; refused`);
      const head: Sniffed = { response: !('method' in m), ...(typeof m.method === 'string' ? { method: m.method } : {}), ...(idOf(m) !== null ? { id: idOf(m)! } : {}) };
      this.#refuse(head, rpc.INVALID_REQUEST, `Invalid request: nested deeper than ${MAX_JSON_DEPTH} levels`);
      return;
    }
    const m = msg as rpc.Message;
    if (rpc.isRequest(m)) void this.#onHostRequest(m);
    else if (rpc.isNotification(m)) this.#onHostNotification(m);
    else void this.#server.hostResponse(m as rpc.Response).catch((e) => this.#internal('a host response', e));
  }

  /** Refuses a host message that was not processed: by id when it had one; a notification silently. */
  #refuse(head: Sniffed, code: number, message: string): void {
    if (head.method !== undefined && head.id === undefined) return; // a notification: nothing to answer
    if (head.method === undefined && head.response && head.id !== undefined) return this.#server.hostRefused(head.id, code, message);
    this.#send(rpc.errorResponse(head.id ?? null, code, message));
  }

  #internal(what: string, e: unknown): void {
    this.#d.logger.error(`internal error on ${what}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }

  async #onHostRequest(req: rpc.Request): Promise<void> {
    this.stats.count('requests_total');
    const method = methodLabel(req.method);
    this.#d.metrics?.requests.inc({ method });
    const k = idKey(req.id);
    const state = { cancelled: false };
    this.#active.set(k, state);
    try {
      const res = await inSpan(`mcp ${method}`, { 'rpc.system': 'jsonrpc', 'rpc.method': method }, async (span) => {
        const r = await this.#dispatch(req);
        // (the code only: an upstream's error data is its own text; the decisions are on the scan spans)
        if (r?.error) span.setAttribute('rpc.jsonrpc.error_code', r.error.code);
        return r;
      });
      if (res !== null && !state.cancelled) this.#send(res);
    } catch (e) {
      this.#d.logger.error(`internal error on ${req.method}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      if (!state.cancelled) this.#send(rpc.errorResponse(req.id, rpc.INTERNAL_ERROR, 'Internal error (details are in the gateway log)'));
    } finally {
      if (this.#active.get(k) === state) this.#active.delete(k);
    }
    if (req.method === 'initialize') this.#notices.flush();
  }

  async #dispatch(req: rpc.Request): Promise<rpc.Response | null> {
    const p = (req.params && !Array.isArray(req.params) ? req.params : {}) as Record<string, unknown>;
    if (req.method === 'initialize') return this.#handshake.initialize(req, p);
    if (req.method === 'ping') return rpc.resultResponse(req.id, {});
    if (this.upstreams.length === 0) return rpc.errorResponse(req.id, rpc.NO_UPSTREAM, 'No upstream server configured');
    await this.#handshake.ensure();
    const list = (Object.keys(LIST_METHOD) as ListKind[]).find((k) => LIST_METHOD[k] === req.method);
    if (list) return (await this.#router.limit(req, null)) ?? this.#router.noneReady(req) ?? rpc.resultResponse(req.id, { [list]: await this.#lists.list(list) });
    switch (req.method) {
      case 'tools/call': return this.#calls.callTool(req, p);
      case 'prompts/get': return this.#calls.getPrompt(req, p);
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        const up = await this.#calls.resourceOwner(String(p.uri));
        if (!up) return this.#router.noRoute(req, 'resource', String(p.uri));
        if (req.method !== 'resources/read' && this.#shared.has(up)) {
          return rpc.errorResponse(req.id, rpc.METHOD_NOT_FOUND, `${req.method} is not available: upstream ${up.name} is shared between the gateway's clients (share: true)`);
        }
        return (await this.#router.routed(req, up)) ?? this.#forwarder.relay(req, up, req.method, p, { entry: coverageOf('host', 'request', req.method), what: String(p.uri) });
      }
      case 'completion/complete': return this.#calls.complete(req, p);
      case 'logging/setLevel': return this.#setLevel(req, p);
      case 'tasks/get':
      case 'tasks/result':
      case 'tasks/cancel': {
        const route = this.#tasks.owner(p.taskId);
        if (!route) return rpc.errorResponse(req.id, rpc.INVALID_PARAMS, `Unknown task: ${safeIdent(String(p.taskId))}`);
        return (await this.#router.routed(req, route.up)) ?? this.#forwarder.relay(req, route.up, req.method, p, { entry: coverageOf('host', 'request', req.method), what: route.tool, tool: req.method === 'tasks/result' });
      }
      case 'tasks/list': return (await this.#router.limit(req, null)) ?? this.#router.noneReady(req) ?? rpc.resultResponse(req.id, { tasks: await this.#server.listTasks(this.#ready()) });
      default: {
        // a method the gateway does not know: relayed (scanned both ways) when there is one owner
        const ready = this.#ready();
        if (ready.length !== 1) return rpc.errorResponse(req.id, rpc.METHOD_NOT_FOUND, `Method not found: ${safeIdent(req.method)}`);
        return (await this.#router.routed(req, ready[0])) ?? this.#forwarder.relay(req, ready[0], req.method, (req.params ?? {}) as Record<string, unknown>, { entry: coverageOf('host', 'request', req.method) });
      }
    }
  }

  #onHostNotification(n: rpc.Notification): void {
    const p = n.params ?? {};
    if (n.method === 'notifications/initialized' || n.method === 'notifications/tasks/status') return;
    if (n.method === 'notifications/cancelled') {
      // not answered; not forwarded if it is still being scanned; cancelled upstream if it is there
      const state = this.#active.get(idKey(p.requestId));
      if (state) state.cancelled = true;
      this.#forwarder.cancel(p.requestId);
      return;
    }
    if (n.method === 'notifications/progress') return void this.#server.hostProgress(n).catch((e) => this.#internal(n.method, e));
    const entry = coverageOf('host', 'notification', n.method);
    for (const up of this.#ready()) {
      void this.#inspector.inspect(up.name, n.method, entry.params, p).then((v) => {
        if (v.action !== 'block') up.notify(n.method, n.params);
      }).catch((e) => this.#internal(n.method, e));
    }
  }

  #ready(): Upstream[] {
    return this.upstreams.filter((u) => u.state === 'ready');
  }

  #policy(up: Upstream | undefined): EffectivePolicy {
    return effectivePolicy(this.#d.config, up ? this.#cfg.get(up.name) : undefined);
  }

  // ------------------------------------------------------------ the calls

  async #setLevel(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response> {
    if (!LOG_LEVELS.has(String(p.level))) return rpc.errorResponse(req.id, rpc.INVALID_PARAMS, `Invalid log level: expected one of ${[...LOG_LEVELS].join(', ')}`);
    const limited = await this.#router.limit(req, null);
    if (limited) return limited;
    const part = coverageOf('host', 'request', 'logging/setLevel').params;
    // (a shared upstream's level is not one session's to set)
    await Promise.all(this.#ready().filter((u) => u.capabilities().logging && !this.#shared.has(u)).map(async (u) => {
      if ((await this.#inspector.inspect(u.name, req.method, part, p)).action !== 'block') await u.request('logging/setLevel', p);
    }));
    return rpc.resultResponse(req.id, {});
  }

  // ------------------------------------------------------------- the rest

  #send(msg: rpc.Message): void {
    try {
      this.#d.send(msg);
    } catch (e) {
      this.#d.logger.error(`cannot send to host: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Counters, upstream health and latency percentiles (the spec's get_stats()). */
  getStats(): Record<string, unknown> {
    const health: Record<string, UpstreamHealth> = {};
    for (const u of this.upstreams) health[u.name] = { state: u.state, restarts: u.restarts, last_error: u.lastError };
    return this.stats.snapshot(health);
  }

  /** Closes the upstreams (a shared one stays for the other sessions), then waits for the audit log to store every event so far. */
  async close(): Promise<void> {
    this.#d.shared?.detach(this.#sharedEvents);
    await Promise.all(this.upstreams.filter((u) => !this.#shared.has(u)).map((u) => u.close()));
    await (this.#d.state ? this.#d.state.audit : this.#d.audit)?.flush?.();
  }
}


/** An upstream of `u` with `events` (its timeout: timeout_s, else the gateway's request_timeout_s). */
export function upstreamFor(config: GatewayFile, u: UpstreamConfig, events: UpstreamEvents, logger: Logger, channel: (u: UpstreamConfig) => UpstreamChannel): Upstream {
  return new Upstream(u.name, () => channel(u), events, logger, (u.timeout_s ?? config.gateway.request_timeout_s) * 1000);
}
