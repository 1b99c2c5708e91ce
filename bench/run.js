#!/usr/bin/env node
// raxe engine benchmark: raxe vs V8 RegExp one by one vs re2js RE2Set, in one run.
//
//   npm run build && npm run bench:engine     # full run (a few minutes on 2 cores)
//   node bench/run.js --quick                 # smoke run (smaller inputs, fewer iterations)
//   node bench/run.js --sets=builtin          # builtin, generated (default both)
//   node bench/run.js --engines=raxe,re2      # raxe, v8, re2 (default all)
//   node bench/run.js --patterns=1000         # size of the generated set (default 700)
//   node bench/run.js --no-cold               # skip the cold-start row
//   node bench/run.js --no-check              # skip the raxe/V8 agreement check
//   node bench/run.js --json=out.json         # also write the figures as JSON
//   node bench/run.js --re2-maxmem=8388608    # re2js DFA budget (default here 256 MB)
//
// For each pattern set (the built-in rule pack; a generated 700-pattern
// detection set) and each engine: (a) the benign 1 KB prompt, p50/p99 per
// scan, and 1 KB chunks of the corpus in MB/s; (b) the 1 MB mixed corpus as
// one document; (c) 1 MB of adversarial text made of the set's own words.
// Big inputs: first (cold) scan, then the best of a few. Ratios are baseline
// time / raxe time. raxe is timed through Matcher.scanIds (which patterns
// match: what a scan needs; spans cost a Pike VM run per match, only for
// --explain). re2js gets 256 MB and a warm-up pass (with its default 8 MB its
// DFA thrashes); on adversarial text it is timed on a 64 KB slice (a 1 MB
// pass takes minutes). Then a cold-start row: `raxe scan --no-l2 hello` and
// `raxe scan hello` against `node -e 0`. Timing targets print as PASS/MISS;
// the exit code never depends on timing. The machine's load average is
// printed: on a shared machine, compare ratios measured in the same run.

import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RE2Set } from 're2js';
import { buildCorpus, splitChunks, PROMPT_1K } from './corpus.js';
import { loadSets, adversarialText } from './sets.js';
import { MB, now, ms, bytes, latency, bigScan, throughput, coldStart, sink } from './measure.js';
import { checkAgreement } from './check.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (!a) return dflt;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
};
const QUICK = !!opt('quick', false);
const ENGINES = new Set(String(opt('engines', 'raxe,v8,re2')).split(','));
const SETS = String(opt('sets', 'builtin,generated')).split(',');
const N_PATTERNS = Number(opt('patterns', 700));
const RE2_MAXMEM = Number(opt('re2-maxmem', 256 * MB));
const COLD = !opt('no-cold', false);
const CHECK = !opt('no-check', false);
const JSON_OUT = opt('json', null);
const CFG = QUICK
  ? { doc: 256 << 10, adv: 256 << 10, re2Adv: 16 << 10, lat: { iters: 300, warm: 30, budgetMs: 200, maxMs: 3000 }, tp: { minMs: 200, maxPasses: 5 }, reps: 1, coldRuns: 3, checkChunks: 40 }
  : { doc: MB, adv: MB, re2Adv: 64 << 10, lat: { iters: 2000, warm: 200, budgetMs: 1000, maxMs: 20000 }, tp: { minMs: 1000, maxPasses: 20 }, reps: 3, coldRuns: 9, checkChunks: Infinity };

const log = (...a) => console.log(...a);
const f1 = (x, d = 1) => (x == null || Number.isNaN(x) ? '-' : x > 0 && x < 0.1 ? x.toPrecision(2) : x.toFixed(d));
const fx = (x) => (x == null || !Number.isFinite(x) ? '-' : x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(2)) + 'x';
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

async function loadRaxe() {
  const core = await import(pathToFileURL(path.join(ROOT, 'dist', 'core.js')).href);
  return core.loadEngine(fs.readFileSync(path.join(ROOT, 'build', 'raxe.wasm')));
}

/** The three engines' scan functions for one set: each returns how many patterns matched. */
function engines(set, raxeEngine) {
  const out = {};
  if (ENGINES.has('raxe')) {
    const t0 = now();
    const m = raxeEngine.compile(set.specs);
    out.raxe = { compileMs: ms(t0), scan: (s) => m.scanIds(s).length, matcher: m };
  }
  if (ENGINES.has('v8')) {
    const rs = set.v8.filter(Boolean);
    const t0 = now();
    for (const r of rs) r.test('');
    out.v8 = { compileMs: ms(t0), scan: (s) => rs.reduce((n, r) => n + (r.test(s) ? 1 : 0), 0), missing: set.v8Missing };
  }
  if (ENGINES.has('re2')) {
    const t0 = now();
    const s2 = new RE2Set(RE2Set.UNANCHORED, 0, RE2_MAXMEM);
    for (const src of set.re2) if (src !== null) s2.add(src);
    s2.compile();
    out.re2 = { compileMs: ms(t0), scan: (s) => s2.match(s).length, set: s2, missing: set.re2Missing };
  }
  return out;
}

