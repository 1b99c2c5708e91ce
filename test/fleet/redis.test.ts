// Two gateway instances on loopback sharing one Redis (a real redis-server
// started here): one rate limit, one pin set, one event stream, fleet-wide
// counters; then Redis is killed mid-run — each instance runs on its local
// state as documented (limits per instance, pins known locally, a tool no
// one can vouch for unscanned and withheld, events kept for the stream) —
// and comes back.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { call, CLI, connect, counter, killAll, NODE, removeTemps, startGateway, tempDir, until, type HttpGw } from '../http/helpers.js';
import { RUGPULL } from '../gateway/helpers.js';
import { getJson, killServers, startRedis } from './helpers.js';

afterEach(() => {
  killAll();
  killServers();
});
afterAll(removeTemps);

const LIMIT = 5;

/** A fleet member: its own state dir (pin file, audit log), the shared Redis. */
function member(redis: string, id: string, stageFile: string): Promise<HttpGw> {
  return startGateway({
    config: {
      gateway: { state: redis, instance_id: id, rate_limit_key: 'address', default_policy: { on_threat: 'block', rate_limit_rpm: 0 } },
      upstreams: [
        { ...counter, policy: { rate_limit_rpm: LIMIT } },
        { name: 'rugpull', command: NODE, args: [RUGPULL, '--stage-file', stageFile] },
      ],
    },
  });
}

const names = async (url: string) => {
  const c = await connect(url);
  try {
    return (await c.client.listTools()).tools.map((t) => t.name).sort();
  } finally {
    await c.close();
  }
};

async function rpcCode(p: Promise<unknown>): Promise<{ code: number; data?: any } | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return { code: (e as { code: number }).code, data: (e as { data?: unknown }).data };
  }
}

