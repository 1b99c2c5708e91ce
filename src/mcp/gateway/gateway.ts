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
import { Upstream, CANCELLED, type UpstreamChannel } from './upstream.js';
import { effectivePolicy, type EffectivePolicy, type GatewayFile, type UpstreamConfig } from './config.js';
import { Catalog, type ListKind } from './catalog.js';
import { coverageOf, type CompiledMessage, type ScanPoint } from './coverage/index.js';
import { combine, type Decision } from './inspect.js';
import { Inspector, type Verdict } from './inspector.js';
import { Lists, LIST_METHOD } from './lists.js';
import { identityKey, launchOf, MemoryPinStore, type PinStore, type UpstreamIdentity } from './pins.js';
import { GatewayStats, type UpstreamHealth } from './stats.js';
import { GatewayLimits, GATEWAY_BUCKET } from './limits.js';
import { Recorder } from './report.js';
import { blockedError, blockedToolResult, warnData, warnedError, warnedInstructions, warnedResult, warnedToolResult, withheldInstructions } from './results.js';
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
  /** Shared across sessions by the HTTP gateway; by default none unless the config sets rate_limit_rpm. */
  limits?: GatewayLimits;
  /** Rate-limit key of this host connection. */
  client?: string;
  /** Scan time budget per decision (default SCAN_TIME_BUDGET_MS) and its clock. */
  scanBudgetMs?: number;
  now?: () => number;
}

/** A map key for a JSON-RPC id: 1 and "1" are different requests. */
const idKey = (id: unknown): string => (typeof id === 'number' ? `n:${id}` : `s:${String(id)}`);

interface RelayOptions {
  entry: CompiledMessage;
  /** The tool, prompt or resource (for the log lines). */
  what?: string;
  /** The answer is a tool result (tools/call, tasks/result): blocked as isError, warned with a text block. */
  tool?: boolean;
}

export class Gateway {
  readonly upstreams: Upstream[] = [];
  readonly stats = new GatewayStats();
  readonly #cfg = new Map<string, UpstreamConfig>();
  readonly #d: GatewayDeps;
  readonly #catalog = new Catalog();
  readonly #limits: GatewayLimits;
  readonly #pins: PinStore;
  readonly #recorder: Recorder;
  readonly #inspector: Inspector;
  readonly #lists: Lists;
  readonly #tasks = new TaskRoutes();
  readonly #server: ServerTraffic;
  #hostCaps: Record<string, unknown> = {};
  #initialized: Promise<void> | null = null;
  /** Host notices held until the host has the initialize response. */
  #notices: rpc.Notification[] | null = [];
  /** host request id (as a string key) -> where it was forwarded */
  readonly #inflight = new Map<string, { up: Upstream; upId: number }>();
  readonly #cancelled = new Set<string>();
  /** gateway progress token -> host progress token */
  readonly #progress = new Map<string, string | number>();
  readonly #identities = new Map<Upstream, { server: string; key: Promise<string> }>();
  readonly #pinReported = new Set<string>();
  #seq = 0;

