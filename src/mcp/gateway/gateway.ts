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
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import type { Scanner } from '../../core/index.js';
import type { Logger } from '../log.js';
import * as rpc from './jsonrpc.js';
import { Upstream, type UpstreamChannel } from './upstream.js';
import { Forwarder, idKey } from './forward.js';
import { effectivePolicy, type EffectivePolicy, type GatewayFile, type UpstreamConfig } from './config.js';
import { Catalog, mergeCapabilities, type ListKind } from './catalog.js';
import { coverageOf } from './coverage/index.js';
import { Inspector } from './inspector.js';
import { Lists, LIST_METHOD } from './lists.js';
import { MemoryPinStore, type PinStore } from './pins.js';
import { GatewayStats, type UpstreamHealth } from './stats.js';
import { GatewayLimits } from './limits.js';
import { Recorder } from './report.js';
import { HostNotices } from './notices.js';
import { Router } from './routing.js';
import { warnedInstructions, withheldInstructions } from './results.js';
import { ServerTraffic } from './server-traffic.js';
import { TaskRoutes } from './tasks.js';
import type { AuditSink } from './audit.js';

export const GATEWAY_NAME = 'raxe-mcp-gateway';
export const GATEWAY_VERSION = '0.1.0';
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
  /** Rate-limit key of this host connection. */
  client?: string;
  /** Scan time budget per decision (default SCAN_TIME_BUDGET_MS) and its clock. */
  scanBudgetMs?: number;
  now?: () => number;
}

export class Gateway {
  readonly upstreams: Upstream[] = [];
  readonly stats = new GatewayStats();
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
  #hostCaps: Record<string, unknown> = {};
  #initialized: Promise<void> | null = null;
  readonly #forwarder: Forwarder;
  /** host requests cancelled while forwarded (their late answer is dropped) */
  readonly #cancelled = new Set<string>();

