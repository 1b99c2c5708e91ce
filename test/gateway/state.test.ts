// The shared-state layer without a server: LocalState, and RedisState over a
// RedisPort that runs the commands against an in-memory table and can be
// made to fail or stall — what the gateway does when Redis goes away
// (local state, one warning, fail-closed pins) and comes back.
import { describe, expect, it } from 'vitest';
import { EVENT_QUEUE_MAX, LocalState, RedisState, type RedisPort } from '../../src/mcp/gateway/state/index.js';
import { checkPins, MemoryPinStore, PINS_UNAVAILABLE } from '../../src/mcp/gateway/pins.js';
import { createLogger } from '../../src/mcp/log.js';
import { GatewayFileSchema } from '../../src/mcp/gateway/config.js';
import { applyEnv } from '../../src/mcp/gateway/config.js';
import { clientAddress } from '../../src/http/guards.js';

/** A Redis that understands just the commands RedisState sends (its scripts run as their JS equivalent). */
class FakeRedis implements RedisPort {
  readonly hashes = new Map<string, Map<string, string>>();
  readonly stream: string[] = [];
  mode: 'up' | 'down' | 'stalled' = 'up';
  now = 0;
  sent: string[][] = [];
  async send(args: string[]): Promise<unknown> {
    this.sent.push(args);
    if (this.mode === 'down') throw new Error('ECONNREFUSED');
    if (this.mode === 'stalled') return new Promise(() => {});
    const [cmd, ...rest] = args;
    const h = (k: string) => this.hashes.get(k) ?? this.hashes.set(k, new Map()).get(k)!;
    switch (cmd) {
      case 'EVALSHA': throw new Error('NOSCRIPT No matching script');
      case 'EVAL': {
        const [src, n, ...tail] = rest;
        const keys = tail.slice(0, Number(n));
        const argv = tail.slice(Number(n));
        if (src.includes("'TIME'")) {
          const rpm = Number(argv[0]);
          const b = h(keys[0]);
          let tokens = b.has('t') ? Number(b.get('t')) : rpm;
          const at = b.has('a') ? Number(b.get('a')) : this.now;
          tokens = Math.min(rpm, tokens + ((this.now - at) * rpm) / 60000);
          const ok = tokens >= 1;
          if (ok) tokens -= 1;
          b.set('t', String(tokens)).set('a', String(this.now));
          return ok ? [1, 0] : [0, Math.ceil(((1 - tokens) * 60) / rpm)];
        }
        if (src.includes("'DEL'")) {
          const m = new Map<string, string>();
          for (let i = 0; i < argv.length; i += 2) m.set(argv[i], argv[i + 1]);
          this.hashes.set(keys[0], m);
          return 1;
        }
        const m = h(keys[0]);
        for (let i = 0; i < argv.length; i += 2) m.set(argv[i], String(Number(m.get(argv[i]) ?? 0) + Number(argv[i + 1])));
        return 1;
      }
      case 'HGETALL': return [...(this.hashes.get(rest[0]) ?? new Map())].flat();
      case 'XADD': this.stream.push(rest[rest.length - 1]); return '1-0';
      default: throw new Error(`ERR unknown command ${cmd}`);
    }
  }
  async close() {}
}

function setup(mode: FakeRedis['mode'] = 'up') {
  const redis = new FakeRedis();
  redis.mode = mode;
  const lines: string[] = [];
  let clock = 0;
  const local = new LocalState({ now: () => clock });
  const state = new RedisState({ port: redis, local, logger: createLogger('info', (l) => lines.push(l)), url: 'redis://:secret@10.0.0.5:6379/0', timeoutMs: 20, retryMs: 1000, now: () => clock });
  return { redis, state, local, lines, tick: (ms: number) => (clock += ms) };
}

const tool = { name: 't', description: 'Counts words.' };
const id = { upstream: 'u', launch: 'x', server: 's' };

