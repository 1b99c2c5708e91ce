#!/usr/bin/env node
// raxe engine benchmark: raxe vs sequential V8 RegExp vs re2js RE2Set.
//
//   npm run build && npm run bench            # full run (~1-2 min on 2 cores)
//   node bench/run.js --quick                 # smoke run (256 KB corpus, fewer iterations)
//   node bench/run.js --engines=raxe,v8       # subset of engines (raxe, v8, re2)
//   node bench/run.js --patterns=1000         # pattern-set size (default 700)
//   node bench/run.js --json=out.json         # also write the figures as JSON
//   node bench/run.js --no-check              # skip the raxe/V8 agreement check
//   node bench/run.js --profile               # also time each pattern alone in raxe (costliest first)
//
// Throughput is UTF-8 MB (2^20 bytes) of input scanned per second. Speedup is
// baseline time / raxe time. Timing targets are reported as PASS/MISS only;
// the exit code reflects only crashes (and never timing).

import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RE2Set } from 're2js';
import { buildPatterns, toV8, toRE2 } from './patterns.js';
import { buildCorpus, splitChunks, PROMPT_1K } from './corpus.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------
// options

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const a = argv.find((x) => x === `--${name}` || x.startsWith(`--${name}=`));
  if (!a) return dflt;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : true;
};
const QUICK = !!opt('quick', false);
const ENGINES = new Set(String(opt('engines', 'raxe,v8,re2')).split(',').map((s) => s.trim()));
const N_PATTERNS = Number(opt('patterns', 700));
const JSON_OUT = opt('json', null);
const CHECK = !opt('no-check', false);
const RE2_MAXMEM = Number(opt('re2-maxmem', 256 * 1024 * 1024));
const PROFILE = !!opt('profile', false);
const T_START = Date.now();

const CFG = QUICK
  ? { corpusBytes: 256 * 1024, tpMinMs: 100, tpMaxPasses: 20, latIters: 300, latWarm: 50, latBudgetMs: 150, checkChunks: 40 }
  : { corpusBytes: 1 << 20, tpMinMs: 1000, tpMaxPasses: 50, latIters: 2000, latWarm: 200, latBudgetMs: 1000, checkChunks: Infinity };

// ---------------------------------------------------------------------------
// helpers

const now = () => process.hrtime.bigint();
const ms = (t0, t1 = now()) => Number(t1 - t0) / 1e6;
const MB = 1 << 20;
const bytes = (s) => Buffer.byteLength(s, 'utf8');
const isAscii = (s) => /^[\x00-\x7f]*$/.test(s);
const fmt = (x, d = 1) => (x == null || Number.isNaN(x) ? '-' : x.toFixed(d));
const fmtx = (x) => (x == null || Number.isNaN(x) ? '-' : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2)) + 'x';
const log = (...a) => console.log(...a);
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
let SINK = 0; // defeat dead-code elimination

/** Repeat passes over `inputs` until tpMinMs elapsed (>= 1 pass). Returns MB/s. */
function throughput(scan, inputs, nbytes) {
  let passes = 0;
  const t0 = now();
  let el = 0;
  do {
    for (let i = 0; i < inputs.length; i++) SINK += scan(inputs[i]);
    passes++;
    el = ms(t0);
  } while (el < CFG.tpMinMs && passes < CFG.tpMaxPasses);
  return { mbps: (nbytes * passes) / MB / (el / 1000), passes, ms: el };
}

/** Per-call latency distribution (µs) for one input. */
function latency(scan, input) {
  for (let i = 0; i < CFG.latWarm; i++) SINK += scan(input);
  const samples = [];
  const tStart = now();
  while (samples.length < CFG.latIters || (ms(tStart) < CFG.latBudgetMs && samples.length < 100000)) {
    const t0 = now();
    SINK += scan(input);
    samples.push(Number(now() - t0) / 1e3);
  }
  samples.sort((a, b) => a - b);
  const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  return { p50: q(0.5), p99: q(0.99), n: samples.length };
}

