// Resource templates and tool globs are matched in linear time: the same
// answers as the anchored regex they replace (checked on every short string
// over a small alphabet), and a 1 MB adversarial URI answered at once (the
// regex took 7.9 s on 2.5 KB, cubic); end to end, a resources/read with a
// long URI of slashes is routed while another session's ping is answered.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { globPattern, templatePattern } from '../../src/mcp/gateway/gaps.js';
import { everythingCmd, FIXTURES, NODE, removeTemps, rpcError, startGateway } from './helpers.js';

afterAll(() => removeTemps());

const regexOf = (parts: string[]) => new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');

/** Every string over `alphabet` up to `n` characters. */
function* strings(alphabet: string, n: number): Generator<string> {
  yield '';
  let level = [''];
  for (let k = 0; k < n; k++) {
    const next: string[] = [];
    for (const s of level) for (const c of alphabet) next.push(s + c);
    yield* next;
    level = next;
  }
}

describe('gap patterns', () => {
  it('agree with the anchored regex on every string up to 7 characters', () => {
    const templates = ['d/{a}/{b}.j', '{a}', 'd{a}d', '{a}/{b}', 'x', '{a}dd{b}d', 'd/{a}{b}/j', '{a}/d/{b}/d/{c}'];
    for (const t of templates) {
      const parts = t.split(/\{[^}]*\}/);
      const mine = templatePattern(t);
      const re = regexOf(parts);
      for (const s of strings('d/.j', 7)) expect(mine.test(s), `${t} on ${JSON.stringify(s)}`).toBe(re.test(s));
    }
    for (const g of ['read_*', '*', '*_file', 'a*b*a', 'exact']) {
      const re = regexOf(g.split('*'));
      for (const s of strings('ab_', 6)) expect(globPattern(g).test(s), `${g} on ${s}`).toBe(re.test(s));
    }
  });

  it('answer a 1 MB adversarial URI and tool name at once', () => {
    expect(templatePattern('db://{a}/{b}/{c}.json').test(`db://${'/'.repeat(1 << 20)}x`)).toBe(false);
    expect(templatePattern('db://{a}/{b}/{c}.json').test(`db://${'a/'.repeat(1 << 19)}.json`)).toBe(true);
    expect(templatePattern('{a}aaaaaaaab{b}').test('a'.repeat(1 << 20))).toBe(false);
    expect(globPattern('*a*a*a*a*b').test('a'.repeat(1 << 20))).toBe(false);
  });
});

describe('resource routing end to end', () => {
  it('routes a read whose URI is 20 KB of slashes without stalling the gateway', async () => {
    // two upstreams with resources: the owner is found by matching templates
    const gw = await startGateway({ args: ['-u', everythingCmd(), '-u', `${NODE} ${join(FIXTURES, 'abusive.mjs')}`, '--no-l2'] });
    try {
      const uri = `db://${'/'.repeat(20_000)}x`;
      const read = rpcError(gw.client.readResource({ uri }, { timeout: 60_000 }));
      await expect(gw.client.ping()).resolves.toBeDefined();
      expect((await read).code).toBeLessThan(0); // unknown resource: refused, not hung
      const ok = await gw.client.readResource({ uri: `db://x/y/${'z/'.repeat(5000)}.json` });
      expect(ok.contents[0]).toMatchObject({ text: 'row' });
    } finally {
      await gw.close();
    }
  });
});
