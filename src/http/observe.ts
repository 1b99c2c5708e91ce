/**
 * What the HTTP gateway tells its operator: GET /stats (JSON: this
 * instance's counters, plus the fleet's when the state is shared) and
 * GET /metrics (Prometheus text: what ../mcp/gateway/metrics.ts records as
 * the gateway works, plus values read from the sessions at scrape time).
 * Both are behind the token, like /mcp. Web APIs only.
 */
import type { Hono } from 'hono';
import { Gauge, METRICS_CONTENT_TYPE, type GatewayMetrics } from '../mcp/gateway/metrics.js';
import type { GatewayState } from '../mcp/gateway/state/index.js';
import type { ConnInfo } from './serve.js';

type Stats = () => Record<string, unknown>;
interface UpstreamSnap {
  restarts?: number;
  rate_limited?: number;
  states?: Record<string, number>;
}

/** Registers the scrape-time metrics: sessions, upstream health and restarts, HTTP statuses, state health. */
export function scrapeMetrics(m: GatewayMetrics, stats: Stats, statuses: Record<string, number>, state: GatewayState): void {
  let snap: Record<string, unknown> = {};
  // one snapshot per scrape, taken by the first family that reads it
  const fresh = () => (snap = stats());
  const sessions = () => (snap.sessions ?? {}) as Record<string, number>;
  const ups = () => Object.entries((snap.upstreams ?? {}) as Record<string, UpstreamSnap>);
  const r = m.registry;
  r.add(new Gauge('raxe_sessions', 'Open MCP sessions', () => (fresh(), [[{}, sessions().active ?? 0]])));
  r.add(new Gauge('raxe_sessions_created_total', 'MCP sessions opened since the start', () => [[{}, sessions().created ?? 0]], 'counter'));
  r.add(new Gauge('raxe_sessions_refused_total', 'initialize refused: the gateway full, or the client over its quota', () => [[{ reason: 'full' }, sessions().refused ?? 0], [{ reason: 'client_quota' }, sessions().refused_client_quota ?? 0]], 'counter'));
  r.add(new Gauge('raxe_upstream_connections', "Sessions' connections to each upstream, by state (ready: healthy)", () =>
    ups().flatMap(([name, u]) => Object.entries(u.states ?? {}).map(([st, n]) => [{ upstream: m.upstream(name), state: st }, n] as [Record<string, string>, number]))));
  r.add(new Gauge('raxe_upstream_restarts_total', 'Restarts of upstream processes or connections', () => ups().map(([name, u]) => [{ upstream: m.upstream(name) }, u.restarts ?? 0]), 'counter'));
  r.add(new Gauge('raxe_http_responses_total', 'HTTP responses, by status code', () => Object.entries(statuses).map(([code, n]) => [{ code }, n]), 'counter'));
  r.add(new Gauge('raxe_oversized_messages_total', 'Messages over gateway.max_message_bytes', () => [[{}, Number(snap.oversized_messages ?? 0)]], 'counter'));
  r.add(new Gauge('raxe_state_connected', 'Shared state reachable (1), or this instance on its local state (0)', () => [[{ backend: state.health().backend }, state.health().connected ? 1 : 0]]));
  r.add(new Gauge('raxe_state_outages_total', 'Outages of the shared state since the start', () => [[{}, state.health().outages]], 'counter'));
}

/** GET /stats and GET /metrics (the caller puts the token check in front). */
export function observeRoutes(app: Hono<{ Bindings: ConnInfo }>, stats: Stats, state: GatewayState, metrics: GatewayMetrics): void {
  app.get('/stats', async (c) => {
    const health = state.health();
    return c.json({ ...stats(), state: health, ...(health.backend === 'redis' ? { fleet: await state.counters() } : {}) });
  });
  app.get('/metrics', (c) => c.body(metrics.registry.expose(), 200, { 'content-type': METRICS_CONTENT_TYPE }));
}
