// Graceful shutdown of the HTTP gateway on SIGTERM and SIGINT, under Node,
// Deno and Bun: it stops accepting, lets the request in flight finish, closes
// the upstreams, logs its stats and exits 0.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, call, connect, counter, killAll, removeTemps, startGateway, tempDir, textOf, until } from './helpers.js';

afterAll(() => {
  killAll();
  removeTemps();
});

describe('graceful shutdown', () => {
  const cases = [['node', 'SIGTERM'], ['node', 'SIGINT'], ['deno', 'SIGTERM'], ['bun', 'SIGTERM']] as const;
  for (const [runtime, signal] of cases) {
    it(`${runtime}, on ${signal}: the call in flight completes, the upstreams are closed, exit 0`, async () => {
      const gw = await startGateway({ runtime, config: { gateway: { default_policy: { rate_limit_rpm: 0 } }, upstreams: [counter] } });
      const c = await connect(gw.url);
      const { pid } = JSON.parse(textOf(await call(c, 'count')));
      // a call the upstream holds until the test releases it: in flight for sure when the signal comes
      const gate = join(tempDir(), 'release');
      const inFlight = call(c, 'hold', { file: gate });
      await until(() => existsSync(`${gate}.held`), 'the held call to reach the upstream', 60_000, 20);
      const stopped = gw.stop(signal);
      // no new connections once it is stopping
      await until(async () => {
        try {
          const r = await fetch(`${gw.base}/healthz`);
          return r.status === 503 || (await r.json()).status === 'draining';
        } catch {
          return true; // refused
        }
      }, 'the gateway to stop accepting', 60_000, 50);
      writeFileSync(gate, '');
      expect(textOf(await inFlight)).toBe('released');
      const stop = await stopped;
      expect(stop).toExitWith(0);
      const { stderr } = stop;
      expect(stderr).toMatch(/stopping: finishing requests in flight/);
      expect(stderr).toMatch(/gateway stopped: \{.*"requests_total":\d+/);
      await until(() => !alive(pid), `upstream pid ${pid} to exit`, 60_000);
      await c.client.close();
    });
  }
});
