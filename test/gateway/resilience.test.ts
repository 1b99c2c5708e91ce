// The gateway under misbehaving upstreams and hosts: a crashing, a hanging and
// a noisy upstream next to the real servers; an oversized message and a flood
// of malformed lines on raw stdio; the rate limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BENIGN, call, EVERYTHING_SERVER, everythingCmd, FLAKY, FS_SERVER, fsCmd, INIT, NODE, removeTemps, rpcError, startGateway, startRaw,
  statsFromStderr, tempDir, textOf, until, writeConfig, type Gw, type RawGw,
} from './helpers.js';

let files: string;
let gw: Gw; // filesystem + everything + flaky (--garbage, timeout_s 2), block
let limited: Gw; // filesystem + everything, rate_limit_rpm 5 (everything: its own 3)
let raw: RawGw; // filesystem + everything on raw stdio
let parseErrorsSent = 0;

beforeAll(async () => {
  files = tempDir('raxe-gw-files-');
  mkdirSync(join(files, 'docs'));
  writeFileSync(join(files, 'docs', 'report.txt'), BENIGN);
  const cfgDir = tempDir('raxe-gw-cfg-');
  const upstreams = [
    { name: 'filesystem', command: NODE, args: [FS_SERVER, files] },
    { name: 'everything', command: NODE, args: [EVERYTHING_SERVER, 'stdio'] },
  ];
  const main = writeConfig(cfgDir, {
    gateway: { default_policy: { on_threat: 'block', rate_limit_rpm: 0 }, request_timeout_s: 30 },
    upstreams: [...upstreams, { name: 'flaky', command: NODE, args: [FLAKY, '--garbage'], timeout_s: 2 }],
  }, 'main.yaml');
  const rl = writeConfig(cfgDir, {
    gateway: { default_policy: { rate_limit_rpm: 5 } },
    upstreams: [upstreams[0], { ...upstreams[1], policy: { rate_limit_rpm: 3 } }],
  }, 'limited.yaml');
  raw = startRaw(['-u', fsCmd(files), '-u', everythingCmd(), '--no-l2']);
  [gw, limited] = await Promise.all([
    startGateway({ args: ['-c', main, '--no-l2'] }),
    startGateway({ args: ['-c', rl, '--no-l2'] }),
  ]);
});

afterAll(async () => {
  await Promise.all([gw?.close(), limited?.close(), raw?.close()]);
  removeTemps();
});

