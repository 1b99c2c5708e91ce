/**
 * The state of one gateway instance: token buckets in memory (an LRU of
 * clients per bucket, ../../rate-limit.ts), pins and the audit log as the
 * adapter gives them (files under the user's config dir on Node, memory
 * elsewhere), counters in memory. The default; also what a Redis-backed
 * state falls back to while Redis is down.
 */
import { RateLimiter } from '../../rate-limit.js';
import type { AuditSink } from '../audit.js';
import { MemoryPinStore, type PinStore } from '../pins.js';
import type { GatewayState, RateBuckets, Refusal, StateHealth } from './types.js';

/** Token buckets in this process's memory. */
export class LocalBuckets implements RateBuckets {
  readonly #byBucket = new Map<string, RateLimiter>();
  readonly #now?: () => number;

  constructor(now?: () => number) {
    this.#now = now;
  }

  /** The synchronous take (the async one wraps it). */
  takeNow(client: string, bucket: string, rpm: number): Refusal | null {
    if (rpm === 0) return null;
    const k = `${bucket}\u0000${rpm}`;
    let l = this.#byBucket.get(k);
    if (!l) this.#byBucket.set(k, (l = new RateLimiter({ rpm, now: this.#now })));
    if (l.take(client)) return null;
    return { rpm, retryAfterS: l.retryAfter(client) };
  }

  take(client: string, bucket: string, rpm: number): Promise<Refusal | null> {
    return Promise.resolve(this.takeNow(client, bucket, rpm));
  }
}

export interface LocalStateOptions {
  pins?: PinStore;
  audit?: AuditSink;
  now?: () => number;
}

export class LocalState implements GatewayState {
  readonly pins: PinStore;
  readonly audit: AuditSink | undefined;
  readonly buckets: LocalBuckets;
  readonly #counters = new Map<string, number>();

  constructor(o: LocalStateOptions = {}) {
    this.pins = o.pins ?? new MemoryPinStore();
    this.audit = o.audit;
    this.buckets = new LocalBuckets(o.now);
  }

  take(client: string, bucket: string, rpm: number): Promise<Refusal | null> {
    return this.buckets.take(client, bucket, rpm);
  }

  count(counter: string, n = 1): void {
    this.#counters.set(counter, (this.#counters.get(counter) ?? 0) + n);
  }

  async counters(): Promise<Record<string, number>> {
    return Object.fromEntries(this.#counters);
  }

  health(): StateHealth {
    return { backend: 'local', connected: true, outages: 0, events_queued: 0, events_dropped: 0 };
  }

  async close(): Promise<void> {
    await this.audit?.flush?.();
  }
}
