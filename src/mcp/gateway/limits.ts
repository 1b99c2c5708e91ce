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
import { RateLimiter } from '../rate-limit.js';
import { effectivePolicy, type GatewayFile } from './config.js';

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

export interface Refusal {
  rpm: number;
  retryAfterS: number;
}

export class GatewayLimits {
  readonly #byBucket = new Map<string, RateLimiter>();

  /** `fallbackRpm`: the limit where the config sets none (0: unlimited). */
  constructor(config: GatewayFile, fallbackRpm: number, now?: () => number) {
    const dflt = effectivePolicy(config, undefined).rate_limit_rpm ?? fallbackRpm;
    this.#byBucket.set(GATEWAY_BUCKET, new RateLimiter({ rpm: dflt, now }));
    for (const u of config.upstreams) {
      this.#byBucket.set(u.name, new RateLimiter({ rpm: effectivePolicy(config, u).rate_limit_rpm ?? fallbackRpm, now }));
    }
  }

  /** The limit of a bucket (0: unlimited). */
  rpm(bucket: string): number {
    return (this.#byBucket.get(bucket) ?? this.#byBucket.get(GATEWAY_BUCKET)!).rpm;
  }

  /** Takes a token for `client` from `bucket` (an upstream name, or GATEWAY_BUCKET); null when allowed. */
  take(client: string, bucket: string): Refusal | null {
    const l = this.#byBucket.get(bucket) ?? this.#byBucket.get(GATEWAY_BUCKET)!;
    if (l.take(client)) return null;
    return { rpm: l.rpm, retryAfterS: l.retryAfter(client) };
  }
}
