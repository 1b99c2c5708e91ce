// The stdio gateway against messages built to hurt it, both ways: oversized
// requests are answered with -32004 under their own id at once (the SDK
// writes the id last, after the huge params), oversized notifications are
// dropped without an answer, messages nested 20,000 levels deep are refused
// without a stack overflow, and an upstream's oversized or over-deep answer
// fails its call at once instead of after the request timeout. Everything is
// counted in the stats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call, fixtureCmd, FIXTURES, INIT, removeTemps, rpcError, startGateway, startRaw, statsFromStderr, tempDir, textOf, writeConfig,
  type Gw, type RawGw,
} from './helpers.js';
import { join } from 'node:path';

const ABUSIVE = join(FIXTURES, 'abusive.mjs');
/** Small limits keep the test cheap; the behaviour does not depend on the size. */
const LIMIT = 200_000;
const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

let gw: Gw;
let raw: RawGw;

beforeAll(async () => {
  const dir = tempDir();
  const cfg = writeConfig(dir, {
    gateway: { max_message_bytes: LIMIT, request_timeout_s: 5, l2_enabled: false, telemetry_enabled: false },
    upstreams: [{ name: 'abusive', command: process.execPath, args: [ABUSIVE] }],
  });
  [gw, raw] = await Promise.all([startGateway({ args: ['-c', cfg] }), Promise.resolve(startRaw(['-c', cfg]))]);
  await raw.send(INIT);
  await raw.waitFor((m) => m.id === 'init', 'initialize');
  await raw.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
});

afterAll(async () => {
  await gw?.close();
  await raw?.close();
  removeTemps();
});

describe('oversized messages from the host', () => {
  it('a request over the limit is answered -32004 under its own id, at once (the SDK writes the id last)', async () => {
    const e = await rpcError(call(gw, 'ok', { text: 'x'.repeat(LIMIT + 1000) }, { timeout: 15_000 }));
    expect(e.code).toBe(-32004);
    expect(e.message).toMatch(/exceeds the 200000-byte limit/);
    expect(textOf(await call(gw, 'ok', { text: 'after' }))).toBe('ok: after');
  });

  it('a notification over the limit is dropped without an answer (nothing with id null reaches the host)', async () => {
    await gw.transport.send({ jsonrpc: '2.0', method: 'notifications/roots/list_changed', params: { pad: 'y'.repeat(LIMIT + 1000) } } as never);
    expect(textOf(await call(gw, 'ok', { text: 'next' }))).toBe('ok: next');
    expect(gw.clientErrors.map((e) => e.message)).toEqual([]);
  });

  it('recovers string ids, ids before the params, and answers id null only when there is none', async () => {
    const from = raw.lines.length;
    const pad = 'z'.repeat(LIMIT);
    await raw.write(`{"jsonrpc":"2.0","id":"first \\"quoted\\"","method":"tools/call","params":{"name":"ok","arguments":{"text":"${pad}"}}}\n`);
    await raw.write(`{"jsonrpc":"2.0","method":"tools/call","params":{"name":"ok","arguments":{"text":"${pad}","id":99}},"id":12}\n`);
    await raw.write(`{"garbage":"${pad}"}\n`);
    await raw.send({ jsonrpc: '2.0', id: 'after', method: 'ping' });
    await raw.waitFor((m) => m.id === 'after', 'the ping after');
    const errs = raw.lines.slice(from).map((l) => JSON.parse(l)).filter((m) => m.error);
    expect(errs.map((m) => [m.id, m.error.code])).toEqual([['first "quoted"', -32004], [12, -32004], [null, -32004]]);
  });
});

describe('deeply nested messages from the host', () => {
  it('a 40 KB notification of 20,000 nested arrays does not take the gateway down', async () => {
    const line = `{"jsonrpc":"2.0","method":"notifications/roots/list_changed","params":{"x":${nested(20_000)}}}`;
    expect(line.length).toBeGreaterThan(40_000);
    await raw.write(line + '\n');
    await raw.send({ jsonrpc: '2.0', id: 'alive', method: 'tools/call', params: { name: 'ok', arguments: { text: 'alive' } } });
    const r = await raw.waitFor((m) => m.id === 'alive', 'a call after the deep notification');
    expect(r.result.content[0].text).toBe('ok: alive');
  });

  it('a request nested 20,000 levels deep is refused with -32600 under its id', async () => {
    await raw.write(`{"jsonrpc":"2.0","id":"deep","method":"tools/call","params":{"name":"ok","arguments":{"x":${nested(20_000)}}}}\n`);
    const r = await raw.waitFor((m) => m.id === 'deep', 'the answer to the deep request');
    expect(r.error).toMatchObject({ code: -32600, message: expect.stringMatching(/nested deeper than 256 levels/) });
  });
});

describe('hostile answers from the upstream', () => {
  it('an answer over the limit fails the call with -32004 at once, not -32003 after the timeout', async () => {
    const e = await rpcError(call(gw, 'huge', { kb: 300 }));
    expect(e.code).toBe(-32004);
    expect(e.message).toMatch(/abusive answered tools\/call with a \d+-byte message, over the gateway's message limit/);
  });

  it('an answer nested 20,000 levels deep fails the call with -32003 at once', async () => {
    const e = await rpcError(call(gw, 'deep_result', { levels: 20_000 }));
    expect(e.code).toBe(-32003);
    expect(e.message).toMatch(/nested deeper than 256 levels/);
  });

  it('oversized and over-deep notifications are dropped; the calls that sent them are answered', async () => {
    expect(textOf(await call(gw, 'huge_notify', { kb: 300 }))).toBe('sent');
    expect(textOf(await call(gw, 'deep_notify', { levels: 20_000 }))).toBe('sent');
    expect(textOf(await call(gw, 'ok', { text: 'still here' }))).toBe('ok: still here');
  });

  it('counts every oversized and invalid message in the stats', async () => {
    const stderr = await gw.close();
    gw = undefined as never;
    const s = statsFromStderr(stderr);
    expect(s.oversized_messages).toBe(4); // request, notification, answer, notification
    expect(s.upstreams.abusive.oversized).toBe(2);
    expect(stderr).not.toMatch(/RangeError|\n\s+at /);
    const r = await raw.close();
    raw = undefined as never;
    const rs = statsFromStderr(r.stderr);
    expect(rs).toMatchObject({ oversized_messages: 3, invalid_messages: 2 });
    expect(r.code).toBe(0);
  });
});

describe('legitimate large results', () => {
  it('a 9 MB text of one letter and a 6.5 MB image pass whole (no -32603, nothing lost after the upstream ran the call)', async () => {
    const big = await startGateway({ args: ['-u', fixtureCmd(ABUSIVE), '--no-l2'] });
    try {
      expect(textOf(await call(big, 'xs', { kb: 9000 }, { timeout: 120_000 }))).toBe('x'.repeat(9000 * 1024));
      const img = await call(big, 'image', { kb: 6500 }, { timeout: 120_000 });
      expect((img.content[0] as { data: string }).data.length).toBe(Math.ceil((6500 * 1024) / 3) * 4);
    } finally {
      const s = statsFromStderr(await big.close());
      expect(s).toMatchObject({ unscanned: 0, requests_blocked: 0 });
    }
  });
});
