/**
 * The gateway's shared state: what instances behind one load balancer must
 * agree on — rate-limit buckets (per client and per upstream), tool pins,
 * fleet-wide counters for /stats, the audit event stream — behind one small
 * interface (GatewayState), so the gateway never knows where it lives.
 *
 * - types.ts         the contract (GatewayState, RateBuckets, RedisPort)
 * - local.ts         one instance's state: memory, and the adapter's pin file and audit log (the default)
 * - redis.ts         a fleet's state in Redis, degrading to local state while Redis is down
 * - redis-scripts.ts the atomic Lua scripts (token bucket, hash replace, counters)
 * - redis-rest.ts    a RedisPort over HTTP (workers); Node's TCP one is ../../node/redis-port.ts
 *
 * Sessions are not shared: a session stays on the instance that created it
 * (a load balancer keeps affinity on Mcp-Session-Id; an instance that does
 * not hold a session answers 404 and the client initializes again).
 */
export type { GatewayState, RateBuckets, RedisPort, Refusal, StateHealth } from './types.js';
export { LocalBuckets, LocalState, type LocalStateOptions } from './local.js';
export { COUNTER_FLUSH_MS, EVENT_QUEUE_MAX, EVENT_STREAM_MAXLEN, REDIS_COMMAND_TIMEOUT_MS, REDIS_RETRY_MS, RedisState, type RedisStateOptions } from './redis.js';
export { restRedisPort, type RestRedisOptions } from './redis-rest.js';
