// L2 benchmark: ONNX session creation (once per process) reported apart from
// per-scan time; p50/p99 for 1 KB and 10 KB texts, featurisation and
// inference separately, with L1 on the same texts as the baseline.
//   node bench/l2.js [--iterations N]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-web';
import { createL2, createScanner, loadEngine, normalizeText } from '../dist/core.js';
import { PROMPT_1K, buildCorpus } from './corpus.js';

const { values } = parseArgs({ options: { iterations: { type: 'string', default: '2000' } } });
const N = Number(values.iterations);
const root = new URL('..', import.meta.url);
const engine = await loadEngine(readFileSync(new URL('build/raxe.wasm', root)));
const meta = JSON.parse(readFileSync(new URL('models/raxe-l2.json', root), 'utf8'));
const l2 = createL2({ ort, engine, model: readFileSync(new URL('models/raxe-l2.onnx', root)), metadata: meta });
const pack = JSON.parse(readFileSync(new URL('dist/builtin-pack.json', root), 'utf8'));
const l1 = await createScanner({ engine, rules: pack.rules });

const t0 = performance.now();
await l2.predict('warm up');
const coldMs = performance.now() - t0;

const corpus = buildCorpus();
const text10k = (corpus.text ?? corpus).slice(0, 10 * 1024);
const pct = (a, q) => a[Math.min(a.length - 1, Math.floor(q * a.length))];

async function measure(name, fn) {
  for (let i = 0; i < 200; i++) await fn();
  const t = [];
  for (let i = 0; i < N; i++) {
    const s = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - s) / 1000);
  }
  t.sort((a, b) => a - b);
  return { name, p50: pct(t, 0.5), p99: pct(t, 0.99) };
}

const fz = engine.featurizer(meta.features.dim);
const rows = [];
for (const [label, text] of [['1 KB', PROMPT_1K], ['10 KB', text10k]]) {
  const norm = normalizeText(text);
  rows.push(await measure(`L1 scan ${label}`, () => l1.scanL1(text)));
  rows.push(await measure(`L2 featurise ${label}`, () => fz.featurize(norm)));
  rows.push(await measure(`L2 predict ${label} (featurise + ORT)`, () => l2.predict(norm)));
}
console.log(`model: ${meta.onnx.bytes} bytes, ${meta.labels.length} labels, dim ${meta.features.dim}, threshold ${meta.threshold.toFixed(3)}`);
console.log(`session creation (first predict, once per process): ${coldMs.toFixed(1)} ms; l2.sessionMs() = ${l2.sessionMs().toFixed(1)} ms`);
console.log(`\n${'measure'.padEnd(40)} ${'p50 µs'.padStart(10)} ${'p99 µs'.padStart(10)}`);
for (const r of rows) console.log(`${r.name.padEnd(40)} ${r.p50.toFixed(1).padStart(10)} ${r.p99.toFixed(1).padStart(10)}`);
const p1k = rows.find((r) => r.name.startsWith('L2 predict 1 KB')).p50;
console.log(`\ntarget: L2 adds < 1 ms at p50 per 1 KB: ${p1k < 1000 ? 'PASS' : 'MISS'} (${(p1k / 1000).toFixed(3)} ms)`);
