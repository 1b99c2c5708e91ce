/**
 * The gateway's rate limits. Every host request takes one token from one
 * bucket, per client: the bucket of the upstream it is routed to (that
 * upstream's `policy.rate_limit_rpm`, else the default policy's), or, for
 * requests that go to every upstream (lists, logging/setLevel), the
 * gateway's own (the default policy's). initialize and ping are never
 * limited.
 *
 * When the config sets no limit: the stdio gateway does not limit its one
 * host (0); the HTTP gateway gives each client HTTP_DEFAULT_RPM per bucket.
 */
import { effectivePolicy, type GatewayFile } from './config.js';
import { LocalBuckets } from './state/local.js';
import type { RateBuckets, Refusal } from './state/types.js';

export type { Refusal } from './state/types.js';

/**
 * Requests per minute per client and bucket when the HTTP gateway's config
 * sets none. Token buckets hold a minute's worth, so a client may burst up
 * to this many at once: an agent's 200 concurrent calls or a few hundred
 * quick file reads pass; one client looping flat out (thousands a second)
 * does not.
 */
export const HTTP_DEFAULT_RPM = 1200;

/** The bucket of requests that are not routed to one upstream. */
export const GATEWAY_BUCKET = '*';

export class GatewayLimits {
  readonly #rpm = new Map<string, number>();
  readonly #buckets: RateBuckets;

  /**
   * `fallbackRpm`: the limit where the config sets none (0: unlimited).
   * `buckets`: where the tokens are kept (default: this process's memory;
   * a fleet's shared state, ./state).
   */
  constructor(config: GatewayFile, fallbackRpm: number, now?: () => number, buckets?: RateBuckets) {
    this.#buckets = buckets ?? new LocalBuckets(now);
    const check = (rpm: number) => {
      if (!(rpm >= 0 && rpm <= 9999)) throw new Error(`rate_limit_rpm must be 0-9999 (got ${rpm})`);
      return rpm;
    };
    this.#rpm.set(GATEWAY_BUCKET, check(effectivePolicy(config, undefined).rate_limit_rpm ?? fallbackRpm));
    for (const u of config.upstreams) this.#rpm.set(u.name, check(effectivePolicy(config, u).rate_limit_rpm ?? fallbackRpm));
  }

  /** The limit of a bucket (0: unlimited). */
  rpm(bucket: string): number {
    return this.#rpm.get(bucket) ?? this.#rpm.get(GATEWAY_BUCKET)!;
  }

  /** Takes a token for `client` from `bucket` (an upstream name, or GATEWAY_BUCKET); null when allowed. Never rejects. */
  take(client: string, bucket: string): Promise<Refusal | null> {
    const b = this.#rpm.has(bucket) ? bucket : GATEWAY_BUCKET;
    return this.#buckets.take(client, b, this.rpm(b));
  }
}