function timed(fn) {
  const t0 = now();
  const v = fn();
  return [v, ms(t0)];
}

// ---------------------------------------------------------------------------
// engines

async function loadRaxe() {
  const distPath = path.join(ROOT, 'dist', 'core.js');
  const wasmPath = path.join(ROOT, 'build', 'raxe.wasm');
  if (!fs.existsSync(distPath) || !fs.existsSync(wasmPath)) {
    return { error: `missing ${!fs.existsSync(distPath) ? 'dist/core.js' : 'build/raxe.wasm'} (run \`npm run build\`)` };
  }
  const mod = await import(pathToFileURL(distPath).href);
  const engine = await mod.loadEngine(fs.readFileSync(wasmPath));
  return { engine, mod };
}

/** Compile the set with raxe; if the set is rejected, find and drop the offending patterns. */
function raxeCompile(engine, specs) {
  try {
    const [matcher, t] = timed(() => engine.compile(specs));
    return { matcher, ms: t, ids: specs.map((_, i) => i), rejected: [] };
  } catch (e) {
    const rejected = [];
    const keep = [];
    for (let i = 0; i < specs.length; i++) {
      try {
        engine.compile([specs[i]]);
        keep.push(i);
      } catch (err) {
        rejected.push({ i, source: specs[i].source, flags: specs[i].flags, error: String(err?.message ?? err), code: err?.code });
      }
    }
    if (!rejected.length) throw e; // the set fails but every single pattern compiles
    const [matcher, t] = timed(() => engine.compile(keep.map((i) => specs[i])));
    return { matcher, ms: t, ids: keep, rejected, setError: String(e?.message ?? e) };
  }
}

// ---------------------------------------------------------------------------
// ddmin-style shrinking for failure reports

