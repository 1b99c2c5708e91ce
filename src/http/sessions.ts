/**
 * The HTTP gateway's sessions: creation (bounded in all and per client),
 * lookup, idle expiry, and the stats of all of them together — live
 * sessions plus the totals of the ones that ended, so /stats never goes
 * backwards when a session expires.
 *
 * No client can lock the others out: a client (one address) holds at most
 * `maxPerClient` sessions, and when a client or the whole store is at its
 * limit, the least recently used session that has been idle for at least
 * MIN_EVICT_IDLE_MS (nothing in flight) makes room — sessions a client
 * forgot to DELETE do not pile up until they expire.
 */
import type { Logger } from '../mcp/log.js';
import { COUNTERS, UPSTREAM_COUNTERS } from '../mcp/gateway/stats.js';
import type { HttpSession } from './session.js';

/**
 * How long a session must have been idle before a new one may take its
 * place when the store (or its client's quota) is full: long enough that a
 * client pausing between calls keeps its session, short next to the idle
 * expiry (30 minutes by default).
 */
export const MIN_EVICT_IDLE_MS = 60_000;

export interface SessionStoreOptions {
  /** A session with no request for this long is closed (its upstreams released). */
  idleMs: number;
  /** Most sessions at once; past it (nothing to evict) initialize gets 503. */
  maxSessions: number;
  /** Most sessions of one client; past it (nothing of its own to evict) initialize gets 429. */
  maxPerClient: number;
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
  readonly #endedSessions = { dropped: 0, undelivered: 0, cancelled: 0 };
  #timer: ReturnType<typeof setInterval> | undefined;
  created = 0;
  expired = 0;
  deleted = 0;
  refused = 0;
  /** Refused because their client had its quota of sessions. */
  refusedClient = 0;
  /** Idle sessions closed to make room for a new one. */
  evicted = 0;

  constructor(o: SessionStoreOptions) {
    this.#o = o;
  }

  get size(): number {
    return this.#map.size;
  }

  all(): IterableIterator<HttpSession> {
    return this.#map.values();
  }

  /** Whether a new session of `client` can be made, evicting an idle one if needed: null when it can, else why not. */
  async admit(client: string): Promise<'client' | 'full' | null> {
    const mine = [...this.#map.values()].filter((s) => s.client === client);
    if (mine.length >= this.#o.maxPerClient) {
      if (!(await this.#evict(mine))) {
        this.refusedClient++;
        return 'client';
      }
    }
    if (this.#map.size >= this.#o.maxSessions && !(await this.#evict([...this.#map.values()]))) {
      this.refused++;
      return 'full';
    }
    return null;
  }

  /** Closes the least recently used of `among` that has been idle long enough; false when none has. */
  async #evict(among: HttpSession[]): Promise<boolean> {
    const now = this.#o.now();
    let lru: HttpSession | undefined;
    for (const s of among) if (s.idleMs(now) >= MIN_EVICT_IDLE_MS && (!lru || s.lastSeen < lru.lastSeen)) lru = s;
    if (!lru) return false;
    this.evicted++;
    await this.remove(lru, 'evicted');
    return true;
  }

  /** Registers a new session (call `admit` first). */
  add(s: HttpSession): HttpSession {
    this.#map.set(s.id, s);
    this.created++;
    this.#ensureSweeping();
    return s;
  }

  get(id: string): HttpSession | undefined {
    return this.#map.get(id);
  }

  /** Closes and forgets a session (DELETE, expiry, shutdown). */
  async remove(s: HttpSession, reason: 'deleted' | 'expired' | 'evicted' | 'shutdown'): Promise<void> {
    if (this.#map.get(s.id) !== s) return;
    this.#map.delete(s.id);
    if (reason === 'deleted') this.deleted++;
    if (reason === 'expired') this.expired++;
    // its counters so far stay in the totals
    addSnapshot(this.#ended, this.#endedUp, s.gateway.getStats());
    this.#endedSessions.dropped += s.dropped;
    this.#endedSessions.undelivered += s.undelivered;
    this.#endedSessions.cancelled += s.cancelled;
    this.#o.logger.debug(`session ${s.id.slice(0, 8)} ${reason}`);
    await s.close(reason === 'expired' ? 'idle for too long' : reason === 'evicted' ? 'idle, and its place was needed' : reason);
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
    let dropped = this.#endedSessions.dropped;
    let undelivered = this.#endedSessions.undelivered;
    let cancelled = this.#endedSessions.cancelled;
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
      undelivered += s.undelivered;
      cancelled += s.cancelled;
    }
    return {
      ...Object.fromEntries(COUNTERS.map((k) => [k, total[k] ?? 0])),
      upstreams: Object.fromEntries([...perUp].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v, ...(health.get(k) ?? { states: {}, last_error: null }) }])),
      sessions: {
        active: this.#map.size, created: this.created, expired: this.expired, deleted: this.deleted, evicted: this.evicted,
        refused: this.refused, refused_client_quota: this.refusedClient,
        inflight_requests: inflight, cancelled_requests: cancelled, undelivered_responses: undelivered, dropped_messages: dropped,
      },
    };
  }
}