function runSet(set, raxeEngine, inputs, results) {
  log(`\n=== ${set.name}: ${set.specs.length} patterns (${set.note})${set.v8Missing || set.re2Missing ? `; not expressible: V8 ${set.v8Missing}, RE2 ${set.re2Missing}` : ''} ===`);
  const adv = adversarialText(set, CFG.adv);
  const eng = engines(set, raxeEngine);
  const R = (results.sets[set.name] = { patterns: set.specs.length, engines: {} });
  for (const [name, e] of Object.entries(eng)) {
    const r = (R.engines[name] = { compileMs: e.compileMs, missing: e.missing ?? 0 });
    process.stdout.write(`[${name}] `);
    if (name === 're2') {
      // its lazy DFA is built on first use: one pass over the corpus first
      const t = now();
      e.scan(inputs.doc);
      r.warmupMs = ms(t);
    }
    const lat = latency(e.scan, PROMPT_1K, CFG.lat);
    Object.assign(r, { p50us: lat.p50, p99us: lat.p99 });
    process.stdout.write(`1 KB p50 ${f1(lat.p50, 1)} µs; `);
    r.chunksMBps = throughput(e.scan, inputs.chunks, CFG.tp).mbps;
    const doc = bigScan(e.scan, inputs.doc, { reps: CFG.reps });
    Object.assign(r, { docColdMs: doc.cold, docMs: doc.best, docMBps: doc.mbps });
    process.stdout.write(`1 MB ${f1(doc.best)} ms; `);
    const advText = name === 're2' ? adv.slice(0, CFG.re2Adv) : name === 'v8' ? adv : adv;
    const a = bigScan(e.scan, advText, { reps: name === 'raxe' ? CFG.reps : 1, warm: name === 'raxe' ? 1 : 0 });
    Object.assign(r, { advColdMs: a.cold, advMs: a.best, advMBps: a.mbps, advBytes: bytes(advText) });
    log(`adversarial ${f1(a.mbps, 2)} MB/s`);
    if (name === 'raxe') r.stats = e.matcher.stats();
  }
  // table
  const E = R.engines;
  log(`${pad('engine', 22)}${lpad('compile ms', 11)}${lpad('1KB p50 µs', 12)}${lpad('p99 µs', 10)}${lpad('1KB MB/s', 10)}${lpad('1MB doc MB/s', 14)}${lpad('cold ms', 9)}${lpad('advers. MB/s', 14)}`);
  const label = { raxe: 'raxe', v8: 'V8 RegExp one by one', re2: 're2js RE2Set' };
  for (const [name, r] of Object.entries(E)) {
    log(`${pad(label[name], 22)}${lpad(f1(r.compileMs), 11)}${lpad(f1(r.p50us), 12)}${lpad(f1(r.p99us), 10)}${lpad(f1(r.chunksMBps, 2), 10)}${lpad(f1(r.docMBps, 2), 14)}${lpad(f1(r.docColdMs, 0), 9)}${lpad(f1(r.advMBps, 2), 14)}`);
  }
  if (E.re2) log(`(re2js warm-up pass over the corpus: ${f1(E.re2.warmupMs / 1000, 1)} s; its adversarial figure is on ${E.re2.advBytes >> 10} KB)`);
  if (E.raxe) {
    const x = E.raxe;
    log(`raxe adversarial vs its own 1 MB document: ${fx(x.advMs / (x.docMs * (x.advBytes / bytes(inputs.doc))))} the time per byte (target <= 3x)`);
    R.speedups = {};
    for (const b of ['v8', 're2']) {
      if (!E[b]) continue;
      const s = (R.speedups[b] = { p50: E[b].p50us / x.p50us, chunks: x.chunksMBps / E[b].chunksMBps, doc: x.docMBps / E[b].docMBps, adv: x.advMBps / E[b].advMBps });
      log(`raxe vs ${pad(label[b], 22)} 1 KB p50 ${lpad(fx(s.p50), 7)}   1 KB chunks ${lpad(fx(s.chunks), 7)}   1 MB ${lpad(fx(s.doc), 7)}   adversarial ${lpad(fx(s.adv), 7)}`);
    }
  }
  return eng;
}