  constructor(deps: GatewayDeps) {
    this.#d = deps;
    this.#limits = deps.limits ?? new GatewayLimits(deps.config, 0);
    this.#pins = deps.pins ?? new MemoryPinStore();
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
    this.#lists = new Lists({
      ready: () => this.#ready(),
      config: (up) => this.#cfg.get(up.name)!,
      policy: (up) => this.#policy(up),
      inspector: this.#inspector,
      recorder: this.#recorder,
      catalog: this.#catalog,
      pins: this.#pins,
      identity: (up) => this.#identity(up),
      pinChanged: (up, tool, fields) => this.#pinChanged(up, tool, fields),
      warnHost: (name, d, points, what) => this.#warnHost(name, d, points, what),
      withheldEntry: (name) => this.stats.count('entries_withheld', name, 'withheld'),
      logger: deps.logger,
    });
    this.#server = new ServerTraffic({
      send: (m) => this.#send(m),
      inspector: this.#inspector,
      hostCaps: () => this.#hostCaps,
      hostToken: (t) => this.#progress.get(t),
      catalogStale: () => {
        this.#catalog.toolsKnown = false;
      },
      tasks: this.#tasks,
      warnHost: (name, d, points, what) => this.#warnHost(name, d, points, what),
      dropped: (name) => this.stats.count('notifications_blocked', name),
      blocked: (name) => this.stats.blocked(name),
      logger: deps.logger,
    });
    const timeoutMs = deps.config.gateway.request_timeout_s * 1000;
    for (const u of deps.config.upstreams) {
      this.#cfg.set(u.name, u);
      const events = {
        request: (up: Upstream, req: rpc.Request) => void this.#server.upstreamRequest(up, req),
        notification: (up: Upstream, n: rpc.Notification) => this.#server.upstreamNotification(up, n),
        restarted: (up: Upstream) => this.#onRestarted(up),
        stopped: (up: Upstream, reason: string) => this.#onStopped(up, reason),
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
    if (req.method === 'initialize') this.#flushNotices();
  }

  async #dispatch(req: rpc.Request): Promise<rpc.Response | null> {
    const p = (req.params && !Array.isArray(req.params) ? req.params : {}) as Record<string, unknown>;
    if (req.method === 'initialize') return this.#initialize(req, p);
    if (req.method === 'ping') return rpc.resultResponse(req.id, {});
    if (this.upstreams.length === 0) return rpc.errorResponse(req.id, rpc.NO_UPSTREAM, 'No upstream server configured');
    await this.#ensureInit();
    const list = (Object.keys(LIST_METHOD) as ListKind[]).find((k) => LIST_METHOD[k] === req.method);
    if (list) return this.#limit(req, null) ?? this.#noneReady(req) ?? rpc.resultResponse(req.id, { [list]: await this.#lists.list(list) });
    switch (req.method) {
      case 'tools/call': return this.#callTool(req, p);
      case 'prompts/get': return this.#getPrompt(req, p);
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe': {
        const up = await this.#resourceOwner(String(p.uri));
        if (!up) return this.#noRoute(req, 'resource', String(p.uri));
        return this.#routed(req, up) ?? this.#relay(req, up, req.method, p, { entry: coverageOf('host', 'request', req.method), what: String(p.uri) });
      }
      case 'completion/complete': return this.#complete(req, p);
      case 'logging/setLevel': return this.#setLevel(req, p);
      case 'tasks/get':
      case 'tasks/result':
      case 'tasks/cancel': {
        const route = this.#tasks.owner(p.taskId);
        if (!route) return rpc.errorResponse(req.id, rpc.INVALID_PARAMS, `Unknown task: ${String(p.taskId)}`);
        return this.#routed(req, route.up) ?? this.#relay(req, route.up, req.method, p, { entry: coverageOf('host', 'request', req.method), what: route.tool, tool: req.method === 'tasks/result' });
      }
      case 'tasks/list': return this.#limit(req, null) ?? this.#noneReady(req) ?? rpc.resultResponse(req.id, { tasks: await this.#server.listTasks(this.#ready()) });
      default: {
        // a method the gateway does not know: relayed (scanned both ways) when there is one owner
        const ready = this.#ready();
        if (ready.length !== 1) return rpc.errorResponse(req.id, rpc.METHOD_NOT_FOUND, `Method not found: ${req.method}`);
        return this.#routed(req, ready[0]) ?? this.#relay(req, ready[0], req.method, (req.params ?? {}) as Record<string, unknown>, { entry: coverageOf('host', 'request', req.method) });
      }
    }
  }

  #onHostNotification(n: rpc.Notification): void {
    const p = n.params ?? {};
    if (n.method === 'notifications/initialized' || n.method === 'notifications/tasks/status') return;
    if (n.method === 'notifications/cancelled') {
      const key = idKey(p.requestId);
      const r = this.#inflight.get(key);
      if (r) {
        this.#cancelled.add(key);
        r.up.cancel(r.upId); // (the host's reason is not relayed)
      }
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
    const caps: Record<string, Record<string, unknown>> = { logging: {} };
    const ready = this.#ready();
    for (const up of ready) {
      const c = up.capabilities();
      if (c.tools) caps.tools = { listChanged: true };
      if (c.prompts) caps.prompts = { listChanged: true };
      if (c.resources) caps.resources = { ...(caps.resources ?? {}), listChanged: true, ...(c.resources.subscribe ? { subscribe: true } : {}) };
      if (c.completions) caps.completions = {};
      const t = c.tasks as { list?: unknown; cancel?: unknown; requests?: { tools?: { call?: unknown } } } | undefined;
      if (t) {
        caps.tasks ??= {};
        if (t.list) caps.tasks.list = {};
        if (t.cancel) caps.tasks.cancel = {};
        if (t.requests?.tools?.call) caps.tasks.requests = { tools: { call: {} } };
      }
    }
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
        this.#warnHost(up.name, v.all, ['instructions'], `the instructions of ${up.name}`);
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

  // ----------------------------------------------- routing, limits, health

  /** -32000 when the client is over the limit of `up` (null: the gateway's own bucket); null when it may go on. */
  #limit(req: rpc.Request, up: Upstream | null): rpc.Response | null {
    const bucket = up?.name ?? GATEWAY_BUCKET;
    const no = this.#limits.take(this.#d.client ?? 'stdio', bucket);
    if (!no) return null;
    this.stats.count('rate_limited', up?.name, 'rate_limited');
    this.#recorder.decision({ upstream: up?.name ?? '-', method: req.method, point: 'rate_limit', d: null, action: 'block', ruleIds: ['rate_limit'] });
    return rpc.errorResponse(req.id, rpc.RATE_LIMITED, `Rate limit exceeded (${no.rpm} requests per minute${up ? ` to ${up.name}` : ''}); retry in ${no.retryAfterS}s`, { retry_after_s: no.retryAfterS });
  }

  /** -32002 for an upstream given up, -32003 for one restarting; null when it is ready. */
  #unavailable(req: rpc.Request, up: Upstream): rpc.Response | null {
    if (up.state === 'ready') return null;
    if (up.state === 'failed' || up.state === 'closed') {
      return rpc.errorResponse(req.id, rpc.NO_UPSTREAM, `No upstream: ${up.name} failed (${up.lastError ?? 'stopped'}) and is not restarted; see the gateway log`, { upstream: up.name, state: up.state });
    }
    return rpc.errorResponse(req.id, rpc.UPSTREAM_FAILED, `Upstream ${up.name} is not available (${up.lastError ?? 'starting'}); it is restarting, retry shortly`, { upstream: up.name, state: up.state });
  }

  /** The rate limit, then the health of the upstream a request is routed to. */
  #routed(req: rpc.Request, up: Upstream): rpc.Response | null {
    return this.#limit(req, up) ?? this.#unavailable(req, up);
  }

  /** When no upstream is ready: -32002 (all given up) or -32003 (some restarting). */
  #noneReady(req: rpc.Request): rpc.Response | null {
    if (this.#ready().length > 0) return null;
    const restarting = this.upstreams.find((u) => u.state === 'down' || u.state === 'starting');
    return this.#unavailable(req, restarting ?? this.upstreams[0]);
  }

  /** Nothing of that name: maybe it belongs to an upstream that is down (-32002/-32003), else -32602. */
  #noRoute(req: rpc.Request, kind: string, name: string): rpc.Response {
    const notReady = this.upstreams.find((u) => u.state !== 'ready');
    if (notReady) {
      const e = this.#unavailable(req, notReady)!;
      return rpc.errorResponse(req.id, e.error!.code, `Unknown ${kind} ${name}: ${e.error!.message}`, e.error!.data);
    }
    return rpc.errorResponse(req.id, rpc.INVALID_PARAMS, `Unknown ${kind}: ${name}`);
  }

  // ------------------------------------------------------------ forwarding

  /** Forwards a host request to `up` (own id, re-mapped progress token); records latency. */
  async #forward(up: Upstream, req: rpc.Request, method: string, params: Record<string, unknown>): Promise<rpc.Response> {
    let p = params;
    let token: string | undefined;
    const meta = params._meta as Record<string, unknown> | undefined;
    if (meta && (typeof meta.progressToken === 'string' || typeof meta.progressToken === 'number')) {
      token = `raxe-p${++this.#seq}`;
      this.#progress.set(token, meta.progressToken);
      p = { ...params, _meta: { ...meta, progressToken: token } };
    }
    const key = idKey(req.id);
    this.#inflight.set(key, { up, upId: up.peekNextId() });
    this.stats.request(up.name);
    const t0 = performance.now();
    const res = await up.request(method, p);
    this.stats.latency(up.name, performance.now() - t0);
    this.#inflight.delete(key);
    if (token) this.#progress.delete(token);
    if (res.error && res.error.code === rpc.UPSTREAM_FAILED && res.id === null) this.stats.error(up.name);
    return res;
  }

  /**
   * A host request to one upstream, scanned both ways: its params before it
   * goes, the answer (result or error) before the host gets it.
   */
  async #relay(req: rpc.Request, up: Upstream, method: string, params: Record<string, unknown>, o: RelayOptions): Promise<rpc.Response | null> {
    const ask = await this.#inspector.inspect(up.name, method, o.entry.params, params, o.what);
    if (ask.action === 'block') {
      this.stats.blocked(up.name);
      return blockedError(req.id, ask.all, ask.point, up.name);
    }
    const res = await this.#forward(up, req, method, params);
    if (res.error?.code === CANCELLED) return null;
    // a -32003 the gateway made itself (timeout, crash) carries no upstream text
    const answer = res.error && res.id === null ? null : await this.#inspector.inspect(up.name, method, res.error ? o.entry.error : o.entry.result, res.error ?? res.result ?? {}, o.what);
    await this.#server.drain(up); // the upstream's notifications before its answer
    if (answer?.action === 'block') {
      this.stats.blocked(up.name);
      if (o.tool && !res.error) return rpc.resultResponse(req.id, blockedToolResult(answer.all, answer.point, up.name, o.what ?? method));
      return blockedError(req.id, answer.all, answer.point, up.name, o.what);
    }
    if (!res.error && o.tool) this.#rememberTask(res.result, up, o.what);
    const warned = [ask, answer].filter((v): v is Verdict => v?.action === 'warn');
    if (warned.length === 0) return res.error ? rpc.errorResponse(req.id, res.error.code, res.error.message, res.error.data) : rpc.resultResponse(req.id, res.result ?? {});
    const d = combine(warned.map((v) => v.all));
    const points = warned.flatMap((v) => v.decisions.filter((x) => x.d.action === 'warn').map((x) => x.point));
    this.#warnHost(up.name, d, points, o.what ?? method);
    if (res.error) return warnedError(req.id, res.error, d, points);
    const r = res.result ?? {};
    return rpc.resultResponse(req.id, o.tool ? warnedToolResult(r, d, points, up.name) : warnedResult(r, d, points, up.name));
  }

  #rememberTask(result: Record<string, unknown> | undefined, up: Upstream, tool?: string): void {
    const task = result?.task as { taskId?: unknown } | undefined;
    if (task) this.#tasks.remember(task.taskId, up, tool);
  }

  // ------------------------------------------------------------ the calls

  async #callTool(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response | null> {
    const exposed = String(p.name);
    let route = this.#catalog.tools.get(exposed);
    if (!route && !this.#lists.withheld.has(exposed)) {
      const limited = this.#limit(req, null);
      if (limited) return limited;
      await this.#lists.list('tools');
      route = this.#catalog.tools.get(exposed);
    }
    if (!route) {
      const w = this.#lists.withheld.get(exposed);
      if (!w) return this.#noRoute(req, 'tool', exposed);
      this.stats.blocked(w.upstream);
      this.#recorder.decision({ upstream: w.upstream, method: 'tools/call', point: 'description', d: null, action: 'block', what: w.name, ruleIds: w.data.rule_ids as string[] });
      return rpc.errorResponse(req.id, rpc.BLOCKED, `Blocked by raxe: this tool was withheld from the tool list (${(w.data.rule_ids as string[]).join(', ') || 'policy'})`, w.data);
    }
    const { up, name } = route;
    const params = exposed === name ? p : { ...p, name };
    return this.#routed(req, up) ?? this.#relay(req, up, 'tools/call', params, { entry: coverageOf('host', 'request', 'tools/call'), what: name, tool: true });
  }

  async #getPrompt(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response | null> {
    const exposed = String(p.name);
    let route = this.#catalog.prompts.get(exposed);
    if (!route) {
      await this.#lists.list('prompts');
      route = this.#catalog.prompts.get(exposed);
    }
    if (!route) return this.#noRoute(req, 'prompt', exposed);
    const params = exposed === route.name ? p : { ...p, name: route.name };
    return this.#routed(req, route.up) ?? this.#relay(req, route.up, 'prompts/get', params, { entry: coverageOf('host', 'request', 'prompts/get'), what: route.name });
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
      if (!route) return this.#noRoute(req, 'prompt', String(ref.name));
      return this.#routed(req, route.up) ?? this.#relay(req, route.up, 'completion/complete', { ...p, ref: { ...ref, name: route.name } }, { entry, what: route.name });
    }
    const up = await this.#resourceOwner(String(ref.uri));
    if (!up) return this.#noRoute(req, 'resource', String(ref.uri));
    return this.#routed(req, up) ?? this.#relay(req, up, 'completion/complete', p, { entry, what: String(ref.uri) });
  }

  async #setLevel(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response> {
    if (!LOG_LEVELS.has(String(p.level))) return rpc.errorResponse(req.id, rpc.INVALID_PARAMS, `Invalid log level: expected one of ${[...LOG_LEVELS].join(', ')}`);
    const limited = this.#limit(req, null);
    if (limited) return limited;
    const part = coverageOf('host', 'request', 'logging/setLevel').params;
    await Promise.all(this.#ready().filter((u) => u.capabilities().logging).map(async (u) => {
      if ((await this.#inspector.inspect(u.name, req.method, part, p)).action !== 'block') await u.request('logging/setLevel', p);
    }));
    return rpc.resultResponse(req.id, {});
  }

  // ------------------------------------------------------------- reporting

  async #identity(up: Upstream): Promise<{ key: string; id: UpstreamIdentity } | null> {
    const cfg = this.#cfg.get(up.name);
    if (!cfg || !up.init) return null;
    const server = String((up.init.serverInfo as { name?: unknown } | undefined)?.name ?? '');
    let known = this.#identities.get(up);
    const id = { upstream: up.name, launch: launchOf(cfg), server };
    if (!known || known.server !== server) {
      known = { server, key: identityKey(id) };
      this.#identities.set(up, known);
    }
    return { key: await known.key, id };
  }

  #pinChanged(up: Upstream, tool: string, fields: string[]): void {
    const k = `${up.name}\u0000${tool}\u0000${fields.join(',')}`;
    if (this.#pinReported.has(k)) return;
    this.#pinReported.add(k);
    this.stats.count('pin_changes', up.name, 'pin_changes');
    this.#recorder.notice(
      `tool definition changed since it was pinned: upstream=${up.name} tool=${tool} fields=${fields.join(',') || '-'}; ` +
        `review with "raxe mcp pins diff ${up.name} ${tool}", accept with "raxe mcp pins accept ${up.name} ${tool}"`,
    );
  }

  /** A logging notification to the host about a warned decision (rule ids only). */
  #warnHost(upstream: string, d: Decision, points: ScanPoint[], what: string): void {
    this.#hostLog('warning', { message: `raxe: ${points.join(' and ')} of ${what} (${upstream}) matched rules ${d.triggered.map((x) => x.rule_id).join(', ') || '(unscanned content)'}`, ...warnData(d, points, upstream) });
  }

  /** notifications/message to the host (held until it has the initialize response). */
  #hostLog(level: 'warning' | 'error' | 'info', data: Record<string, unknown>): void {
    const n: rpc.Notification = { jsonrpc: '2.0', method: 'notifications/message', params: { level, logger: 'raxe', data } };
    if (this.#notices) this.#notices.push(n);
    else this.#send(n);
  }

  #flushNotices(): void {
    const held = this.#notices ?? [];
    this.#notices = null;
    for (const n of held) this.#send(n);
  }

  #onStopped(up: Upstream, reason: string): void {
    this.#catalog.toolsKnown = false;
    const failed = up.state === 'failed';
    this.#hostLog(failed ? 'error' : 'warning', {
      message: failed
        ? `raxe: upstream ${up.name} failed (${reason}) and is not restarted: its tools, prompts and resources are unavailable (-32002)`
        : `raxe: upstream ${up.name} stopped (${reason}); restarting — its calls get -32003 meanwhile`,
      upstream: up.name,
      state: up.state,
    });
  }

  #onRestarted(up: Upstream): void {
    this.#d.logger.info(`upstream ${up.name} restarted`);
    this.#catalog.toolsKnown = false;
    this.#hostLog('info', { message: `raxe: upstream ${up.name} is back`, upstream: up.name, state: up.state });
    const c = up.capabilities();
    if (c.tools) this.#send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    if (c.prompts) this.#send({ jsonrpc: '2.0', method: 'notifications/prompts/list_changed' });
    if (c.resources) this.#send({ jsonrpc: '2.0', method: 'notifications/resources/list_changed' });
  }

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

