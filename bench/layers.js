#!/usr/bin/env node
// What the L1 text layers cost: scanner.scanL1 with the built-in pack (every
// layer: raw, normalised, decoded, disguise layers) against the matcher run
// over the raw text alone, measured in the same run, on a benign 1 KB prompt
// and a 1 MB document (bench/corpus.js), plus the layer-building time alone.
//
//   npm run build && node bench/layers.js            # this checkout
//   node bench/layers.js --root /path/to/other/build  # the same figures for another build (before/after)
//
// Timing is reported, never asserted; the exit code reflects only crashes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { PROMPT_1K, buildCorpus } from './corpus.js';

const { values } = parseArgs({ options: { root: { type: 'string' }, iters: { type: 'string', default: '2000' }, passes: { type: 'string', default: '5' } } });
const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
const root = resolve(values.root ?? here);
const core = await import(pathToFileURL(join(root, 'dist/core.js')).href);
const pack = JSON.parse(readFileSync(join(root, 'dist/builtin-pack.json'), 'utf8'));
const engine = await core.loadEngine(readFileSync(join(root, 'build/raxe.wasm')));
const scanner = await core.createScanner({ engine, rules: pack.rules });
const { matcher } = core.compileRules(engine, pack.rules);

const now = () => process.hrtime.bigint();
const ms = (t0) => Number(now() - t0) / 1e6;
let sink = 0;

function latency(f, input, iters) {
  for (let i = 0; i < Math.min(200, iters); i++) sink += f(input);
  const s = [];
  for (let i = 0; i < iters; i++) {
    const t0 = now();
    sink += f(input);
    s.push(ms(t0) * 1000);
  }
  s.sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)], p99: s[Math.floor(s.length * 0.99)] };
}

function perPass(f, input, passes) {
  sink += f(input); // warm-up
  const t0 = now();
  for (let i = 0; i < passes; i++) sink += f(input);
  return ms(t0) / passes;
}

const raw = (t) => matcher.scan(t).length;
const l1 = (t) => scanner.scanL1(t).detections.length;
const corpus = buildCorpus({ size: 1 << 20 });
const doc = typeof corpus === "string" ? corpus : corpus.text;
const iters = Number(values.iters);
const passes = Number(values.passes);

console.log(`L1 layers cost (${root === here ? 'this checkout' : root}; built-in pack, ${pack.rules.length} rules)`);
const a = latency(raw, PROMPT_1K, iters);
const b = latency(l1, PROMPT_1K, iters);
console.log(`1 KB prompt:   matcher on raw p50 ${a.p50.toFixed(1)} µs p99 ${a.p99.toFixed(1)} µs | scanL1 (all layers) p50 ${b.p50.toFixed(1)} µs p99 ${b.p99.toFixed(1)} µs | ratio p50 ${(b.p50 / a.p50).toFixed(2)}x`);
const c = perPass(raw, doc, passes);
const d = perPass(l1, doc, passes);
console.log(`1 MB document: matcher on raw ${c.toFixed(0)} ms | scanL1 (all layers) ${d.toFixed(0)} ms | ratio ${(d / c).toFixed(2)}x`);
if (core.buildLayers) {
  const e = perPass((t) => core.buildLayers(t).layers.length, doc, passes);
  const layers = core.buildLayers(doc).layers;
  console.log(`1 MB document: buildLayers alone ${e.toFixed(0)} ms; layers ${layers.map((l) => `${l.name} ${(l.text.length / 1024).toFixed(0)} KB`).join(', ')}`);
  const f = latency((t) => core.buildLayers(t).layers.length, PROMPT_1K, iters);
  console.log(`1 KB prompt:   buildLayers alone p50 ${f.p50.toFixed(1)} µs p99 ${f.p99.toFixed(1)} µs`);
}
if (sink === -1) console.log('');