async function main() {
  log(`raxe engine benchmark${QUICK ? ' (--quick)' : ''} -- node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, load average ${load()}`);
  const corpus = buildCorpus({ size: CFG.doc });
  const doc = corpus.text.length > CFG.doc ? corpus.text.slice(0, corpus.text.lastIndexOf('\n', CFG.doc)) : corpus.text;
  const inputs = { doc, chunks: splitChunks(doc, 1024), corpus };
  log(`inputs: 1 KB prompt (${bytes(PROMPT_1K)} B), ${inputs.chunks.length} chunks of ~1 KB, a ${f1(bytes(doc) / MB, 2)} MB document (prose, code, logs, ~8% non-ASCII), ${f1(CFG.adv / MB, 2)} MB of each set's own words`);
  const results = { config: { quick: QUICK, sets: SETS, loadavg: os.loadavg() }, sets: {} };
  const raxeEngine = ENGINES.has('raxe') ? await loadRaxe() : null;
  const sets = loadSets(SETS, { patterns: N_PATTERNS, root: ROOT });
  for (const set of sets) {
    if (set.error) {
      log(`\n=== ${set.name}: SKIPPED (${set.error}) ===`);
      continue;
    }
    const eng = runSet(set, raxeEngine, inputs, results);
    if (CHECK && set.name === 'generated' && eng.raxe && set.v8Missing === 0) {
      const m = eng.raxe.matcher;
      results.sets.generated.check = checkAgreement({
        raxe: { engine: raxeEngine, ids: set.specs.map((_, i) => i), scanFull: (s) => m.scan(s) },
        pats: set.specs, specs: set.specs, v8first: (s, i) => set.v8[i].exec(s), re2set: eng.re2?.set ?? null,
        chunks: inputs.chunks, corpus, PROMPT_1K, checkChunks: CFG.checkChunks, log,
      });
    }
  }
  if (COLD && ENGINES.has('raxe')) {
    log(`\n=== cold start: median of ${CFG.coldRuns} alternating runs (load average ${load()}) ===`);
    const bin = path.join(ROOT, 'bin', 'raxe.js');
    const [base, noL2, l2] = coldStart([[process.execPath, '-e', '0'], [process.execPath, bin, 'scan', '--no-l2', 'hello'], [process.execPath, bin, 'scan', 'hello']], CFG.coldRuns);
    results.cold = { nodeMs: base, noL2Ms: noL2, l2Ms: l2 };
    log(`node -e 0 ${f1(base, 0)} ms | raxe scan --no-l2 hello ${f1(noL2, 0)} ms = ${fx(noL2 / base)} (target <= 2.5x) | raxe scan hello ${f1(l2, 0)} ms = ${fx(l2 / base)} (target <= 6x)`);
  }
  // targets
  const b = results.sets.builtin;
  const mark = (c) => (c ? 'PASS' : 'MISS');
  const targets = [];
  if (b?.speedups?.v8) targets.push(['built-in pack >= 10x V8, 1 KB p50', b.speedups.v8.p50 >= 10, b.speedups.v8.p50], ['built-in pack >= 10x V8, 1 MB', b.speedups.v8.doc >= 10, b.speedups.v8.doc]);
  if (b?.speedups?.re2) targets.push(['built-in pack >= 2x RE2Set, 1 KB p50', b.speedups.re2.p50 >= 2, b.speedups.re2.p50], ['built-in pack >= 2x RE2Set, 1 MB', b.speedups.re2.doc >= 2, b.speedups.re2.doc]);
  if (b?.engines?.raxe) {
    const x = b.engines.raxe;
    const r = x.advMs / (x.docMs * (x.advBytes / bytes(doc)));
    targets.push(['built-in pack adversarial within 3x of benign', r <= 3, r]);
  }
  if (results.cold) targets.push(['raxe scan --no-l2 hello <= 2.5x node -e 0', results.cold.noL2Ms / results.cold.nodeMs <= 2.5, results.cold.noL2Ms / results.cold.nodeMs], ['raxe scan hello <= 6x node -e 0', results.cold.l2Ms / results.cold.nodeMs <= 6, results.cold.l2Ms / results.cold.nodeMs]);
  if (targets.length) log(`\ntargets (load average ${load()}):`);
  for (const [label, pass, v] of targets) log(`  [${mark(pass)}] ${pad(label, 48)} ${fx(v)}`);
  results.targets = targets.map(([label, pass, value]) => ({ label, pass, value }));
  const chk = results.sets.generated?.check;
  if (chk) log(`  [${chk.idDisagreements + chk.spanDisagreements === 0 ? 'PASS' : 'FAIL'}] raxe agrees with V8 on the generated set (ids and spans): ${chk.idDisagreements} + ${chk.spanDisagreements} disagreement(s)`);
  if (chk && chk.idDisagreements + chk.spanDisagreements > 0) process.exitCode = 1;
  if (JSON_OUT) fs.writeFileSync(path.resolve(JSON_OUT), JSON.stringify(results, null, 2));
  if (sink() === -1) log('');
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exitCode = 1;
});