describe('a fleet on one Redis', () => {
  it('shares rate limits, pins, events and counters; degrades to local state when Redis dies, and recovers', async () => {
    const redis = await startRedis();
    const stage = join(tempDir('raxe-fleet-'), 'stage');
    writeFileSync(stage, '1');
    const a = await member(redis.url, 'a', stage);
    const b = await member(redis.url, 'b', stage);
    const r = await redis.client();
    const cfg = join(tempDir('raxe-fleet-cli-'), 'fleet.yaml');
    writeFileSync(cfg, `gateway:\n  state: ${redis.url}\n`);
    const pins = (...args: string[]) => spawnSync(NODE, [CLI, 'mcp', 'pins', ...args, '-c', cfg], { encoding: 'utf8', timeout: 60_000 });

    // ---- one rate limit: LIMIT calls through A, the next one through B is refused
    const ca = await connect(a.url);
    for (let i = 0; i < LIMIT; i++) await call(ca, 'count');
    const cb = await connect(b.url);
    const refused = await rpcCode(call(cb, 'count'));
    expect(refused?.code).toBe(-32000);
    expect(await r.keys('raxe:rl:counter:*')).toEqual(['raxe:rl:counter:addr:127.0.0.1']);

    // ---- one pin set: A pinned stage 1 (its first list); the upstream changes; A sees the rug pull, and so does B
    expect(await names(a.url)).toContain('summarize');
    expect(Object.keys(await r.hGetAll((await r.keys('raxe:pins:rugpull@*'))[0]))).toEqual(expect.arrayContaining(['identity', 'tool:summarize', 'tool:word_count']));
    writeFileSync(stage, '2');
    expect(await names(a.url)).not.toContain('summarize'); // withheld on A
    // B never saw stage 1 itself: with state of its own it would pin stage 2 as new; the fleet's pins say otherwise
    expect(await names(b.url)).not.toContain('summarize');
    const cb2 = await connect(b.url);
    expect((await rpcCode(call(cb2, 'summarize', { text: 'x' })))?.data?.rule_ids).toEqual(['tool-rug-pull']);

    // ---- one event stream: decisions of both instances
    const stream = async () => ((await r.xRange('raxe:events', '-', '+')) ?? []).map((e) => JSON.parse(String(e.message?.e)));
    const events = await until(async () => {
      const ev = await stream();
      return ev.filter((e) => e.rule_ids.includes('tool-rug-pull')).length >= 2 && ev.some((e) => e.point === 'rate_limit') && ev;
    }, 'events from both instances on the stream');
    expect(events.find((e) => e.point === 'rate_limit')).toMatchObject({ upstream: 'counter', action: 'block' });
    expect(JSON.stringify(events)).not.toMatch(/Summarises/); // ids and names, never definitions or text

    // ---- fleet counters: both instances' requests, summed, seen from either
    const own = async (gw: HttpGw) => (await getJson(gw.base, '/stats')).requests_total as number;
    const total = (await own(a)) + (await own(b));
    const fleet = await until(async () => {
      const f = (await getJson(a.base, '/stats')).fleet;
      return f?.requests_total >= total && f;
    }, 'the fleet counters');
    expect((await getJson(b.base, '/stats')).fleet.requests_total).toBe(fleet.requests_total);
    expect(fleet['upstreams.counter.rate_limited']).toBe(1);

    // ---- Redis dies mid-run
    const before = (await stream()).length;
    await redis.kill();
    // A still answers: its own bucket now (LIMIT more, then refused) — never open, never down
    for (let i = 0; i < LIMIT; i++) await call(ca, 'count');
    expect((await rpcCode(call(ca, 'count')))?.code).toBe(-32000);
    const sa = await getJson(a.base, '/stats');
    expect(sa.state).toMatchObject({ backend: 'redis', connected: false, outages: 1 });
    expect(sa.state.events_queued).toBeGreaterThanOrEqual(1);
    expect(a.stderr().match(/state: Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/g)).toHaveLength(1);
    expect(await getJson(a.base, '/metrics')).toMatch(/^raxe_state_connected\{backend="redis"\} 0$/m);
    // pins A read before: still checked (the rug pull stays withheld), the rest still listed
    expect(await names(a.url)).toEqual(['count', 'hold', 'wait', 'word_count']);
    // a new instance that has never read the fleet's pins cannot vouch for any tool: none is listed, a call is refused as unscanned
    const c = await member(redis.url, 'c', stage);
    expect(await names(c.url)).toEqual([]);
    const cc = await connect(c.url);
    const unverified = await rpcCode(call(cc, 'count'));
    expect(unverified?.code).toBe(-32001);
    expect(unverified?.data?.unscanned).toEqual(['pins_unavailable']);
    // the pins command does not fall back: it says Redis cannot be read
    const down = pins('list');
    expect(down).toExitWith(2);
    expect(down.stderr).toMatch(/cannot read the fleet's pins from Redis at redis:\/\/127\.0\.0\.1:\d+ .*is it running\?/);

    // ---- Redis is back (same data): the instances reconnect, queued events reach the stream, C now trusts the fleet's pins
    await redis.restart();
    await until(async () => (await getJson(a.base, '/stats')).state.connected === true && (await getJson(c.base, '/stats')).state.connected === true, 'A and C back on Redis');
    const r2 = await redis.client();
    await until(async () => (await r2.xLen('raxe:events')) > before + 1, 'the events of the outage on the stream');
    const after = ((await r2.xRange('raxe:events', '-', '+')) ?? []).map((e) => JSON.parse(String(e.message?.e)));
    expect(after.slice(before).some((e) => e.point === 'rate_limit')).toBe(true); // A's refusal during the outage
    expect(after.slice(before).some((e) => (e.unscanned ?? []).includes('pins_unavailable'))).toBe(true); // C's
    expect(await names(c.url)).toEqual(['count', 'hold', 'wait', 'word_count']);
    // the operator reviews and accepts the change once, for the whole fleet (raxe mcp pins -c with the fleet's config)
    expect(pins('diff', 'rugpull', 'summarize').stdout).toMatch(/description:\n\s+- Summarises a text in one sentence\.\n\s+\+ Summarises a text in one sentence and returns it as plain text\./);
    const accepted = pins('accept', 'rugpull', 'summarize');
    expect(accepted).toExitWith(0);
    expect(accepted.stdout).toMatch(/accepted 1 changed definition: rugpull\/summarize/);
    expect(await names(b.url)).toContain('summarize');
    expect(await names(c.url)).toContain('summarize');
    expect(JSON.parse(pins('list', '--json').stdout).find((x: { upstream: string }) => x.upstream === 'rugpull').changed).toEqual({});
    expect((await getJson(a.base, '/stats')).state).toMatchObject({ connected: true, outages: 1, events_queued: 0, events_dropped: 0 });
    expect(a.stderr()).toMatch(/state: Redis at redis:\/\/127\.0\.0\.1:\d+ is back/);
    // the shared limit again: B's next call takes from the bucket in Redis (its update time moves), not from a local one
    const [sec, usec] = (await r2.sendCommand(['TIME'])) as string[];
    const t0 = Number(sec) * 1000 + Math.floor(Number(usec) / 1000);
    await rpcCode(call(cb, 'count'));
    expect(Number(await r2.hGet('raxe:rl:counter:addr:127.0.0.1', 'a'))).toBeGreaterThanOrEqual(t0);

    for (const x of [ca, cb, cb2, cc]) await x.close();
    for (const gw of [a, b, c]) expect((await gw.stop()).code).toBe(0);
    await r.quit().catch(() => {});
    await r2.quit();
  });
});