  constructor(deps: GatewayDeps) {
    this.#d = deps;
    this.#notices = new HostNotices((m) => this.#send(m));
    this.#recorder = new Recorder({
      logger: deps.logger,
      stats: this.stats,
      audit: deps.audit,
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
      pins: deps.pins ?? new MemoryPinStore(),
      stats: this.stats,
      warnHost,
      logger: deps.logger,
    });
    this.#server = new ServerTraffic({
      send: (m) => this.#send(m),
      inspector: this.#inspector,
      hostCaps: () => this.#hostCaps,
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
    this.#forwarder = new Forwarder({ inspector: this.#inspector, stats: this.stats, notices: this.#notices, tasks: this.#tasks, drain: (up) => this.#server.drain(up) });
    const timeoutMs = deps.config.gateway.request_timeout_s * 1000;
    for (const u of deps.config.upstreams) {
      this.#cfg.set(u.name, u);
      const events = {
        request: (up: Upstream, req: rpc.Request) => void this.#server.upstreamRequest(up, req),
        notification: (up: Upstream, n: rpc.Notification) => this.#server.upstreamNotification(up, n),
        restarted: (up: Upstream) => {
          this.#d.logger.info(`upstream ${up.name} restarted`);
          this.#catalog.toolsKnown = false;
          this.#notices.restarted(up);
        },
        stopped: (up: Upstream, reason: string) => {
          this.#catalog.toolsKnown = false;
          this.#notices.stopped(up, reason);
        },
      };
      this.upstreams.push(new Upstream(u.name, () => deps.channel(u), events, deps.logger, (u.timeout_s ?? deps.config.gateway.request_timeout_s) * 1000 || timeoutMs));
    }
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

  /** A host line over the size limit was discarded. */
  handleTooLarge(bytes: number): void {
    this.stats.count('oversized_messages');
    this.#send(rpc.errorResponse(null, rpc.MESSAGE_TOO_LARGE, `Message too large: ${bytes} bytes exceeds the ${this.#d.config.gateway.max_message_bytes}-byte limit`));
  }

  handleMessage(msg: unknown): void {
    const problem = rpc.envelopeProblem(msg);
    if (problem) {
      const id = (msg as { id?: unknown })?.id;
      this.#send(rpc.errorResponse(typeof id === 'string' || typeof id === 'number' ? id : null, rpc.INVALID_REQUEST, `Invalid request: ${problem}`));
      return;
    }
    const m = msg as rpc.Message;
    if (rpc.isRequest(m)) void this.#onHostRequest(m);
    else if (rpc.isNotification(m)) this.#onHostNotification(m);
    else void this.#server.hostResponse(m as rpc.Response);
  }

  async #onHostRequest(req: rpc.Request): Promise<void> {
    this.stats.count('requests_total');
    try {
      const res = await this.#dispatch(req);
      // (always forget the cancellation, also when the response is already null)
      const cancelled = this.#cancelled.delete(idKey(req.id));
      if (res !== null && !cancelled) this.#send(res);
    } catch (e) {
      this.#cancelled.delete(idKey(req.id));
      this.#d.logger.error(`internal error on ${req.method}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      this.#send(rpc.errorResponse(req.id, rpc.INTERNAL_ERROR, 'Internal error (details are in the gateway log)'));
    }
    if (req.method === 'initialize') this.#notices.flush();
  }

  async #dispatch(req: rpc.Request): Promise<rpc.Response | null> {
    const p = (req.params && !Array.isArray(req.params) ? req.params : {}) as Record<string, unknown>;
    if (req.method === 'initialize') return this.#initialize(req, p);
    if (req.method === 'ping') return rpc.resultResponse(req.id, {});
    if (this.upstreams.length === 0) return rpc.errorResponse(req.id, rpc.NO_UPSTREAM, 'No upstream server configured');
    await this.#ensureInit();
    const list = (Object.keys(LIST_METHOD) as ListKind[]).find((k) => LIST_METHOD[k] === req.method);
    if (list) return this.#router.limit(req, null) ?? this.#router.noneReady(req) ?? rpc.resultResponse(req.id, { [list]: await this.#lists.list(list) });
    switch (req.method) {
      case 'tools/call': return this.#callTool(req, p);
      case 'prompts/get': return this.#getPrompt(req, p);
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        const up = await this.#resourceOwner(String(p.uri));
        if (!up) return this.#router.noRoute(req, 'resource', String(p.uri));
        return this.#router.routed(req, up) ?? this.#forwarder.relay(req, up, req.method, p, { entry: coverageOf('host', 'request', req.method), what: String(p.uri) });
      }
      case 'completion/complete': return this.#complete(req, p);
      case 'logging/setLevel': return this.#setLevel(req, p);
      case 'tasks/get':
      case 'tasks/result':
      case 'tasks/cancel': {
        const route = this.#tasks.owner(p.taskId);
        if (!route) return rpc.errorResponse(req.id, rpc.INVALID_PARAMS, `Unknown task: ${String(p.taskId)}`);
        return this.#router.routed(req, route.up) ?? this.#forwarder.relay(req, route.up, req.method, p, { entry: coverageOf('host', 'request', req.method), what: route.tool, tool: req.method === 'tasks/result' });
      }
      case 'tasks/list': return this.#router.limit(req, null) ?? this.#router.noneReady(req) ?? rpc.resultResponse(req.id, { tasks: await this.#server.listTasks(this.#ready()) });
      default: {
        // a method the gateway does not know: relayed (scanned both ways) when there is one owner
        const ready = this.#ready();
        if (ready.length !== 1) return rpc.errorResponse(req.id, rpc.METHOD_NOT_FOUND, `Method not found: ${req.method}`);
        return this.#router.routed(req, ready[0]) ?? this.#forwarder.relay(req, ready[0], req.method, (req.params ?? {}) as Record<string, unknown>, { entry: coverageOf('host', 'request', req.method) });
      }
    }
  }

  #onHostNotification(n: rpc.Notification): void {
    const p = n.params ?? {};
    if (n.method === 'notifications/initialized' || n.method === 'notifications/tasks/status') return;
    if (n.method === 'notifications/cancelled') {
      if (this.#forwarder.cancel(p.requestId)) this.#cancelled.add(idKey(p.requestId));
      return;
    }
    if (n.method === 'notifications/progress') return void this.#server.hostProgress(n);
    const entry = coverageOf('host', 'notification', n.method);
    for (const up of this.#ready()) {
      void this.#inspector.inspect(up.name, n.method, entry.params, p).then((v) => {
        if (v.action !== 'block') up.notify(n.method, n.params);
      });
    }
  }

  // ------------------------------------------------------------- handshake

  async #initialize(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response> {
    this.#hostCaps = (p.capabilities as Record<string, unknown>) ?? {};
    const requested = typeof p.protocolVersion === 'string' ? p.protocolVersion : LATEST_PROTOCOL_VERSION;
    const version = SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
    // client tasks are not offered upstream: the gateway cannot route tasks/* from an upstream to the host
    const { tasks: _tasks, ...upCaps } = this.#hostCaps;
    this.#initialized = this.#connectAll({
      protocolVersion: version,
      capabilities: upCaps,
      clientInfo: (p.clientInfo as Record<string, unknown>) ?? { name: GATEWAY_NAME, version: GATEWAY_VERSION },
    });
    await this.#initialized;
    const ready = this.#ready();
    const caps = mergeCapabilities(ready);
    const instructions: string[] = [];
    const entry = coverageOf('host', 'request', 'initialize');
    for (const up of ready) {
      const text = up.init?.instructions;
      if (typeof text !== 'string') continue;
      const v = await this.#inspector.inspect(up.name, 'initialize', entry.result, up.init);
      if (v.action === 'block') {
        this.stats.count('entries_withheld', up.name, 'withheld');
        instructions.push(withheldInstructions(up.name, v.all));
      } else if (v.action === 'warn') {
        this.#notices.warn(up.name, v.all, ['instructions'], `the instructions of ${up.name}`);
        instructions.push(warnedInstructions(up.name, v.all, text));
      } else instructions.push(text);
    }
    const result: Record<string, unknown> = { protocolVersion: version, capabilities: caps, serverInfo: { name: GATEWAY_NAME, version: GATEWAY_VERSION } };
    if (instructions.length) result.instructions = instructions.join('\n\n');
    return rpc.resultResponse(req.id, result);
  }

  async #connectAll(init: Record<string, unknown>): Promise<void> {
    await Promise.all(this.upstreams.map((u) => u.connect(init).catch(() => {}))); // (the upstream logs and reports why)
  }

  /** A host that skipped initialize still gets working upstreams. */
  async #ensureInit(): Promise<void> {
    if (!this.#initialized) {
      this.#initialized = this.#connectAll({ protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: GATEWAY_NAME, version: GATEWAY_VERSION } });
    }
    await this.#initialized;
  }

  #ready(): Upstream[] {
    return this.upstreams.filter((u) => u.state === 'ready');
  }

  #policy(up: Upstream | undefined): EffectivePolicy {
    return effectivePolicy(this.#d.config, up ? this.#cfg.get(up.name) : undefined);
  }

  // ------------------------------------------------------------ the calls

  async #callTool(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response | null> {
    const exposed = String(p.name);
    let route = this.#catalog.tools.get(exposed);
    if (!route && !this.#lists.withheld.has(exposed)) {
      const limited = this.#router.limit(req, null);
      if (limited) return limited;
      await this.#lists.list('tools');
      route = this.#catalog.tools.get(exposed);
    }
    if (!route) {
      const w = this.#lists.withheld.get(exposed);
      if (!w) return this.#router.noRoute(req, 'tool', exposed);
      this.stats.blocked(w.upstream);
      this.#recorder.decision({ upstream: w.upstream, method: 'tools/call', point: 'description', d: null, action: 'block', what: w.name, ruleIds: w.data.rule_ids as string[] });
      return rpc.errorResponse(req.id, rpc.BLOCKED, `Blocked by raxe: this tool was withheld from the tool list (${(w.data.rule_ids as string[]).join(', ') || 'policy'})`, w.data);
    }
    const { up, name } = route;
    const params = exposed === name ? p : { ...p, name };
    return this.#router.routed(req, up) ?? this.#forwarder.relay(req, up, 'tools/call', params, { entry: coverageOf('host', 'request', 'tools/call'), what: name, tool: true });
  }

  async #getPrompt(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response | null> {
    const exposed = String(p.name);
    let route = this.#catalog.prompts.get(exposed);
    if (!route) {
      await this.#lists.list('prompts');
      route = this.#catalog.prompts.get(exposed);
    }
    if (!route) return this.#router.noRoute(req, 'prompt', exposed);
    const params = exposed === route.name ? p : { ...p, name: route.name };
    return this.#router.routed(req, route.up) ?? this.#forwarder.relay(req, route.up, 'prompts/get', params, { entry: coverageOf('host', 'request', 'prompts/get'), what: route.name });
  }

  async #resourceOwner(uri: string): Promise<Upstream | undefined> {
    const withRes = this.upstreams.filter((u) => u.init && u.capabilities().resources);
    if (withRes.length === 1) return withRes[0];
    let up = this.#catalog.resourceOwner(uri);
    if (!up) {
      await Promise.all([this.#lists.list('resources'), this.#lists.list('resourceTemplates')]);
      up = this.#catalog.resourceOwner(uri);
    }
    return up;
  }

  async #complete(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response | null> {
    const ref = (p.ref ?? {}) as Record<string, unknown>;
    const entry = coverageOf('host', 'request', 'completion/complete');
    if (ref.type === 'ref/prompt') {
      const route = this.#catalog.prompts.get(String(ref.name));
      if (!route) return this.#router.noRoute(req, 'prompt', String(ref.name));
      return this.#router.routed(req, route.up) ?? this.#forwarder.relay(req, route.up, 'completion/complete', { ...p, ref: { ...ref, name: route.name } }, { entry, what: route.name });
    }
    const up = await this.#resourceOwner(String(ref.uri));
    if (!up) return this.#router.noRoute(req, 'resource', String(ref.uri));
    return this.#router.routed(req, up) ?? this.#forwarder.relay(req, up, 'completion/complete', p, { entry, what: String(ref.uri) });
  }

  async #setLevel(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response> {
    if (!LOG_LEVELS.has(String(p.level))) return rpc.errorResponse(req.id, rpc.INVALID_PARAMS, `Invalid log level: expected one of ${[...LOG_LEVELS].join(', ')}`);
    const limited = this.#router.limit(req, null);
    if (limited) return limited;
    const part = coverageOf('host', 'request', 'logging/setLevel').params;
    await Promise.all(this.#ready().filter((u) => u.capabilities().logging).map(async (u) => {
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

  async close(): Promise<void> {
    await Promise.all(this.upstreams.map((u) => u.close()));
  }
}

