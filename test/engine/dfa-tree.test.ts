/**
 * The DFA tree's fallback paths give the same answers as its one-pass root.
 *
 * With the default budgets the root DFA answers nearly every scan, so the
 * conformance corpus and the fuzzer mostly exercise it. Here the caches are
 * shrunk until every DFA gives up: the root hands its state over to its
 * slices mid-text, slices hand over to single patterns, and single patterns
 * fall back to the Pike VM. Each configuration must agree with Python's
 * recorded answers (the conformance corpus) and with a live python3 (a
 * shorter differential fuzz run).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-ignore -- plain ESM JS helper shared with scripts/fuzz.js
import { Oracle, runDifferential, formatFailure } from '../../scripts/fuzz-lib.js';
import { loadEngine, EngineCompileError, type Engine, type CompileOptions, type PatternSpec } from '../../src/core/engine/index.js';

interface Case { pattern: string; flags: number; input: string; span: [number, number] | null }
const WASM = fileURLToPath(new URL('../../build/raxe.wasm', import.meta.url));
const corpus: { cases: Case[] } = JSON.parse(readFileSync(new URL('./conformance/cases.json', import.meta.url), 'utf8'));

const patterns: PatternSpec[] = [];
const index = new Map<string, number>();
for (const c of corpus.cases) {
  const k = `${c.flags}\u0000${c.pattern}`;
  if (!index.has(k)) {
    index.set(k, patterns.length);
    patterns.push({ source: c.pattern, flags: c.flags });
  }
}

/** Budgets in bytes: 1 makes every DFA give up at once; a few KB lets them run a little, then hand over mid-text. */
const CONFIGS: [string, CompileOptions][] = [
  ['every DFA gives up at once (Pike VM for every pattern)', { stateBudgets: { root: 1, slice: 1 } }],
  ['the root hands over mid-text, slices run', { stateBudgets: { root: 4096, slice: 64 << 10 } }],
  ['root and slices hand over mid-text', { stateBudgets: { root: 4096, slice: 2048 } }],
];

let engine: Engine;
beforeAll(async () => {
  engine = await loadEngine(readFileSync(WASM));
});

describe.each(CONFIGS)('DFA tree: %s', (_name, options) => {
  it('agrees with Python on the conformance corpus (ids and spans)', () => {
    const m = engine.compile(patterns, options);
    const bad: string[] = [];
    let fallbacks = 0;
    for (const c of corpus.cases) {
      const id = index.get(`${c.flags}\u0000${c.pattern}`)!;
      const ids = m.scanIds(c.input);
      fallbacks += m.stats().giveUps;
      const hit = m.scan(c.input).find((x) => x.id === id);
      const got = hit ? [hit.start, hit.end] : null;
      if (JSON.stringify(got) !== JSON.stringify(c.span) || ids.includes(id) !== (c.span !== null)) {
        bad.push(`pattern=${JSON.stringify(c.pattern)} flags=${c.flags} input=${JSON.stringify(c.input)} python=${JSON.stringify(c.span)} engine=${JSON.stringify(got)} ids=${ids.includes(id)}`);
      }
    }
    expect(bad, bad.slice(0, 20).join('\n')).toEqual([]);
    expect(fallbacks, 'the budgets did not force any give-up').toBeGreaterThan(0);
  });
});

describe('DFA tree fallbacks vs a live python3', () => {
  let oracle: InstanceType<typeof Oracle>;
  beforeAll(() => {
    oracle = new Oracle({ timeout: 0.25 });
  });
  afterAll(() => oracle?.close());

  it.each(CONFIGS.slice(1))('%s: 2 x 300 fuzzed patterns agree', async (_name, options) => {
    let giveUps = 0;
    const tiny = {
      compile: (specs: PatternSpec[]) => {
        const m = engine.compile(specs, options);
        return {
          scan: (text: string) => {
            const r = m.scan(text);
            giveUps += m.stats().giveUps;
            return r;
          },
        };
      },
    };
    const { stats, failures } = await runDifferential({
      engine: tiny, EngineCompileError, oracle, seed: 160016,
      batches: 2, patterns: 300, ownInputs: 10, sharedInputs: 20, maxFailures: 20, longRate: 0.2,
    });
    expect(failures.length, failures.slice(0, 10).map(formatFailure).join('\n')).toBe(0);
    expect(stats.checked).toBeGreaterThan(10_000);
    expect(giveUps, 'the budgets did not force any give-up').toBeGreaterThan(100);
  }, 120_000);
});

describe('DFA tree: caches that fill, clear and cap their tables', () => {
  it('the built-in pack with small budgets answers as with the default ones, on every chunk of a mixed corpus', async () => {
    // @ts-ignore -- plain ESM JS bench helpers
    const { buildCorpus, splitChunks } = await import('../../bench/corpus.js');
    const pack = JSON.parse(readFileSync(fileURLToPath(new URL('../../dist/builtin-pack.json', import.meta.url)), 'utf8'));
    const F: Record<string, number> = { IGNORECASE: 2, MULTILINE: 8, DOTALL: 16, VERBOSE: 64 };
    const specs: PatternSpec[] = [];
    for (const r of pack.rules) for (const p of r.patterns) specs.push({ source: p.pattern, flags: (p.flags ?? []).reduce((a: number, f: string) => a | F[f], 0) });
    const text: string = buildCorpus({ size: 300_000 }).text;
    const chunks: string[] = splitChunks(text, 16_384);
    const reference = engine.compile(specs);
    // a root of ~1,500 states (it fills, clears and gives up) and slices of ~400
    const small = engine.compile(specs, { stateBudgets: { root: 1 << 20, slice: 192 << 10 } });
    let clears = 0;
    let giveUps = 0;
    for (const c of chunks) {
      expect(small.scanIds(c)).toEqual(reference.scanIds(c));
      clears += small.stats().rootClears;
      giveUps += small.stats().giveUps;
    }
    expect(small.scanIds(text)).toEqual(reference.scanIds(text));
    expect(clears + giveUps, 'the small budgets never filled').toBeGreaterThan(0);
  }, 120_000);
});
