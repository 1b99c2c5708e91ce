// The relay's own backpressure: an upstream whose notifications arrive
// faster than they can be scanned is no longer read once MAX_RELAY_BACKLOG_BYTES
// wait (they stay in its pipe), and is read again when the backlog is half
// gone; every notification is still relayed, in order.
import { describe, expect, it } from 'vitest';
import { MAX_RELAY_BACKLOG_BYTES, ServerTraffic } from '../../src/mcp/gateway/server-traffic.js';
import { CLEAN, type Inspector } from '../../src/mcp/gateway/inspector.js';
import { TaskRoutes } from '../../src/mcp/gateway/tasks.js';
import { createLogger } from '../../src/mcp/log.js';
import type { Upstream } from '../../src/mcp/gateway/upstream.js';

describe('relay backlog', () => {
  it('holds the upstream past the limit, releases it at half, and relays everything in order', async () => {
    const gates: Array<() => void> = [];
    const inspector = { inspect: () => new Promise((r) => gates.push(() => r(CLEAN))) } as unknown as Inspector;
    const sent: unknown[] = [];
    const holds: string[] = [];
    const up = { name: 'u', hold: (r: string) => holds.push(`hold ${r}`), release: (r: string) => holds.push(`release ${r}`) } as unknown as Upstream;
    const st = new ServerTraffic({
      send: (m) => sent.push(m), inspector, hostCaps: () => ({}), hostToken: () => undefined, catalogStale: () => {}, tasks: new TaskRoutes(),
      warnHost: () => {}, dropped: () => {}, blocked: () => {}, logger: createLogger('error', () => {}),
    });
    const size = 100 * 1024;
    const n = Math.ceil((MAX_RELAY_BACKLOG_BYTES * 2) / size);
    for (let i = 0; i < n; i++) st.upstreamNotification(up, { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: String(i) } }, size);
    expect(holds.filter((h) => h === 'hold relay').length).toBeGreaterThan(0);
    expect(holds.includes('release relay')).toBe(false);
    while (sent.length < n) {
      await new Promise((r) => setImmediate(r));
      gates.shift()?.();
    }
    await st.drain(up);
    expect(holds.at(-1)).toBe('release relay');
    expect(sent.map((m) => (m as { params: { data: string } }).params.data)).toEqual([...Array(n).keys()].map(String));
  });
});
