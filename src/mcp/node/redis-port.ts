/**
 * Node: the RedisPort of the gateway's shared state (../gateway/state) over
 * TCP with node-redis. Commands are never queued while disconnected (they
 * fail at once, so the state falls back to local at once) and the client
 * reconnects by itself, backing off up to a second.
 */
import { createClient } from 'redis';
import type { RedisPort } from '../gateway/state/types.js';
import type { Logger } from '../log.js';
import { redactUri } from '../gateway/report.js';

/** Time to connect (and reconnect) before an attempt counts as failed. */
export const REDIS_CONNECT_TIMEOUT_MS = 2000;

/**
 * Connects to `url` (redis:// or rediss://) in the background and returns
 * at once. Commands wait for the first connection attempt (at most
 * REDIS_CONNECT_TIMEOUT_MS), so a gateway's first requests do not start an
 * outage; after that, commands sent while disconnected fail at once.
 */
export function nodeRedisPort(url: string, log: Logger): RedisPort {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: REDIS_CONNECT_TIMEOUT_MS, reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) },
  });
  let lastError = '';
  // (the state logs outages; this only keeps repeated socket errors from being thrown or logged per retry)
  client.on('error', (e: Error) => {
    const m = e.message || String(e);
    if (m !== lastError) log.debug(`redis ${redactUri(url)}: ${m}`);
    lastError = m;
  });
  const connected = client.connect().catch(() => {});
  let first: Promise<unknown> | null = Promise.race([connected, new Promise((r) => setTimeout(r, REDIS_CONNECT_TIMEOUT_MS).unref())]).finally(() => (first = null));
  return {
    async send(args) {
      if (first) await first;
      return client.sendCommand(args);
    },
    async close() {
      // (never waits for a connection that may not come: a Redis that is down must not hold the process)
      try {
        if (client.isReady) await client.close();
        else client.destroy();
      } catch {
        client.destroy();
      }
    },
  };
}
