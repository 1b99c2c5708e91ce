/**
 * The HTTP gateway's sessions: creation (bounded), lookup, idle expiry, and
 * the stats of all of them together — live sessions plus the totals of the
 * ones that ended, so /stats never goes backwards when a session expires.
 */
import type { Logger } from '../mcp/log.js';
import { COUNTERS, UPSTREAM_COUNTERS } from '../mcp/gateway/stats.js';
import type { HttpSession } from './session.js';

export interface SessionStoreOptions {
  /** A session with no request for this long is closed (its upstreams released). */
  idleMs: number;
  /** Most sessions at once; further initialize requests get 503. */
  maxSessions: number;
  now: () => number;
  logger: Logger;
}

type Counters = Record<string, number>;

/** Adds a Gateway.getStats() snapshot into running totals (latency percentiles do not add up and are left out). */
function addSnapshot(total: Counters, perUp: Map<string, Counters>, s: Record<string, unknown>): void {
  for (const k of COUNTERS) total[k] = (total[k] ?? 0) + (Number(s[k]) || 0);
  for (const [name, u] of Object.entries((s.upstreams ?? {}) as Record<string, Record<string, unknown>>)) {
    const t = perUp.get(name) ?? {};
    for (const k of UPSTREAM_COUNTERS) t[k] = (t[k] ?? 0) + (Number(u[k]) || 0);
    perUp.set(name, t);
  }
}

export class SessionStore {
  readonly #o: SessionStoreOptions;
  readonly #map = new Map<string, HttpSession>();
  readonly #ended: Counters = {};
  readonly #endedUp = new Map<string, Counters>();
  #timer: ReturnType<typeof setInterval> | undefined;
  created = 0;
  expired = 0;
  deleted = 0;
  refused = 0;

  constructor(o: SessionStoreOptions) {
    this.#o = o;
  }

  get size(): number {
    return this.#map.size;
  }

  all(): IterableIterator<HttpSession> {
    return this.#map.values();
  }

  /** Registers a new session; null (and counted as refused) when the store is full. */
  add(s: HttpSession): HttpSession | null {
    if (this.#map.size >= this.#o.maxSessions) {
      this.refused++;
      return null;
    }
    this.#map.set(s.id, s);
    this.created++;
    this.#ensureSweeping();
    return s;
  }

  get(id: string): HttpSession | undefined {
    return this.#map.get(id);
  }

  /** Closes and forgets a session (DELETE, expiry, shutdown). */
  async remove(s: HttpSession, reason: 'deleted' | 'expired' | 'shutdown'): Promise<void> {
    if (this.#map.get(s.id) !== s) return;
    this.#map.delete(s.id);
    if (reason === 'deleted') this.deleted++;
    if (reason === 'expired') this.expired++;
    // its counters so far stay in the totals
    addSnapshot(this.#ended, this.#endedUp, s.gateway.getStats());
    this.#o.logger.debug(`session ${s.id.slice(0, 8)} ${reason}`);
    await s.close(reason === 'expired' ? 'idle for too long' : reason);
  }

  /** Closes the sessions idle for longer than the limit. */
  async sweep(): Promise<void> {
    const now = this.#o.now();
    const idle = [...this.#map.values()].filter((s) => s.idleMs(now) > this.#o.idleMs);
    await Promise.all(idle.map((s) => this.remove(s, 'expired')));
  }

  #ensureSweeping(): void {
    if (this.#timer !== undefined) return;
    // often enough that a session lives at most ~1.5x its idle limit
    const every = Math.min(30_000, Math.max(100, Math.floor(this.#o.idleMs / 2)));
    this.#timer = setInterval(() => void this.sweep(), every);
    // Node and Bun: do not keep the process alive for the sweeper alone
    (this.#timer as { unref?: () => void }).unref?.();
  }

  /** Closes every session and stops the sweeper. */
  async closeAll(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.all([...this.#map.values()].map((s) => this.remove(s, 'shutdown')));
  }

  /** The gateways' counters, summed over live and ended sessions, plus the session counts. */
  stats(): Record<string, unknown> {
    const total: Counters = { ...this.#ended };
    const perUp = new Map([...this.#endedUp].map(([k, v]) => [k, { ...v }]));
    let inflight = 0;
    let dropped = 0;
    // the live sessions' upstreams: how many are in each state, and the last error seen
    const health = new Map<string, { states: Record<string, number>; last_error: string | null }>();
    for (const s of this.#map.values()) {
      const snap = s.gateway.getStats();
      addSnapshot(total, perUp, snap);
      for (const [name, u] of Object.entries((snap.upstreams ?? {}) as Record<string, { state?: string; last_error?: string | null }>)) {
        const h = health.get(name) ?? { states: {}, last_error: null };
        if (u.state) h.states[u.state] = (h.states[u.state] ?? 0) + 1;
        if (u.last_error) h.last_error = u.last_error;
        health.set(name, h);
      }
      inflight += s.inflight;
      dropped += s.dropped;
    }
    return {
      ...Object.fromEntries(COUNTERS.map((k) => [k, total[k] ?? 0])),
      upstreams: Object.fromEntries([...perUp].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v, ...(health.get(k) ?? { states: {}, last_error: null }) }])),
      sessions: { active: this.#map.size, created: this.created, expired: this.expired, deleted: this.deleted, refused: this.refused, inflight_requests: inflight, dropped_messages: dropped },
    };
  }
}