function shrinkList(list, fails, maxTests = 3000) {
  let cur = list.slice();
  let n = 2;
  let tests = 0;
  while (cur.length >= 2 && tests < maxTests) {
    const size = Math.ceil(cur.length / n);
    let reduced = false;
    for (let i = 0; i < cur.length && tests < maxTests; i += size) {
      const cand = cur.slice(0, i).concat(cur.slice(i + size));
      tests++;
      if (cand.length && fails(cand)) {
        cur = cand;
        n = Math.max(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= cur.length) break;
      n = Math.min(cur.length, n * 2);
    }
  }
  return cur;
}

// ---------------------------------------------------------------------------

async function main() {
  log(`raxe engine benchmark${QUICK ? ' (--quick)' : ''} — node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}`);

  // --- inputs -----------------------------------------------------------------
  const [pats, tPat] = timed(() => buildPatterns({ target: N_PATTERNS }));
  const [corpus, tCorpus] = timed(() => buildCorpus({ size: 1 << 20 }));
  const fullText = corpus.text;
  let text = fullText;
  if (CFG.corpusBytes < fullText.length) {
    const cut = fullText.lastIndexOf('\n', CFG.corpusBytes);
    text = fullText.slice(0, cut > 0 ? cut : CFG.corpusBytes);
  }
  const chunks = splitChunks(text, 1024);
  const textBytes = bytes(text);
  const chunkBytes = chunks.reduce((a, c) => a + bytes(c), 0);
  const cats = {};
  for (const p of pats) cats[p.category] = (cats[p.category] ?? 0) + 1;
  const noLit = pats.filter((p) => p.noLiteral).length;
  log(`patterns: ${pats.length} (${Object.entries(cats).map(([k, v]) => `${k} ${v}`).join(', ')}; ${noLit} without a 3+ char literal) [${fmt(tPat, 0)} ms]`);
  log(`corpus:   ${fmt(textBytes / MB, 2)} MB, ${chunks.length} chunks of ~1 KB (${chunks.filter(isAscii).length} ASCII-only), ${corpus.attacks.filter((a) => a.offset < text.length).length} attack phrases; prompt ${bytes(PROMPT_1K)} B [${fmt(tCorpus, 0)} ms]`);

  // Validate every pattern with both baselines up front.
  const v8res = [];
  const bad = [];
  for (const p of pats) {
    try { v8res.push(toV8(p)); } catch (e) { bad.push(`V8: ${p.source}: ${e.message}`); v8res.push(null); }
  }
  if (bad.length) { log('INVALID PATTERNS:\n  ' + bad.join('\n  ')); process.exitCode = 1; return; }

  const results = { config: { quick: QUICK, patterns: pats.length, corpusBytes: textBytes, chunks: chunks.length, promptBytes: bytes(PROMPT_1K), re2MaxMem: RE2_MAXMEM }, engines: {}, checks: {} };
  const specs = pats.map((p) => ({ source: p.source, flags: p.flags }));

  // --- raxe -------------------------------------------------------------------
  let raxe = null;
  if (ENGINES.has('raxe')) {
    log('\n[raxe] loading...');
    try {
      const loaded = await loadRaxe();
      if (loaded.error) {
        log(`[raxe] SKIPPED: ${loaded.error}`);
        results.engines.raxe = { skipped: loaded.error };
      } else {
        const { engine } = loaded;
        const comp = raxeCompile(engine, specs);
        if (comp.rejected.length) {
          log(`[raxe] set rejected (${comp.setError}); ${comp.rejected.length} pattern(s) refused individually and EXCLUDED:`);
          for (const r of comp.rejected.slice(0, 10)) log(`    #${r.i} flags=${r.flags} ${JSON.stringify(r.source)} -> ${r.code ?? ''} ${r.error}`);
        }
        const m = comp.matcher;
        const scan = (s) => m.scan(s).length;
        log(`[raxe] compiled ${comp.ids.length} patterns in ${fmt(comp.ms)} ms (${m.prefilteredCount?.() ?? '?'} with a literal prefilter); warming up...`);
        let hits = 0;
        for (const c of chunks) hits += scan(c); // warm-up pass doubles as the hit count
        scan(text);
        const tpChunks = throughput(scan, chunks, chunkBytes);
        const tpBuf = throughput(scan, [text], textBytes);
        const lat = latency(scan, PROMPT_1K);
        raxe = { engine, matcher: m, ids: comp.ids, scanFull: (s) => m.scan(s) };
        results.engines.raxe = { compileMs: comp.ms, chunksMBps: tpChunks.mbps, bufferMBps: tpBuf.mbps, p50us: lat.p50, p99us: lat.p99, latIters: lat.n, chunkHits: hits, bufferHits: scan(text), excluded: comp.rejected.length };
        log(`[raxe] done: ${fmt(tpChunks.mbps)} MB/s chunks, ${fmt(tpBuf.mbps)} MB/s buffer, p50 ${fmt(lat.p50, 2)} µs`);
      }
    } catch (e) {
      log(`[raxe] CRASHED: ${e?.stack ?? e}`);
      results.engines.raxe = { crashed: String(e?.message ?? e) };
      process.exitCode = 1;
    }
  }

  // --- V8 sequential -------------------------------------------------------------
  const v8first = (s, i) => v8res[i].exec(s);
  if (ENGINES.has('v8')) {
    log('\n[v8] RegExp, one exec() per pattern (flags u / iu)...');
    const [, tc] = timed(() => {
      for (let i = 0; i < pats.length; i++) v8res[i] = toV8(pats[i]);
      for (const r of v8res) r.exec(''); // V8 compiles lazily, on first exec
    });
    const scan = (s) => {
      let n = 0;
      for (let i = 0; i < v8res.length; i++) if (v8res[i].exec(s) !== null) n++;
      return n;
    };
    let hits = 0;
    for (const c of chunks) hits += scan(c); // warm-up (regexp tier-up to native code) + hit count
    const tpChunks = throughput(scan, chunks, chunkBytes);
    scan(text);
    const tpBuf = throughput(scan, [text], textBytes);
    const lat = latency(scan, PROMPT_1K);
    results.engines.v8 = { compileMs: tc, chunksMBps: tpChunks.mbps, bufferMBps: tpBuf.mbps, p50us: lat.p50, p99us: lat.p99, latIters: lat.n, chunkHits: hits, bufferHits: scan(text) };
    log(`[v8] done: ${fmt(tpChunks.mbps, 2)} MB/s chunks, ${fmt(tpBuf.mbps, 2)} MB/s buffer, p50 ${fmt(lat.p50, 1)} µs`);
  }

  // --- re2js RE2Set --------------------------------------------------------------
  let re2set = null;
  if (ENGINES.has('re2')) {
    log(`\n[re2] re2js RE2Set (maxMem ${RE2_MAXMEM / MB} MB)...`);
    try {
      const [set, tc] = timed(() => {
        const s = new RE2Set(RE2Set.UNANCHORED, 0, RE2_MAXMEM);
        for (const p of pats) s.add(toRE2(p));
        s.compile();
        return s;
      });
      re2set = set;
      const scan = (s) => set.match(s).length;
      let hits = 0;
      const [, tw] = timed(() => { for (const c of chunks) hits += scan(c); scan(text); });
      log(`[re2] compiled in ${fmt(tc)} ms; warm-up pass (lazy DFA construction) took ${fmt(tw / 1000, 1)} s`);
      const tpChunks = throughput(scan, chunks, chunkBytes);
      const tpBuf = throughput(scan, [text], textBytes);
      const lat = latency(scan, PROMPT_1K);
      results.engines.re2 = { compileMs: tc, warmupMs: tw, chunksMBps: tpChunks.mbps, bufferMBps: tpBuf.mbps, p50us: lat.p50, p99us: lat.p99, latIters: lat.n, chunkHits: hits, bufferHits: scan(text) };
      log(`[re2] done: ${fmt(tpChunks.mbps, 2)} MB/s chunks, ${fmt(tpBuf.mbps, 2)} MB/s buffer, p50 ${fmt(lat.p50, 1)} µs`);
    } catch (e) {
      log(`[re2] FAILED: ${e?.message ?? e}`);
      results.engines.re2 = { crashed: String(e?.message ?? e) };
    }
  }

  // --- agreement check (ASCII inputs only) -------------------------------------------
  if (CHECK && raxe) {
    const attackChunks = new Set();
    {
      let off = 0;
      const spans = chunks.map((c) => { const s = [off, off + c.length]; off += c.length; return s; });
      for (const a of corpus.attacks) spans.forEach(([s, e], i) => { if (a.offset < e && a.offset + a.length > s) attackChunks.add(i); });
    }
    let picked = chunks.map((c, i) => i).filter((i) => isAscii(chunks[i]));
    if (Number.isFinite(CFG.checkChunks)) {
      const atk = picked.filter((i) => attackChunks.has(i));
      const other = picked.filter((i) => !attackChunks.has(i)).filter((_, k) => k % 7 === 0);
      picked = atk.concat(other).slice(0, CFG.checkChunks);
    }
    const inputs = [{ name: 'prompt-1k', s: PROMPT_1K }, ...picked.map((i) => ({ name: `chunk#${i}`, s: chunks[i] }))];
    const idToPat = raxe.ids;
    let idDis = 0, spanDis = 0, re2Dis = 0, pairs = 0, positives = 0;
    const examples = [];
    for (const { name, s } of inputs) {
      let got;
      try {
        got = raxe.scanFull(s);
      } catch (e) {
        idDis++;
        examples.push({ kind: 'crash', name, s, error: String(e?.message ?? e) });
        continue;
      }
      const gotMap = new Map(got.map((m) => [idToPat[m.id], m]));
      const re2ids = re2set ? new Set(re2set.match(s)) : null;
      for (let k = 0; k < idToPat.length; k++) {
        const i = idToPat[k];
        pairs++;
        const exp = v8first(s, i);
        const g = gotMap.get(i);
        if (exp) positives++;
        if (re2ids && !!exp !== re2ids.has(i)) re2Dis++;
        if (!!exp !== !!g) {
          idDis++;
          if (examples.length < 12) examples.push({ kind: 'id', name, s, i, k, exp: exp && [exp.index, exp.index + exp[0].length], got: g && [g.start, g.end] });
        } else if (exp && (exp.index !== g.start || exp.index + exp[0].length !== g.end)) {
          spanDis++;
          if (examples.length < 12) examples.push({ kind: 'span', name, s, i, k, exp: [exp.index, exp.index + exp[0].length], got: [g.start, g.end] });
        }
      }
    }
    results.checks = { inputs: inputs.length, pairs, positives, idDisagreements: idDis, spanDisagreements: spanDis, re2VsV8Disagreements: re2set ? re2Dis : null };
    log(`\n[check] raxe vs V8 on ${inputs.length} ASCII inputs (prompt + ${inputs.length - 1} corpus chunks), ${pats.length} patterns: ${positives} expected matches`);
    log(`[check] which-pattern disagreements: ${idDis}   span disagreements: ${spanDis}${re2set ? `   (re2js vs V8 which-pattern disagreements: ${re2Dis})` : ''}`);
    if (examples.length) {
      log('[check] examples (shrunk to a minimal input; single-pattern recompile shows whether it is a set interaction):');
      const shown = new Set();
      for (const ex of examples) {
        if (ex.kind === 'crash') { log(`  CRASH on ${ex.name}: ${ex.error}`); continue; }
        if (shown.has(ex.i) || shown.size >= 5) continue;
        shown.add(ex.i);
        const p = pats[ex.i];
        const v8span = (s) => { const m = v8first(s, ex.i); return m ? `${m.index}-${m.index + m[0].length}` : 'none'; };
        let single = null;
        try { single = raxe.engine.compile([specs[ex.i]]); } catch (e) { /* reported below */ }
        const rxSpan = (mt, s, id = 0) => { const m = mt.scan(s).find((x) => x.id === id); return m ? `${m.start}-${m.end}` : 'none'; };
        const failsSingle = single && ((s) => { try { return rxSpan(single, s) !== v8span(s); } catch { return true; } });
        let input = ex.s;
        let where = 'set only';
        if (failsSingle && failsSingle(input)) {
          where = 'single pattern';
          input = shrinkList([...input], (arr) => failsSingle(arr.join(''))).join('');
        }
        log(`  pattern #${ex.i} flags=${p.flags} ${JSON.stringify(p.source)}`);
        log(`    on ${ex.name}: V8 ${ex.exp ? ex.exp.join('-') : 'none'} vs raxe ${ex.got ? ex.got.join('-') : 'none'}  [reproduces with: ${where}]`);
        if (where === 'single pattern') {
          log(`    minimal input ${JSON.stringify(input)}: V8 ${v8span(input)} vs raxe ${rxSpan(single, input)}`);
        } else {
          // shrink the pattern set instead, keeping the offending pattern
          const others = raxe.ids.filter((x) => x !== ex.i);
          const failsWith = (subset) => {
            try {
              const ids = [ex.i, ...subset];
              const mt = raxe.engine.compile(ids.map((x) => specs[x]));
              return rxSpan(mt, ex.s, 0) !== v8span(ex.s);
            } catch { return true; }
          };
          let shown = false;
          if (failsWith(others)) {
            const min = shrinkList(others, failsWith, 400);
            log(`    needs ${min.length} other pattern(s) in the set: ${min.slice(0, 5).map((x) => `#${x} ${JSON.stringify(pats[x].source)}`).join(', ')}${min.length > 5 ? ', ...' : ''}`);
            if (min.length <= 20) {
              let mt = null;
              try { mt = raxe.engine.compile([ex.i, ...min].map((x) => specs[x])); } catch { /* ignore */ }
              const failsText = (s) => { try { return rxSpan(mt, s, 0) !== v8span(s); } catch { return true; } };
              if (mt && failsText(ex.s)) {
                const small = shrinkList([...ex.s], (arr) => failsText(arr.join(''))).join('');
                log(`    minimal input (with those patterns) ${JSON.stringify(small)}: V8 ${v8span(small)} vs raxe ${rxSpan(mt, small, 0)}`);
                shown = true;
              }
            }
          }
          if (!shown) log(`    input ${JSON.stringify(ex.s.length > 300 ? ex.s.slice(Math.max(0, (ex.exp?.[0] ?? ex.got?.[0] ?? 0) - 100), (ex.exp?.[1] ?? ex.got?.[1] ?? 0) + 100) : ex.s)}`);
        }
      }
    }
  }

  // --- report --------------------------------------------------------------------
  const E = results.engines;
  const row = (label, r) => {
    if (!r) return;
    if (r.skipped || r.crashed) { log(`${pad(label, 22)} ${r.skipped ? 'skipped: ' + r.skipped : 'CRASHED: ' + r.crashed}`); return; }
    log(`${pad(label, 22)}${lpad(fmt(r.compileMs, 1), 11)}${lpad(fmt(r.chunksMBps, 2), 14)}${lpad(fmt(r.bufferMBps, 2), 14)}${lpad(fmt(r.p50us, 1), 11)}${lpad(fmt(r.p99us, 1), 11)}${lpad(r.chunkHits, 10)}`);
  };
  log(`\n=== results: ${pats.length} patterns, ${fmt(textBytes / MB, 2)} MB corpus (${chunks.length} chunks), 1 KB prompt ===`);
  log(`${pad('engine', 22)}${lpad('compile ms', 11)}${lpad('chunks MB/s', 14)}${lpad('1 buf MB/s', 14)}${lpad('p50 µs', 11)}${lpad('p99 µs', 11)}${lpad('hits', 10)}`);
  row('raxe', E.raxe);
  row('V8 RegExp sequential', E.v8);
  row('re2js RE2Set', E.re2);
  log(`(chunks = corpus as ~1 KB strings; 1 buf = the whole corpus as one string; p50/p99 = one scan of the 1 KB prompt;`);
  log(` hits = pattern matches summed over chunks; V8 compile = construct + first exec; V8 stops at each pattern's first match;`);
  log(` V8 flags: 'u' always, plus 'i' for IGNORECASE; re2js: per-pattern (?i), maxMem ${RE2_MAXMEM / MB} MB, measured after a warm-up pass`);
  log(` that builds its lazy DFA; with re2js's default 8 MB the DFA thrashes and it falls back to its NFA, ~1000x slower)`);

  const ok = (r) => r && !r.skipped && !r.crashed;
  if (ok(E.raxe)) {
    const sp = (b) => ({ chunks: E.raxe.chunksMBps / b.chunksMBps, buffer: E.raxe.bufferMBps / b.bufferMBps, p50: b.p50us / E.raxe.p50us });
    log('\nspeedup (baseline time / raxe time)   chunks     1 buf   1KB p50');
    const speed = {};
    if (ok(E.v8)) { speed.v8 = sp(E.v8); log(`${pad('raxe vs V8 sequential', 36)}${lpad(fmtx(speed.v8.chunks), 9)}${lpad(fmtx(speed.v8.buffer), 10)}${lpad(fmtx(speed.v8.p50), 10)}`); }
    if (ok(E.re2)) { speed.re2 = sp(E.re2); log(`${pad('raxe vs re2js RE2Set', 36)}${lpad(fmtx(speed.re2.chunks), 9)}${lpad(fmtx(speed.re2.buffer), 10)}${lpad(fmtx(speed.re2.p50), 10)}`); }
    results.speedups = speed;

    log(`\ntargets (${pats.length} patterns, benign prompt-like text):`);
    const mark = (c) => (c ? 'PASS' : 'MISS');
    const targets = [];
    if (speed.v8) {
      targets.push([`raxe >= 10x sequential V8, 1 KB chunks`, speed.v8.chunks >= 10, fmtx(speed.v8.chunks)]);
      targets.push([`raxe >= 10x sequential V8, 1 KB prompt p50`, speed.v8.p50 >= 10, fmtx(speed.v8.p50)]);
    }
    if (speed.re2) {
      targets.push([`raxe >= 5x re2js RE2Set, 1 KB chunks`, speed.re2.chunks >= 5, fmtx(speed.re2.chunks)]);
      targets.push([`raxe >= 5x re2js RE2Set, 1 KB prompt p50`, speed.re2.p50 >= 5, fmtx(speed.re2.p50)]);
    }
    targets.push([`1 KB prompt p50 < 50 µs`, E.raxe.p50us < 50, `${fmt(E.raxe.p50us, 2)} µs`]);
    for (const [label, c, v] of targets) log(`  [${mark(c)}] ${pad(label, 44)} ${v}`);
    results.targets = targets.map(([label, pass, value]) => ({ label, pass, value }));
    if (results.checks.inputs) log(`  [${results.checks.idDisagreements + results.checks.spanDisagreements === 0 ? 'PASS' : 'FAIL'}] raxe agrees with V8 (which patterns, and spans)  ${results.checks.idDisagreements} disagreement(s), ${results.checks.spanDisagreements} span difference(s)`);
  }

  // --- optional per-pattern profile of raxe ------------------------------------------
  if (PROFILE && raxe) {
    const sample = chunks.slice(0, QUICK ? 50 : 200);
    const sampleBytes = sample.reduce((a, c) => a + bytes(c), 0);
    const rows = [];
    for (const i of raxe.ids) {
      let mt;
      try { mt = raxe.engine.compile([specs[i]]); } catch { continue; }
      for (const c of sample.slice(0, 10)) mt.scan(c);
      let best = Infinity;
      for (let rep = 0; rep < 3; rep++) {
        const t0 = now();
        for (const c of sample) mt.scan(c);
        best = Math.min(best, ms(t0) * 1000);
      }
      rows.push({ i, us: best, pre: mt.prefilteredCount?.() ?? '?' });
    }
    rows.sort((a, b) => b.us - a.us);
    const total = rows.reduce((a, r) => a + r.us, 0);
    log(`\n[profile] raxe, each pattern compiled alone, best of 3 over ${sample.length} chunks (${fmt(sampleBytes / 1024, 0)} KB): sum ${fmt(total / 1000)} ms; costliest:`);
    for (const r of rows.slice(0, 20)) log(`  ${lpad(fmt(r.us / sample.length, 2), 8)} µs/chunk  prefilter=${r.pre}  #${r.i} flags=${pats[r.i].flags} ${JSON.stringify(pats[r.i].source)}`);
    const noPre = rows.filter((r) => r.pre === 0);
    log(`  ${noPre.length} pattern(s) without a prefilter account for ${fmt((100 * noPre.reduce((a, r) => a + r.us, 0)) / total)}% of the summed single-pattern time`);
  }

  log(`\ntotal bench time ${fmt((Date.now() - T_START) / 1000, 1)} s`);
  if (JSON_OUT) {
    fs.writeFileSync(path.resolve(JSON_OUT), JSON.stringify(results, null, 2));
    log(`\nwrote ${JSON_OUT}`);
  }
  if (SINK === -1) log('');
}

main().catch((e) => {
  console.error(e?.stack ?? e);
  process.exitCode = 1;
});
