/** Gateway counters and latency percentiles (the spec's get_stats()). */

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

export interface UpstreamStats {
  requests: number;
  blocked: number;
  threats: number;
  errors: number;
  restarts: number;
  latency_ms: { p50: number; p99: number; count: number };
}

export class GatewayStats {
  requests_total = 0;
  requests_blocked = 0;
  threats_detected = 0;
  rate_limited = 0;
  parse_errors = 0;
  oversized_messages = 0;
  readonly #per = new Map<string, { requests: number; blocked: number; threats: number; errors: number; lat: Latencies }>();

  #up(name: string) {
    let s = this.#per.get(name);
    if (!s) {
      s = { requests: 0, blocked: 0, threats: 0, errors: 0, lat: new Latencies() };
      this.#per.set(name, s);
    }
    return s;
  }

  request(up: string): void {
    this.#up(up).requests++;
  }
  blocked(up: string): void {
    this.requests_blocked++;
    this.#up(up).blocked++;
  }
  threat(up: string): void {
    this.threats_detected++;
    this.#up(up).threats++;
  }
  error(up: string): void {
    this.#up(up).errors++;
  }
  latency(up: string, ms: number): void {
    this.#up(up).lat.add(ms);
  }

  snapshot(restarts: Record<string, number>): Record<string, unknown> {
    const upstreams: Record<string, UpstreamStats> = {};
    for (const [name, s] of this.#per) {
      upstreams[name] = { requests: s.requests, blocked: s.blocked, threats: s.threats, errors: s.errors, restarts: restarts[name] ?? 0, latency_ms: s.lat.percentiles() };
    }
    for (const [name, r] of Object.entries(restarts)) {
      upstreams[name] ??= { requests: 0, blocked: 0, threats: 0, errors: 0, restarts: r, latency_ms: { p50: 0, p99: 0, count: 0 } };
    }
    return {
      requests_total: this.requests_total,
      requests_blocked: this.requests_blocked,
      threats_detected: this.threats_detected,
      rate_limited: this.rate_limited,
      parse_errors: this.parse_errors,
      oversized_messages: this.oversized_messages,
      upstreams,
    };
  }
}
