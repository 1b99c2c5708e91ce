/**
 * A host request to one upstream and back: the request gets the gateway's
 * own id and progress token (mapped back for progress notifications and
 * cancellation), is scanned before it goes, and its answer — result or error
 * — is scanned before the host gets it, then blocked, warned or passed as
 * ./results.ts says. Latency and errors are counted per upstream.
 */
import * as rpc from './jsonrpc.js';
import { CANCELLED, type Upstream } from './upstream.js';
import type { CompiledMessage } from './coverage/index.js';
import { combine } from './inspect.js';
import type { Inspector, Verdict } from './inspector.js';
import type { HostNotices } from './notices.js';
import { blockedError, blockedToolResult, warnedError, warnedResult, warnedToolResult } from './results.js';
import type { GatewayStats } from './stats.js';
import type { TaskRoutes } from './tasks.js';

export interface RelayOptions {
  entry: CompiledMessage;
  /** The tool, prompt or resource (for the log lines). */
  what?: string;
  /** The answer is a tool result (tools/call, tasks/result): blocked as isError, warned with a text block. */
  tool?: boolean;
}

export interface ForwarderDeps {
  inspector: Inspector;
  stats: GatewayStats;
  notices: HostNotices;
  tasks: TaskRoutes;
  /** Resolves once the upstream's notifications so far are relayed (its answer must not overtake them). */
  drain(up: Upstream): Promise<void>;
}

/** A map key for a JSON-RPC id: 1 and "1" are different requests. */
export const idKey = (id: unknown): string => (typeof id === 'number' ? `n:${id}` : `s:${String(id)}`);

export class Forwarder {
  readonly #d: ForwarderDeps;
  /** host request id (as a string key) -> where it was forwarded */
  readonly #inflight = new Map<string, { up: Upstream; upId: number }>();
  /** gateway progress token -> host progress token */
  readonly #progress = new Map<string, string | number>();
  #seq = 0;

  constructor(d: ForwarderDeps) {
    this.#d = d;
  }

  /** The host's progress token behind one of the gateway's own. */
  hostToken(token: string): string | number | undefined {
    return this.#progress.get(token);
  }

  /** Cancels the forwarded request of host id `id` (the host's reason is not relayed); false when none is in flight. */
  cancel(id: unknown): boolean {
    const r = this.#inflight.get(idKey(id));
    if (!r) return false;
    r.up.cancel(r.upId);
    return true;
  }

  /** Forwards a host request to `up` (own id, re-mapped progress token); records latency. */
  async forward(up: Upstream, req: rpc.Request, method: string, params: Record<string, unknown>): Promise<rpc.Response> {
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
    this.#d.stats.request(up.name);
    const t0 = performance.now();
    const res = await up.request(method, p);
    this.#d.stats.latency(up.name, performance.now() - t0);
    this.#inflight.delete(key);
    if (token) this.#progress.delete(token);
    if (res.error && res.error.code === rpc.UPSTREAM_FAILED && res.id === null) this.#d.stats.error(up.name);
    return res;
  }

  /**
   * A host request to one upstream, scanned both ways: its params before it
   * goes, the answer (result or error) before the host gets it.
   */
  async relay(req: rpc.Request, up: Upstream, method: string, params: Record<string, unknown>, o: RelayOptions): Promise<rpc.Response | null> {
    const ask = await this.#d.inspector.inspect(up.name, method, o.entry.params, params, o.what);
    if (ask.action === 'block') {
      this.#d.stats.blocked(up.name);
      return blockedError(req.id, ask.all, ask.point, up.name);
    }
    const res = await this.forward(up, req, method, params);
    if (res.error?.code === CANCELLED) return null;
    // a -32003 the gateway made itself (timeout, crash) carries no upstream text
    const answer = res.error && res.id === null ? null : await this.#d.inspector.inspect(up.name, method, res.error ? o.entry.error : o.entry.result, res.error ?? res.result ?? {}, o.what);
    await this.#d.drain(up); // the upstream's notifications before its answer
    if (answer?.action === 'block') {
      this.#d.stats.blocked(up.name);
      if (o.tool && !res.error) return rpc.resultResponse(req.id, blockedToolResult(answer.all, answer.point, up.name, o.what ?? method));
      return blockedError(req.id, answer.all, answer.point, up.name, o.what);
    }
    if (!res.error && o.tool) this.#rememberTask(res.result, up, o.what);
    const warned = [ask, answer].filter((v): v is Verdict => v?.action === 'warn');
    if (warned.length === 0) return res.error ? rpc.errorResponse(req.id, res.error.code, res.error.message, res.error.data) : rpc.resultResponse(req.id, res.result ?? {});
    const d = combine(warned.map((v) => v.all));
    const points = warned.flatMap((v) => v.decisions.filter((x) => x.d.action === 'warn').map((x) => x.point));
    this.#d.notices.warn(up.name, d, points, o.what ?? method);
    if (res.error) return warnedError(req.id, res.error, d, points);
    const r = res.result ?? {};
    return rpc.resultResponse(req.id, o.tool ? warnedToolResult(r, d, points, up.name) : warnedResult(r, d, points, up.name));
  }

  #rememberTask(result: Record<string, unknown> | undefined, up: Upstream, tool?: string): void {
    const task = result?.task as { taskId?: unknown } | undefined;
    if (task) this.#d.tasks.remember(task.taskId, up, tool);
  }
}
