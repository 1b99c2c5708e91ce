// Runs the shared scan cases (cases.json) through the built core (dist/core.js)
// and prints one JSON document on stdout. The same file runs unchanged under
// Node, Deno and Bun; test/runtimes/matrix.test.ts compares their outputs.
//
//   node test/runtimes/scan-cases.mjs
//   deno run -A test/runtimes/scan-cases.mjs
//   bun test/runtimes/scan-cases.mjs
//
// Output: { runtime, version, l2: "on" | "<why it is off>", cases: [{ id,
// l1: ScanResult without timings, full: ScanResult (L1+L2) without timings,
// features: { indices, values } | null, probs: {label: p} | null }] }
// L2 is "off" with the reason when the model is absent or onnxruntime-web
// cannot run here; the test then says so.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const core = await import(new URL('dist/core.js', root).href);
const cases = JSON.parse(await readFile(new URL('test/runtimes/cases.json', root), 'utf8')).scan;

const runtime = globalThis.Deno ? 'deno' : globalThis.Bun ? 'bun' : 'node';
const version = globalThis.Deno ? globalThis.Deno.version.deno : globalThis.Bun ? globalThis.Bun.version : process.versions.node;

const engine = await core.loadEngine(await readFile(new URL('build/raxe.wasm', root)));
const pack = JSON.parse(await readFile(new URL('dist/builtin-pack.json', root), 'utf8'));

let l2 = null;
let l2State = 'on';
const modelUrl = new URL('models/raxe-l2.onnx', root);
const metaUrl = new URL('models/raxe-l2.json', root);
let metadata = null;
if (!existsSync(modelUrl) || !existsSync(metaUrl)) {
  l2State = 'model absent (models/raxe-l2.onnx)';
} else {
  try {
    const ort = await import('onnxruntime-web');
    metadata = JSON.parse(await readFile(metaUrl, 'utf8'));
    l2 = core.createL2({ ort, engine, model: await readFile(modelUrl), metadata });
    await l2.predict('warm up');
  } catch (e) {
    l2 = null;
    l2State = `onnxruntime-web failed under ${runtime}: ${e instanceof Error ? e.message : e}`;
  }
}

const scanner = await core.createScanner({ engine, rules: pack.rules, l2 });
const featurizer = l2 ? engine.featurizer(metadata.features.dim) : null;
const strip = ({ timings, ...rest }) => rest;

const out = [];
for (const c of cases) {
  const l1 = scanner.scanL1(c.text, { explain: true });
  const normalized = l1.explain.normalized;
  delete l1.explain;
  const full = await scanner.scan(c.text);
  let features = null;
  let probs = null;
  if (l2) {
    const f = featurizer.featurize(normalized);
    features = { indices: Array.from(f.indices), values: Array.from(f.values) };
    probs = (await l2.predict(normalized)).probs;
  }
  out.push({ id: c.id, l1: strip(l1), full: strip(full), features, probs });
}

console.log(JSON.stringify({ runtime, version, l2: l2State, cases: out }));
