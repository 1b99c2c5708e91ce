/**
 * Per-client rate limiting: a token bucket per client key, the keys kept in
 * an LRU of bounded size (the spec's 10,000), so a flood of client ids cannot
 * grow memory. Runtime-agnostic; the clock is injected.
 */

export interface RateLimitOptions {
  /** Requests per minute per client; 0 = unlimited. */
  rpm: number;
  /** Most clients tracked at once (least recently seen evicted first). */
  maxClients?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  readonly rpm: number;
  readonly maxClients: number;
  readonly #now: () => number;
  // Map iteration order is insertion order: re-inserting on use makes it an LRU
  readonly #buckets = new Map<string, Bucket>();

  constructor(o: RateLimitOptions) {
    if (!(o.rpm >= 0 && o.rpm <= 9999)) throw new Error(`rate_limit_rpm must be 0-9999 (got ${o.rpm})`);
    this.rpm = o.rpm;
    this.maxClients = o.maxClients ?? 10_000;
    this.#now = o.now ?? (() => Date.now());
  }

  /** Takes one token for `client`; false when the client is over its rate. */
  take(client: string): boolean {
    if (this.rpm === 0) return true;
    const now = this.#now();
    let b = this.#buckets.get(client);
    if (b) {
      this.#buckets.delete(client);
      b.tokens = Math.min(this.rpm, b.tokens + ((now - b.at) * this.rpm) / 60_000);
      b.at = now;
    } else {
      b = { tokens: this.rpm, at: now };
      if (this.#buckets.size >= this.maxClients) this.#buckets.delete(this.#buckets.keys().next().value!);
    }
    this.#buckets.set(client, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Seconds until `client` may send again (0 when it may now). */
  retryAfter(client: string): number {
    const b = this.#buckets.get(client);
    if (!b || this.rpm === 0 || b.tokens >= 1) return 0;
    return Math.ceil(((1 - b.tokens) * 60) / this.rpm);
  }

  get size(): number {
    return this.#buckets.size;
  }
}
