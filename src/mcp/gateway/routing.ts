/**
 * Whether a host request may go where it is routed: the rate limit of its
 * bucket (-32000), the health of its upstream (-32003 while it restarts,
 * -32002 once it is given up), and what to answer when nothing of that name
 * is known (-32602 — unless an upstream that may own it is down).
 */
import * as rpc from './jsonrpc.js';
import { GATEWAY_BUCKET, type GatewayLimits } from './limits.js';
import type { Recorder } from './report.js';
import type { GatewayStats } from './stats.js';
import type { Upstream } from './upstream.js';

export interface RouterDeps {
  limits: GatewayLimits;
  stats: GatewayStats;
  recorder: Recorder;
  upstreams: readonly Upstream[];
  /** The rate-limit key of the host connection. */
  client: string;
}

export class Router {
  readonly #d: RouterDeps;

  constructor(d: RouterDeps) {
    this.#d = d;
  }

  /** -32000 when the client is over the limit of `up` (null: the gateway's own bucket); null when it may go on. */
  limit(req: rpc.Request, up: Upstream | null): rpc.Response | null {
    const no = this.#d.limits.take(this.#d.client, up?.name ?? GATEWAY_BUCKET);
    if (!no) return null;
    this.#d.stats.count('rate_limited', up?.name, 'rate_limited');
    this.#d.recorder.decision({ upstream: up?.name ?? '-', method: req.method, point: 'rate_limit', d: null, action: 'block', ruleIds: ['rate_limit'] });
    return rpc.errorResponse(req.id, rpc.RATE_LIMITED, `Rate limit exceeded (${no.rpm} requests per minute${up ? ` to ${up.name}` : ''}); retry in ${no.retryAfterS}s`, { retry_after_s: no.retryAfterS });
  }

  /** -32002 for an upstream given up, -32003 for one restarting; null when it is ready. */
  unavailable(req: rpc.Request, up: Upstream): rpc.Response | null {
    if (up.state === 'ready') return null;
    if (up.state === 'failed' || up.state === 'closed') {
      return rpc.errorResponse(req.id, rpc.NO_UPSTREAM, `No upstream: ${up.name} failed (${up.lastError ?? 'stopped'}) and is not restarted; see the gateway log`, { upstream: up.name, state: up.state });
    }
    return rpc.errorResponse(req.id, rpc.UPSTREAM_FAILED, `Upstream ${up.name} is not available (${up.lastError ?? 'starting'}); it is restarting, retry shortly`, { upstream: up.name, state: up.state });
  }

  /** The rate limit, then the health of the upstream a request is routed to. */
  routed(req: rpc.Request, up: Upstream): rpc.Response | null {
    return this.limit(req, up) ?? this.unavailable(req, up);
  }

  /** When no upstream is ready: -32003 (one is restarting) or -32002 (all given up). */
  noneReady(req: rpc.Request): rpc.Response | null {
    const ups = this.#d.upstreams;
    if (ups.some((u) => u.state === 'ready')) return null;
    const restarting = ups.find((u) => u.state === 'down' || u.state === 'starting');
    return this.unavailable(req, restarting ?? ups[0]);
  }

  /** Nothing of that name: it may belong to an upstream that is down (-32003/-32002), else -32602. */
  noRoute(req: rpc.Request, kind: string, name: string): rpc.Response {
    const notReady = this.#d.upstreams.find((u) => u.state !== 'ready');
    if (notReady) {
      const e = this.unavailable(req, notReady)!.error!;
      return rpc.errorResponse(req.id, e.code, `Unknown ${kind} ${name}: ${e.message}`, e.data);
    }
    return rpc.errorResponse(req.id, rpc.INVALID_PARAMS, `Unknown ${kind}: ${name}`);
  }
}