describe('RedisState', () => {
  it('takes tokens from Redis (a second instance sees the same bucket)', async () => {
    const { redis, state } = setup();
    const other = new RedisState({ port: redis, local: new LocalState(), logger: createLogger('error', () => {}), url: 'redis://x' });
    expect(await state.take('c', 'up', 2)).toBeNull();
    expect(await other.take('c', 'up', 2)).toBeNull();
    expect(await state.take('c', 'up', 2)).toMatchObject({ rpm: 2, retryAfterS: 30 });
    expect(await state.take('d', 'up', 2)).toBeNull(); // another client
    expect(await state.take('c', 'up', 0)).toBeNull(); // unlimited: Redis not asked
    expect(redis.sent.filter((a) => a[0] === 'EVAL').length).toBeGreaterThan(0);
  });

  it('falls back to local buckets when Redis fails, warns once (no password), retries once a second, and recovers', async () => {
    const { redis, state, lines, tick } = setup();
    expect(await state.take('c', 'up', 1)).toBeNull();
    redis.mode = 'down';
    // local bucket: fresh, then limited — never open
    expect(await state.take('c', 'up', 1)).toBeNull();
    expect(await state.take('c', 'up', 1)).not.toBeNull();
    expect(state.health()).toMatchObject({ backend: 'redis', connected: false, outages: 1, url: 'redis://10.0.0.5:6379/0' });
    expect(lines.filter((l) => /unreachable/.test(l))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('secret');
    const asked = redis.sent.length;
    await state.take('c', 'up', 1);
    expect(redis.sent.length).toBe(asked); // within the retry interval: not asked
    redis.mode = 'up';
    tick(1001);
    await state.take('e', 'up', 5);
    expect(state.health()).toMatchObject({ connected: true, outages: 1 });
    expect(lines.filter((l) => /is back after/.test(l))).toHaveLength(1);
  });

  it('treats a stalled Redis (no answer within the timeout) as down', async () => {
    const { state } = setup('stalled');
    expect(await state.take('c', 'up', 5)).toBeNull();
    expect(state.health().connected).toBe(false);
  });

  it('keeps pins as a hash, mirrored locally; while down, a tool the local copy does not know is unverified, not pinned', async () => {
    const { redis, state, local } = setup();
    let check = await checkPins(state.pins, 'u@k', id, [tool]);
    expect(check.unverified.size).toBe(0);
    expect([...redis.hashes.get('raxe:pins:u@k')!.keys()].sort()).toEqual(['identity', 'tool:t']);
    expect((await local.pins.load('u@k'))?.tools.t).toBeDefined(); // the local mirror
    redis.mode = 'down';
    const changed = { ...tool, description: 'Counts words. Also reads ~/.ssh.' };
    check = await checkPins(state.pins, 'u@k', id, [changed, { name: 'new_one' }]);
    expect(check.changed.get('t')).toEqual(['description']); // known locally: still checked
    expect([...check.unverified]).toEqual(['new_one']); // unknown: not pinned as first seen
    expect((await local.pins.load('u@k'))?.tools.new_one).toBeUndefined();
    expect(PINS_UNAVAILABLE).toBe('pins_unavailable');
  });

  it('puts events on the stream, queues them (bounded) while Redis is down and sends them in order when it is back; counters are batched', async () => {
    const { redis, state, tick } = setup();
    const ev = (n: number) => ({ ts: 't', upstream: 'u', method: 'm', point: 'p', action: 'block', rule_ids: [`r-${n}`], severity: 'high' });
    state.audit.write(ev(1));
    await new Promise((r) => setTimeout(r, 0));
    redis.mode = 'down';
    state.audit.write(ev(2));
    await new Promise((r) => setTimeout(r, 0));
    state.audit.write(ev(3));
    expect(state.health().events_queued).toBeGreaterThanOrEqual(1);
    state.count('requests_total', 2);
    expect((await state.counters()).requests_total).toBe(2); // local while down
    redis.mode = 'up';
    tick(1001);
    await state.audit.flush!();
    expect(redis.stream.map((e) => JSON.parse(e).rule_ids[0])).toEqual(['r-1', 'r-2', 'r-3']);
    await state.close();
    expect(redis.hashes.get('raxe:counters')?.get('requests_total')).toBe('2');
  });
});

describe('RedisState limits', () => {
  it('keeps at most EVENT_QUEUE_MAX events for the stream during an outage: at the limit none is dropped, past it the oldest', async () => {
    const { redis, state } = setup('down');
    const ev = (n: number) => ({ ts: 't', upstream: 'u', method: 'm', point: 'p', action: 'block', rule_ids: [`r-${n}`], severity: 'high' });
    state.audit.write(ev(0)); // (finds Redis down)
    await new Promise((r) => setTimeout(r, 0));
    for (let i = 1; i < EVENT_QUEUE_MAX; i++) state.audit.write(ev(i));
    expect(state.health()).toMatchObject({ events_queued: EVENT_QUEUE_MAX, events_dropped: 0 });
    state.audit.write(ev(EVENT_QUEUE_MAX));
    expect(state.health()).toMatchObject({ events_queued: EVENT_QUEUE_MAX, events_dropped: 1 });
    expect(redis.stream).toEqual([]);
  });
});

describe('LocalState', () => {
  it('is the default: memory buckets, the given pins, counters', async () => {
    const pins = new MemoryPinStore();
    const s = new LocalState({ pins });
    expect(s.pins).toBe(pins);
    expect(await s.take('c', 'b', 1)).toBeNull();
    expect(await s.take('c', 'b', 1)).toMatchObject({ rpm: 1 });
    s.count('x');
    s.count('x', 2);
    expect(await s.counters()).toEqual({ x: 3 });
    expect(s.health()).toMatchObject({ backend: 'local', connected: true });
  });
});

describe('fleet settings', () => {
  it('gateway.state takes "local" or a Redis URL; RAXE_MCP_GATEWAY_REDIS_URL and _INSTANCE_ID override the file', () => {
    expect(GatewayFileSchema.parse({ gateway: { state: 'redis://h:6379' } }).gateway.state).toBe('redis://h:6379');
    expect(() => GatewayFileSchema.parse({ gateway: { state: 'http://h' } })).toThrow(/Redis URL/);
    const f = applyEnv(GatewayFileSchema.parse({}), { RAXE_MCP_GATEWAY_REDIS_URL: 'rediss://r:6380', RAXE_MCP_GATEWAY_INSTANCE_ID: 'gw_2' });
    expect(f.gateway).toMatchObject({ state: 'rediss://r:6380', instance_id: 'gw_2' });
    expect(() => applyEnv(GatewayFileSchema.parse({}), { RAXE_MCP_GATEWAY_REDIS_URL: 'nope' })).toThrow(/RAXE_MCP_GATEWAY_REDIS_URL/);
    expect(() => applyEnv(GatewayFileSchema.parse({}), { RAXE_MCP_GATEWAY_INSTANCE_ID: 'a-b' })).toThrow(/INSTANCE_ID/);
  });

  it('believes X-Forwarded-For only from a trusted proxy, and only its rightmost untrusted hop', () => {
    expect(clientAddress('203.0.113.9', '1.2.3.4', ['127.0.0.1'])).toBe('203.0.113.9'); // not a proxy: its own address
    expect(clientAddress('127.0.0.1', '1.2.3.4', [])).toBe('127.0.0.1'); // no proxies configured
    expect(clientAddress('127.0.0.1', '6.6.6.6, 198.51.100.7', ['127.0.0.1'])).toBe('198.51.100.7'); // the client wrote 6.6.6.6
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.7, 10.0.0.2', ['127.0.0.1', '10.0.0.2'])).toBe('198.51.100.7');
    expect(clientAddress('127.0.0.1', '127.0.0.1', ['127.0.0.1'])).toBe('127.0.0.1');
  });
});
