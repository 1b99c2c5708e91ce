/** Gateway counters and latency percentiles (the spec's get_stats(), and /stats). */

export class Latencies {
  readonly #buf = new Float64Array(2048);
  #n = 0;
  add(ms: number): void {
    this.#buf[this.#n % this.#buf.length] = ms;
    this.#n++;
  }
  percentiles(): { p50: number; p99: number; count: number } {
    const n = Math.min(this.#n, this.#buf.length);
    if (n === 0) return { p50: 0, p99: 0, count: 0 };
    const s = Array.from(this.#buf.subarray(0, n)).sort((a, b) => a - b);
    const at = (q: number) => s[Math.min(n - 1, Math.floor(q * n))];
    return { p50: at(0.5), p99: at(0.99), count: this.#n };
  }
}

/** Per-upstream counters (summed across sessions by the HTTP gateway). */
export const UPSTREAM_COUNTERS = ['requests', 'blocked', 'threats', 'unscanned', 'withheld', 'pin_changes', 'rate_limited', 'errors', 'restarts'] as const;
/** Gateway-wide counters. */
export const COUNTERS = [
  'requests_total', 'requests_blocked', 'threats_detected', 'unscanned', 'entries_withheld', 'notifications_blocked', 'pin_changes',
  'rate_limited', 'parse_errors', 'oversized_messages',
] as const;

type UpCounter = (typeof UPSTREAM_COUNTERS)[number];
type Counter = (typeof COUNTERS)[number];

/** What the gateway knows about an upstream's process or connection. */
export interface UpstreamHealth {
  state: string;
  restarts: number;
  /** Why it last stopped or failed (our own words, never the upstream's text). */
  last_error: string | null;
}

export interface UpstreamStats extends Record<UpCounter, number> {
  state: string;
  last_error: string | null;
  latency_ms: { p50: number; p99: number; count: number };
}

export class GatewayStats {
  readonly #c: Record<Counter, number> = Object.fromEntries(COUNTERS.map((k) => [k, 0])) as Record<Counter, number>;
  readonly #per = new Map<string, Record<UpCounter, number> & { lat: Latencies }>();

  get requests_total() {
    return this.#c.requests_total;
  }
  get requests_blocked() {
    return this.#c.requests_blocked;
  }
  get threats_detected() {
    return this.#c.threats_detected;
  }

  #up(name: string) {
    let s = this.#per.get(name);
    if (!s) {
      s = { ...(Object.fromEntries(UPSTREAM_COUNTERS.map((k) => [k, 0])) as Record<UpCounter, number>), lat: new Latencies() };
      this.#per.set(name, s);
    }
    return s;
  }

  /** Adds to a gateway-wide counter (and to the upstream's own, when it has one by that meaning). */
  count(c: Counter, up?: string, upCounter?: UpCounter): void {
    this.#c[c]++;
    if (up && up !== '-' && upCounter) this.#up(up)[upCounter]++;
  }

  request(up: string): void {
    this.#up(up).requests++;
  }
  blocked(up: string): void {
    this.count('requests_blocked', up, 'blocked');
  }
  threat(up: string): void {
    this.count('threats_detected', up, 'threats');
  }
  error(up: string): void {
    this.#up(up).errors++;
  }
  latency(up: string, ms: number): void {
    this.#up(up).lat.add(ms);
  }

  snapshot(health: Record<string, UpstreamHealth>): Record<string, unknown> {
    const upstreams: Record<string, UpstreamStats> = {};
    const names = new Set([...Object.keys(health), ...this.#per.keys()]);
    for (const name of names) {
      const s = this.#up(name);
      const h = health[name] ?? { state: 'unknown', restarts: 0, last_error: null };
      const counters = Object.fromEntries(UPSTREAM_COUNTERS.map((k) => [k, s[k]])) as Record<UpCounter, number>;
      upstreams[name] = { ...counters, restarts: h.restarts, state: h.state, last_error: h.last_error, latency_ms: s.lat.percentiles() };
    }
    return { ...this.#c, upstreams };
  }
}
