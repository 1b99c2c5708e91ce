/**
 * The contract of the gateway's shared state: what several gateway
 * instances behind one load balancer must agree on. The gateway (./local.ts
 * by default, ./redis.ts for a fleet) codes against these types only.
 */
import type { AuditSink } from '../audit.js';
import type { PinStore } from '../pins.js';

/** A request over its bucket's rate: the limit, and when to retry. */
export interface Refusal {
  rpm: number;
  retryAfterS: number;
}

/** Token buckets: `rpm` tokens a minute, bursts up to `rpm`. */
export interface RateBuckets {
  /**
   * Takes one token for `client` from `bucket` (an upstream name, or "*" for
   * requests that go to every upstream) at `rpm` (0: unlimited). Resolves
   * null when the request may go on, the refusal otherwise. Never rejects.
   */
  take(client: string, bucket: string, rpm: number): Promise<Refusal | null>;
}

/** Where the state lives, and whether the shared store is reachable now. */
export interface StateHealth {
  backend: 'local' | 'redis';
  /** Redis: the URL without its password. */
  url?: string;
  /** False while Redis cannot be reached: the instance runs on its local state. */
  connected: boolean;
  /** ISO time the current outage started. */
  degraded_since?: string;
  /** Outages since the start. */
  outages: number;
  /** Audit events waiting for the stream (kept in the local audit log meanwhile). */
  events_queued: number;
  /** Events that did not reach the stream because the queue was full. */
  events_dropped: number;
}

/**
 * Everything a fleet shares: rate-limit buckets (per client and per
 * upstream), tool pins, fleet-wide counters for /stats, the audit event
 * stream. No method throws or rejects: an unreachable store degrades to the
 * instance's own state (see the README, "A fleet").
 */
export interface GatewayState extends RateBuckets {
  readonly pins: PinStore;
  /** Audit events: the local audit log, and the shared stream when there is one. */
  readonly audit: AuditSink | undefined;
  /** Adds `n` to a fleet-wide counter (batched; `upstreams.<name>.<counter>` for an upstream's). */
  count(counter: string, n?: number): void;
  /** The fleet-wide counters (this instance's alone when the state is local or Redis is down). */
  counters(): Promise<Record<string, number>>;
  health(): StateHealth;
  /** Flushes what is pending (counters, events) and releases the connection. */
  close(): Promise<void>;
}

/**
 * One Redis command and its reply, however the runtime reaches Redis: a
 * TCP client on Node (node/redis-port.ts), HTTP on workers (./redis-rest.ts).
 * Rejects on any failure (connection, timeout, an error reply).
 */
export interface RedisPort {
  send(args: string[]): Promise<unknown>;
  close(): Promise<void>;
}
