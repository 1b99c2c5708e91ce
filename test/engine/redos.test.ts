// Linearity without timing: the engine's work counter (automaton steps plus
// VM thread steps) must grow linearly with the input, even on the classic
// catastrophic-backtracking patterns.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../../src/core/engine/index.js';

const engine = await loadEngine(readFileSync(new URL('../../build/raxe.wasm', import.meta.url)));

const cases: { pattern: string; input: (n: number) => string }[] = [
  { pattern: '(a+)+$', input: (n) => 'a'.repeat(n) + '!' },
  { pattern: '(a|aa)*b', input: (n) => 'a'.repeat(n) },
  { pattern: '(.*a){12}', input: (n) => 'a'.repeat(n) },
  { pattern: '(\\w+\\s?)*$', input: (n) => 'word '.repeat(n / 5) + '!' },
  { pattern: '(a*)*b', input: (n) => 'a'.repeat(n) },
  { pattern: '^(([a-z])+.)+[A-Z]([a-z])+$', input: (n) => 'aaaa.'.repeat(n / 5) + '!' },
  { pattern: '(x+x+)+y', input: (n) => 'x'.repeat(n) },
  { pattern: '\\bignore\\s+(?:\\w+\\s+){0,5}instructions', input: (n) => 'ignore this that '.repeat(n / 17) },
];

const N = 100_000;

describe('ReDoS: work is linear in the input', () => {
  for (const c of cases) {
    it(c.pattern, () => {
      const m = engine.compile([{ source: c.pattern }]);
      const small = c.input(N);
      const big = c.input(4 * N);
      m.scan(small);
      const w1 = m.lastWork();
      m.scan(big);
      const w4 = m.lastWork();
      // per byte, bounded by the program size (a constant for the pattern)
      const perByte = w4 / big.length;
      expect(perByte).toBeLessThan(200);
      // 4x the input costs about 4x the work, not 16x or 2^n
      expect(w4 / w1).toBeGreaterThan(3);
      expect(w4 / w1).toBeLessThan(5);
    });
  }

  it('a whole set of pathological patterns on one 100 KB buffer stays linear', () => {
    const m = engine.compile(cases.map((c) => ({ source: c.pattern })));
    const text = 'a'.repeat(N / 2) + ' word'.repeat(N / 10);
    m.scan(text);
    const w1 = m.lastWork();
    m.scan(text.repeat(4));
    expect(m.lastWork() / w1).toBeLessThan(5);
  });
});
