// The HTTP gateway's rate limits and upstream health, with the SDK client over
// Streamable HTTP: with no rate_limit_rpm in the config each client gets
// HTTP_DEFAULT_RPM (an agent's burst of 200 concurrent calls passes),
// --rate-limit-rpm sets the limit from the command line, and a failed
// upstream shows in /stats and answers -32003/-32002.
import { afterAll, describe, expect, it } from 'vitest';
import { HTTP_DEFAULT_RPM } from '../../src/mcp/gateway/limits.js';
import { call, connect, counter, killAll, removeTemps, rpcError, startGateway, textOf } from './helpers.js';

afterAll(() => {
  killAll();
  removeTemps();
});

describe('HTTP rate limits', () => {
  it('with no limit configured: 200 concurrent calls of one client all pass (the default is per client and generous)', async () => {
    expect(HTTP_DEFAULT_RPM).toBeGreaterThanOrEqual(600);
    const gw = await startGateway({ config: { upstreams: [counter] } });
    try {
      const c = await connect(gw.url);
      const results = await Promise.allSettled(Array.from({ length: 200 }, () => call(c, 'count')));
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason?.code);
      expect(refused).toEqual([]);
      const stats = await (await fetch(`${gw.base}/stats`)).json();
      expect(stats.rate_limited).toBe(0);
      await c.close();
    } finally {
      await gw.stop();
    }
  });

  it('--rate-limit-rpm on the gateway sets the limit per client', async () => {
    const gw = await startGateway({ config: { upstreams: [counter] }, args: ['--rate-limit-rpm', '3'] });
    try {
      const c = await connect(gw.url);
      await c.client.listTools(); // (the gateway's own bucket)
      const codes: Array<'ok' | number> = [];
      for (let i = 0; i < 4; i++) codes.push(await call(c, 'count').then(() => 'ok' as const, (e) => e.code));
      expect(codes).toEqual(['ok', 'ok', 'ok', -32000]);
      // another client has its own budget
      const d = await connect(gw.url);
      expect(textOf(await call(d, 'count'))).toMatch(/\d+/);
      await Promise.all([c.close(), d.close()]);
      expect(gw.stderr()).toMatch(/point=rate_limit action=block rules=rate_limit/);
    } finally {
      await gw.stop();
    }
  });
});

describe('a failed upstream over HTTP', () => {
  it('shows in /stats with its state and last error; its calls answer -32003 or -32002', async () => {
    const gw = await startGateway({ config: { upstreams: [counter, { name: 'broken', command: 'raxe-test-no-such-command-77' }] } });
    try {
      const c = await connect(gw.url);
      expect((await c.client.listTools()).tools.map((t) => t.name)).toContain('count');
      expect([-32003, -32002]).toContain((await rpcError(call(c, 'belongs_to_broken'))).code);
      const stats = await (await fetch(`${gw.base}/stats`)).json();
      expect(stats.upstreams.broken).toMatchObject({ last_error: expect.stringMatching(/ENOENT/) });
      expect(Object.keys(stats.upstreams.broken.states)).toEqual(expect.arrayContaining([expect.stringMatching(/down|starting|failed/)]));
      expect(stats.upstreams.counter.states).toEqual({ ready: 1 });
      await c.close();
    } finally {
      await gw.stop();
    }
  });
});