describe('misbehaving upstreams', () => {
  it('ignores garbage lines an upstream prints on stdout between valid messages', async () => {
    for (let i = 0; i < 5; i++) expect(textOf(await call(gw, 'noisy_echo', { text: `n${i}` }))).toBe(`noisy: n${i}`);
    expect(textOf(await call(gw, 'add', { a: 2, b: 3 }))).toBe('5');
    expect(gw.clientErrors.map((e) => e.message)).toEqual([]); // nothing of it reached the host
  });

  it('answers a call the upstream never answers with -32003 (timeout_s 2); the upstream still serves', async () => {
    const e = await rpcError(call(gw, 'hang', {}, { timeout: 120_000 }));
    expect(e.code).toBe(-32003);
    expect(e.message).toMatch(/flaky.*did not answer tools\/call within 2s/);
    expect(textOf(await call(gw, 'add', { a: 1, b: 1 }))).toBe('2');
    expect(textOf(await call(gw, 'echo', { message: 'e' }))).toBe('Echo: e');
  });

  it('drops an upstream message over the size limit; the call fails with -32003 and the upstream keeps serving', async () => {
    // 10 MiB of text plus the JSON around it: over the 10 MiB limit
    const e = await rpcError(call(gw, 'big', { kb: 10240 }, { timeout: 120_000 }));
    expect(e.code).toBe(-32003);
    expect(textOf(await call(gw, 'add', { a: 3, b: 4 }))).toBe('7');
    expect(gw.stderr()).toMatch(/upstream flaky sent a \d+-byte message, over the limit; dropped/);
  });

  it('fails the calls of a crashed upstream with -32003, keeps the others working, and restarts it', async () => {
    const listChangedBefore = gw.listChanged;
    const e = await rpcError(call(gw, 'crash'));
    expect(e.code).toBe(-32003);
    expect(e.message).toMatch(/flaky/);
    // the other upstreams are unaffected, even while flaky is down
    expect(textOf(await call(gw, 'echo', { message: 'still up' }))).toBe('Echo: still up');
    expect(textOf(await call(gw, 'read_text_file', { path: join(files, 'docs', 'report.txt') }))).toBe(BENIGN);
    // while it is down, its calls fail fast with -32003 (or succeed once it is back)
    const codes: unknown[] = [];
    const r = await until(async () => {
      try {
        return await call(gw, 'add', { a: 20, b: 22 });
      } catch (err) {
        codes.push((err as { code?: number }).code);
        return undefined;
      }
    }, 'the restarted upstream to answer', 60_000, 250);
    expect(textOf(r)).toBe('42');
    expect(codes.every((c) => c === -32003), JSON.stringify(codes)).toBe(true);
    await until(async () => gw.listChanged > listChangedBefore, 'tools/list_changed after the restart', 60_000, 50);
    expect(gw.stderr()).toMatch(/upstream flaky restarted/);
    // the restarted one prints garbage again: still fine
    expect(textOf(await call(gw, 'noisy_echo', { text: 'again' }))).toBe('noisy: again');
  });

  it('reports the restart, the errors and the timeouts in its stats', async () => {
    const stderr = await gw.close();
    gw = undefined as never;
    const s = statsFromStderr(stderr);
    expect(s.upstreams.flaky.restarts).toBeGreaterThanOrEqual(1);
    expect(s.upstreams.flaky.errors).toBeGreaterThanOrEqual(3); // the hang, the oversized result and the crash
    expect(s.upstreams.everything.errors).toBe(0);
    expect(s.upstreams.filesystem.restarts).toBe(0);
  });
});

describe('rate limit', () => {
  const outcome = async (p: Promise<unknown>): Promise<'ok' | number> => {
    try {
      await p;
      return 'ok';
    } catch (e) {
      return (e as { code: number }).code;
    }
  };

  it('limits each upstream to its own rate_limit_rpm and lists to the default one (-32000 past it); ping is not limited', async () => {
    // lists go to every upstream: the default policy's 5 a minute
    const lists: Array<'ok' | number> = [];
    for (let i = 0; i < 7; i++) lists.push(await outcome(limited.client.listTools()));
    expect(lists).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', -32000, -32000]);
    // everything has its own 3 a minute
    const calls: Array<'ok' | number> = [];
    for (let i = 0; i < 4; i++) calls.push(await outcome(call(limited, 'echo', { message: `x${i}` })));
    expect(calls).toEqual(['ok', 'ok', 'ok', -32000]);
    const e = await rpcError(call(limited, 'echo', { message: 'x' }));
    expect(e.code).toBe(-32000);
    expect(e.message).toMatch(/3 requests per minute to everything/);
    expect(e.data?.retry_after_s).toBeGreaterThan(0);
    // filesystem still has its own bucket (the default's 5)
    expect((await call(limited, 'list_allowed_directories')).isError).toBeFalsy();
    await expect(limited.client.ping()).resolves.toBeDefined();
    // each refusal is a line on stderr
    await until(async () => (limited.stderr().match(/action=block rules=rate_limit/g) ?? []).length >= 4, 'the rate-limit lines', 5000, 20);
  });

  it('with no limit configured, the stdio gateway does not limit its one host: 200 concurrent calls all pass', async () => {
    const open = await startGateway({ args: ['-u', everythingCmd(), '--no-l2'] });
    try {
      const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => call(open, 'echo', { message: `m${i}` })));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    } finally {
      const s = statsFromStderr(await open.close());
      expect(s.rate_limited).toBe(0);
    }
  });
});

