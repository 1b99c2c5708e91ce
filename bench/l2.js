// L2 benchmark: ONNX session creation (once per process) reported apart from
// per-scan time; the full scan (L1 + L2 over windows) on 1 KB, 10 KB, 100 KB
// and 1 MB texts, against L1 alone on the same texts (the baseline, same
// run); ms per KB shows that the cost is linear in the text.
//   node bench/l2.js [--iterations N]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { createL2, createScanner, loadEngine, normalizeText } from '../dist/core.js';
import { PROMPT_1K, buildCorpus } from './corpus.js';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '1000' } } });
const N = Number(values.iterations);
const root = new URL('..', import.meta.url);
const engine = await loadEngine(readFileSync(new URL('build/raxe.wasm', root)));
const meta = JSON.parse(readFileSync(new URL('models/raxe-l2.json', root), 'utf8'));
const model = readFileSync(new URL('models/raxe-l2.onnx', root));
const pack = JSON.parse(readFileSync(new URL('dist/builtin-pack.json', root), 'utf8'));
const precompiled = new Uint8Array(readFileSync(new URL('dist/builtin-pack.matcher', root)));

const t0 = performance.now();
const l2 = createL2({ ort, engine, model, metadata: meta });
await l2.warm();
const coldMs = performance.now() - t0;
const scanner = await createScanner({ engine, rules: pack.rules, precompiled, l2 });

const corpus = buildCorpus();
const big = corpus.text ?? corpus;
const texts = [['1 KB', PROMPT_1K], ['10 KB', big.slice(0, 10 * 1024)], ['100 KB', big.slice(0, 100 * 1024)], ['1 MB', big.slice(0, 1024 * 1024)]];
const pct = (a, q) => a[Math.min(a.length - 1, Math.floor(q * a.length))];

async function measure(fn, n) {
  for (let i = 0; i < Math.min(50, n); i++) await fn();
  const t = [];
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  t.sort((a, b) => a - b);
  return { p50: pct(t, 0.5), p99: pct(t, 0.99) };
}

console.log(`model: ${meta.model.kind}, ${(meta.onnx.bytes / 1e6).toFixed(1)} MB, features dim ${meta.features.dim} mode ${meta.features.mode}, windows ${meta.windows.bytes}/${meta.windows.stride} B, threshold ${meta.threshold.toFixed(4)}`);
console.log(`session creation (once per process): ${coldMs.toFixed(0)} ms (l2.sessionMs() ${l2.sessionMs().toFixed(0)} ms)\n`);
console.log(`${'text'.padEnd(8)} ${'L1 p50'.padStart(10)} ${'L2 p50'.padStart(10)} ${'L2 p99'.padStart(10)} ${'L1+L2 p50'.padStart(11)} ${'L1+L2 p99'.padStart(11)} ${'L2 ms/KB'.padStart(9)} ${'windows'.padStart(8)}`);
const res = {};
const l2only = {};
for (const [label, text] of texts) {
  const kb = new TextEncoder().encode(text).length / 1024;
  const n = Math.max(5, Math.round(N / Math.max(1, kb / 4)));
  const norm = normalizeText(text);
  const a = await measure(() => scanner.scanL1(text), n);
  const c = await measure(() => l2.predict(norm), n);
  const b = await measure(() => scanner.scan(text), n);
  const w = (await l2.predict(norm)).windows;
  res[label] = b.p50;
  l2only[label] = c.p50;
  console.log(`${label.padEnd(8)} ${a.p50.toFixed(3).padStart(10)} ${c.p50.toFixed(3).padStart(10)} ${c.p99.toFixed(3).padStart(10)} ${b.p50.toFixed(3).padStart(11)} ${b.p99.toFixed(3).padStart(11)} ${(c.p50 / kb).toFixed(3).padStart(9)} ${String(w).padStart(8)}`);
}
console.log(`\ntargets: L1+L2 1 KB p50 <= 2 ms: ${res['1 KB'] <= 2 ? 'PASS' : 'MISS'} (${res['1 KB'].toFixed(3)} ms); L2 100 KB <= 50 ms: ${l2only['100 KB'] <= 50 ? 'PASS' : 'MISS'} (${l2only['100 KB'].toFixed(1)} ms); session <= 500 ms: ${coldMs <= 500 ? 'PASS' : 'MISS'}`);
console.log(`linearity, L2: 1 MB / 100 KB time = ${(l2only['1 MB'] / l2only['100 KB']).toFixed(1)}; L1+L2: ${(res['1 MB'] / res['100 KB']).toFixed(1)} (10 for linear; L2 windows stop overlapping past 100 KB, so ~5-10)`);
