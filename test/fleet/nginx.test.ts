// nginx (a real one, from the system) in front of two gateway instances
// sharing Redis, with examples/fleet/nginx.conf: affinity on Mcp-Session-Id.
// 20 SDK clients complete their sessions through it, each session served by
// one process throughout; stopping one instance makes its clients
// re-initialise on the other (404 for a session it does not hold).
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { call, connect, counter, freePort, killAll, removeTemps, ROOT, startGateway, textOf, type Connected, type HttpGw } from '../http/helpers.js';
import { getJson, killServers, startNginx, startRedis } from './helpers.js';

afterEach(() => {
  killAll();
  killServers();
});
afterAll(removeTemps);

const CLIENTS = 20;

/** A client as the spec wants one: a 404 for its session means start a new one. */
class Agent {
  c!: Connected;
  sessions: string[] = [];
  reinitialised = 0;
  constructor(readonly url: string) {}
  async start() {
    this.c = await connect(this.url);
    this.sessions.push(this.c.transport.sessionId!);
  }
  async count(): Promise<{ pid: number; count: number }> {
    try {
      return JSON.parse(textOf(await call(this.c, 'count')));
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
      this.reinitialised++;
      await this.c.client.close().catch(() => {});
      await this.start();
      return JSON.parse(textOf(await call(this.c, 'count')));
    }
  }
}

const fleetConf = (nginxPort: number, a: HttpGw, b: HttpGw) =>
  readFileSync(join(ROOT, 'examples/fleet/nginx.conf'), 'utf8')
    .replaceAll('127.0.0.1:8080', `127.0.0.1:${nginxPort}`)
    .replaceAll('127.0.0.1:8081', new URL(a.base).host)
    .replaceAll('127.0.0.1:8082', new URL(b.base).host);

describe('a fleet behind nginx', () => {
  it('keeps every session on its instance; a stopped instance\'s clients re-initialise on the other', async () => {
    const redis = await startRedis();
    const gw = (id: string) => startGateway({ config: { gateway: { state: redis.url, instance_id: id, trusted_proxies: ['127.0.0.1'] }, upstreams: [counter] } });
    const [a, b] = await Promise.all([gw('a'), gw('b')]);
    const nginxPort = await freePort();
    const conf = fleetConf(nginxPort, a, b);
    const nginx = await startNginx(conf, (dir) => mkdirSync(join(dir, 'tmp'), { recursive: true }));

    // 20 clients, 3 calls each: one counter process per session, counting 1, 2, 3 (never another instance's)
    const agents = [...Array(CLIENTS)].map(() => new Agent(nginx.url));
    await Promise.all(agents.map((x) => x.start()));
    const first = await Promise.all(agents.map(async (x) => [await x.count(), await x.count(), await x.count()]));
    for (const runs of first) {
      expect(runs.map((r) => r.count)).toEqual([1, 2, 3]);
      expect(new Set(runs.map((r) => r.pid)).size).toBe(1);
    }
    const onA = agents.filter((x) => x.sessions[0].startsWith('a-'));
    const onB = agents.filter((x) => x.sessions[0].startsWith('b-'));
    expect(onA.length + onB.length).toBe(CLIENTS);
    expect(onA.length).toBeGreaterThan(0);
    expect(onB.length).toBeGreaterThan(0);
    expect(agents.every((x) => x.reinitialised === 0)).toBe(true);
    expect((await getJson(a.base, '/stats')).sessions.active).toBe(onA.length);
    expect((await getJson(b.base, '/stats')).sessions.active).toBe(onB.length);

    // stop A: its clients' next call reaches B, gets 404, and they start over there; B's clients are untouched
    expect((await a.stop()).code).toBe(0);
    const second = await Promise.all(agents.map((x) => x.count()));
    for (const x of onA) {
      expect(x.reinitialised).toBe(1);
      expect(x.sessions.at(-1)).toMatch(/^b-/);
    }
    for (const x of onB) expect(x.reinitialised).toBe(0);
    onA.forEach((x) => expect(second[agents.indexOf(x)].count).toBe(1)); // a new session: a new counter process
    onB.forEach((x) => expect(second[agents.indexOf(x)].count).toBe(4));
    expect((await getJson(b.base, '/stats')).sessions.active).toBe(CLIENTS);

    await Promise.all(agents.map((x) => x.c.close()));
    expect((await getJson(b.base, '/stats')).sessions.active).toBe(0);
    await nginx.stop();
    expect((await b.stop()).code).toBe(0);
  });
});
