/**
 * Differential fuzz: random patterns over raxe's supported grammar, compiled
 * as ONE set per batch, checked against a live `python3 scripts/oracle.py`.
 * Fixed seed and budget, so failures are reproducible; for longer runs use
 * `node scripts/fuzz.js --cases N --seed S`.
 *
 * Env overrides: RAXE_FUZZ_SEED, RAXE_FUZZ_BATCHES, PYTHON (interpreter).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-ignore -- plain ESM JS helper shared with scripts/fuzz.js
import { Oracle, pythonAvailable, runDifferential, minimizeFailure, formatFailure } from '../../scripts/fuzz-lib.js';
import { loadEngine, EngineCompileError, type Engine } from '../../src/core/engine/index.js';

const WASM = fileURLToPath(new URL('../../build/raxe.wasm', import.meta.url));
const SEED = Number(process.env.RAXE_FUZZ_SEED ?? 20240611);
const BATCHES = Number(process.env.RAXE_FUZZ_BATCHES ?? 4);
const PATTERNS = 400; // compiled as one set per batch
const OWN_INPUTS = 10; // derived from the pattern itself
const SHARED_INPUTS = 40; // from other patterns / generic; 50 inputs per pattern
const LONG_RATE = 0.05; // share of patterns that also get a ~300-char input
const MIN_CASES = 20_000;

// Python's re is the oracle: without python3 this fails (it is on every machine we test on), never skips
it('has python3 for the oracle (set PYTHON=/path/to/python3)', () => expect(pythonAvailable()).toBe(true));

describe(`differential fuzz vs Python re (seed ${SEED})`, () => {
  let engine: Engine;
  let oracle: InstanceType<typeof Oracle>;

  beforeAll(async () => {
    if (!existsSync(WASM)) throw new Error(`${WASM} is missing: run \`npm run build:wasm\` first`);
    engine = await loadEngine(readFileSync(WASM));
    oracle = new Oracle({ timeout: 0.25 });
  });
  afterAll(() => oracle?.close());

  it(`${BATCHES} x ${PATTERNS} patterns x ${OWN_INPUTS + SHARED_INPUTS} inputs agree with Python`, async () => {
    const { stats, failures, posMismatches } = await runDifferential({
      engine, EngineCompileError, oracle, seed: SEED,
      batches: BATCHES, patterns: PATTERNS, ownInputs: OWN_INPUTS, sharedInputs: SHARED_INPUTS,
      maxFailures: 100, longRate: LONG_RATE,
    });
    const summary = `checked=${stats.checked} (matching ${stats.matched}), patterns=${stats.patterns}, ` +
      `python-invalid=${stats.pyInvalid} (refused ok ${stats.refusedOk}), timeouts=${stats.skippedTimeout}, ` +
      `compile ${stats.compileMs.toFixed(0)}ms, scan ${stats.scanMs.toFixed(0)}ms, oracle ${stats.oracleMs.toFixed(0)}ms`;
    console.log(`fuzz: ${summary}`);
    if (posMismatches.length) {
      console.warn(`fuzz: ${posMismatches.length} syntax errors at a different position than Python (informational), e.g.\n` +
        posMismatches.slice(0, 5).map(formatFailure).join('\n'));
    }

    let report = '';
    if (failures.length) {
      // shrink the first few distinct patterns so the report is readable
      const distinct = [...new Map(failures.map((f: { pattern: string; flags: number }) => [`${f.flags}:${f.pattern}`, f])).values()];
      const mins = new Map<string, number>();
      for (const f of distinct.slice(0, 6)) {
        const { failure, setOnly } = await minimizeFailure(engine, EngineCompileError, oracle, f, 400);
        const line = (setOnly ? '(only in the set) ' : '') + formatFailure(failure);
        mins.set(line, (mins.get(line) ?? 0) + 1);
      }
      report = `${failures.length} disagreements with Python (seed ${SEED}, ${distinct.length} patterns); minimized:\n  ` +
        [...mins].map(([l, n]) => (n > 1 ? `${l}  (x${n})` : l)).join('\n  ') +
        `\nraw (first 20):\n  ${failures.slice(0, 20).map(formatFailure).join('\n  ')}\n` +
        `replay: node scripts/fuzz.js --seed ${SEED} --cases ${BATCHES * PATTERNS * (OWN_INPUTS + SHARED_INPUTS)} --own ${OWN_INPUTS} --long-rate ${LONG_RATE}\n`;
    }
    expect(failures.length, report).toBe(0);
    expect(stats.checked).toBeGreaterThanOrEqual(MIN_CASES * 0.9);
  }, 600_000); // a bound for a hung oracle: the run takes ~30 s idle, ~110 s with both cores busy
});