describe('raw stdio from a broken host', () => {
  beforeAll(async () => {
    await raw.send(INIT);
    await raw.waitFor((m) => m.id === 'init' && m.result, 'initialize result');
    await raw.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  });

  it('answers an 11 MB line with -32004 (id null) and then serves the next request', async () => {
    const from = raw.lines.length;
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 'huge', method: 'tools/call', params: { name: 'echo', arguments: { message: 'A'.repeat(11 * 1024 * 1024) } } });
    expect(Buffer.byteLength(huge)).toBeGreaterThan(11 * 1024 * 1024);
    await raw.write(huge + '\n' + JSON.stringify({ jsonrpc: '2.0', id: 'after-huge', method: 'tools/call', params: { name: 'echo', arguments: { message: 'small' } } }) + '\n');
    const ok = await raw.waitFor((m) => m.id === 'after-huge', 'the response after the huge message');
    expect(ok.result.content[0].text).toBe('Echo: small');
    const mine = raw.lines.slice(from).map((l) => JSON.parse(l));
    const tooLarge = mine.filter((m) => m.error?.code === -32004);
    expect(tooLarge).toHaveLength(1);
    expect(tooLarge[0].id).toBeNull();
    expect(mine.findIndex((m) => m.error?.code === -32004)).toBeLessThan(mine.findIndex((m) => m.id === 'after-huge'));
    expect(mine.some((m) => m.id === 'huge')).toBe(false);
  });

  it('answers each of 10,000 malformed lines (-32700 / -32600), survives, and keeps stdout pure JSON-RPC', async () => {
    const from = raw.lines.length;
    const kinds: Array<[string, number]> = [
      ['{not json', -32700],
      ['{"jsonrpc":"2.0","id":1,"method":', -32700],
      ['\u0000\u0001\u0002 garbage', -32700],
      ['{"foo":1}', -32600],
      ['[1,2,3]', -32600],
      ['42', -32600],
      ['"just a string"', -32600],
      ['{"jsonrpc":"1.0","id":7,"method":"tools/list"}', -32600],
      ['{"jsonrpc":"2.0","id":{"a":1},"method":"tools/list"}', -32600],
      ['{"jsonrpc":"2.0","id":8,"method":42}', -32600],
      ['null', -32600],
      ['[]', -32600],
    ];
    const lines: string[] = [];
    const expected: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const [l, code] = kinds[i % kinds.length];
      lines.push(l);
      expected.push(code);
    }
    parseErrorsSent = expected.filter((c) => c === -32700).length;
    await raw.write(lines.join('\n') + '\n');
    await raw.send({ jsonrpc: '2.0', id: 'after-flood', method: 'tools/list' });
    const ok = await raw.waitFor((m) => m.id === 'after-flood', 'the response after the flood', 60_000);
    expect(ok.result.tools.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['echo', 'read_text_file']));
    const out = raw.lines.slice(from);
    // stdout carries only JSON-RPC
    for (const l of out) {
      const m = JSON.parse(l);
      expect(m.jsonrpc).toBe('2.0');
    }
    const errors = out.map((l) => JSON.parse(l)).filter((m) => m.id !== 'after-flood');
    expect(errors).toHaveLength(10_000);
    expect(errors.map((m) => m.error.code)).toEqual(expected);
    // a string or number id is echoed when it can be read; otherwise null
    expect(errors[7].id).toBe(7);
    expect(errors[0].id).toBeNull();
    expect(raw.proc.exitCode).toBeNull();
    // and the upstreams still serve
    await raw.send({ jsonrpc: '2.0', id: 'echo-after', method: 'tools/call', params: { name: 'echo', arguments: { message: 'alive' } } });
    expect((await raw.waitFor((m) => m.id === 'echo-after', 'echo after the flood')).result.content[0].text).toBe('Echo: alive');
  });

  it('exits cleanly when the host closes stdin, with its stats on stderr', async () => {
    const lines = raw.lines;
    const { code, stderr } = await raw.close();
    raw = undefined as never;
    expect(lines.every((l) => JSON.parse(l).jsonrpc === '2.0')).toBe(true); // the whole session's stdout
    expect(code, stderr).toBe(0);
    const s = statsFromStderr(stderr);
    expect(s.oversized_messages).toBe(1);
    expect(s.parse_errors).toBe(parseErrorsSent);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
