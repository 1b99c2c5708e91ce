#!/usr/bin/env node
// Differential fuzzer: raxe (dist/core.js) vs Python's re (scripts/oracle.py).
//
//   npm run build && node scripts/fuzz.js --cases 200000 --seed 7
//
// Options:
//   --cases N        pattern x input checks to run (default 100000)
//   --seed S         PRNG seed (default: random; printed so runs can be replayed)
//   --patterns P     patterns compiled as one set per batch (default 400)
//   --inputs K       inputs per pattern (default 50; 15 derived from the pattern)
//   --own K          of those, derived from the pattern itself (default 15)
//   --depth D        max AST depth (default 4)
//   --long-rate R    share of patterns that also get a ~300-char input (default 0.12)
//   --no-empty-loops 1   never repeat a subpattern that can match '' (hides that bug class)
//   --timeout SEC    Python per-search timeout; slower cases are skipped (default 0.25)
//   --max-failures N stop after N disagreements (default 200)
//   --minimize N     shrink the first N failures (default 20; 0 = off)
//   --out FILE       also write every failure as JSON lines to FILE
//   --python BIN     interpreter (default $PYTHON or python3)
// Exit code: 0 = all agree, 1 = disagreements, 2 = setup problem.

import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import {
  Oracle, pythonAvailable, runDifferential, minimizeFailure, formatFailure,
} from './fuzz-lib.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const KNOWN = new Set(['cases', 'seed', 'patterns', 'inputs', 'own', 'depth', 'long-rate', 'no-empty-loops',
  'timeout', 'max-failures', 'minimize', 'out', 'python']);

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const [k, v] = a.includes('=') ? a.slice(2).split(/=(.*)/s) : [a.slice(2), argv[++i]];
    if (v === undefined) throw new Error(`--${k} needs a value`);
    if (!KNOWN.has(k)) throw new Error(`unknown option --${k}`);
    o[k] = v;
  }
  return o;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(String(e.message), '\nusage: node scripts/fuzz.js [--cases N] [--seed S] [--patterns P] [--inputs K] ...');
    return 2;
  }
  const num = (k, d) => (args[k] === undefined ? d : Number(args[k]));
  const cases = num('cases', 100_000);
  const seed = num('seed', Math.floor(Math.random() * 0x7fffffff));
  const patterns = num('patterns', 400);
  const inputs = num('inputs', 50);
  const own = Math.min(num('own', 15), inputs);
  const depth = num('depth', 4);
  const maxFailures = num('max-failures', 200);
  const nMin = num('minimize', 20);
  const python = args.python || process.env.PYTHON || 'python3';

  const distCore = join(ROOT, 'dist', 'core.js');
  const wasmPath = join(ROOT, 'build', 'raxe.wasm');
  if (!existsSync(distCore) || !existsSync(wasmPath)) {
    console.error('dist/core.js or build/raxe.wasm missing: run `npm run build` first');
    return 2;
  }
  if (!pythonAvailable(python)) {
    console.error(`${python} not found (use --python or $PYTHON)`);
    return 2;
  }
  const { loadEngine, EngineCompileError } = await import(distCore);
  const engine = await loadEngine(readFileSync(wasmPath));
  const oracle = new Oracle({ python, timeout: num('timeout', 0.25) });

  const batches = Math.max(1, Math.ceil(cases / (patterns * inputs)));
  console.log(`raxe fuzz: seed=${seed} batches=${batches} x ${patterns} patterns x ${inputs} inputs (${own} own)`);
  const t0 = performance.now();
  let result;
  try {
    result = await runDifferential({
      engine, EngineCompileError, oracle, seed, batches, patterns,
      ownInputs: own, sharedInputs: inputs - own, maxFailures, longRate: num('long-rate', 0.12),
      gen: { maxDepth: depth, noEmptyLoops: !!num('no-empty-loops', 0) },
      onBatch: ({ batch, stats, failures }) => {
        const s = ((performance.now() - t0) / 1000).toFixed(1);
        process.stdout.write(`  batch ${batch + 1}/${batches}: checked ${stats.checked}, failures ${failures}, ${s}s\n`);
      },
    });
  } catch (e) {
    console.error('fuzz aborted:', e);
    oracle.close();
    return 2;
  }
  const { stats, failures, posMismatches } = result;
  console.log(`checked ${stats.checked} pattern x input cases (${stats.matched} matching) over ${stats.patterns} patterns; ` +
    `${stats.pyInvalid} Python-invalid patterns (${stats.refusedOk} correctly refused); ${stats.skippedTimeout} Python timeouts skipped`);
  console.log(`time: compile ${(stats.compileMs / 1000).toFixed(1)}s, scan ${(stats.scanMs / 1000).toFixed(1)}s, ` +
    `python ${(stats.oracleMs / 1000).toFixed(1)}s, total ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  if (posMismatches.length) {
    console.log(`${posMismatches.length} syntax errors reported at a different position than Python (informational):`);
    for (const f of posMismatches.slice(0, 10)) console.log('  ' + formatFailure(f));
  }

  if (args.out) writeFileSync(args.out, failures.map((f) => JSON.stringify(f)).join('\n') + (failures.length ? '\n' : ''));

  if (failures.length) {
    console.log(`\n${failures.length} DISAGREEMENTS (seed ${seed})`);
    if (nMin > 0) {
      console.log(`minimized (first ${Math.min(nMin, failures.length)}; same minimized pattern folded):`);
      /** @type {Map<string, {line: string, n: number}>} */
      const groups = new Map();
      for (const f of failures.slice(0, nMin)) {
        const { failure, setOnly } = await minimizeFailure(engine, EngineCompileError, oracle, f);
        const k = `${setOnly}\u0000${failure.kind}\u0000${failure.flags}\u0000${failure.pattern}`;
        const g = groups.get(k);
        if (g) g.n++;
        else groups.set(k, { line: (setOnly ? '(only when compiled in the set) ' : '') + formatFailure(failure), n: 1 });
      }
      for (const { line, n } of groups.values()) console.log(`  ${line}${n > 1 ? `  (x${n})` : ''}`);
    }
    console.log('raw (first 20):');
    for (const f of failures.slice(0, 20)) console.log('  ' + formatFailure(f));
  } else {
    console.log('all agree');
  }
  oracle.close();
  return failures.length ? 1 : 0;
}

main().then((code) => { process.exitCode = code; });
