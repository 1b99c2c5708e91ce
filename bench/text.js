#!/usr/bin/env node
// The engine's text helpers against the JS they are offered to replace
// (src/core/normalize): normalizeText vs TextTools.normalizeAscii, and
// decodeLayers vs Matcher.decodeHints (a SIMD pass over the bytes a scan
// already wrote: when it finds no candidate, decoding can be skipped).
//
//   npm run build && node bench/text.js
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildCorpus, splitChunks, PROMPT_1K } from './corpus.js';
import { latency, throughput } from './measure.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const core = await import(pathToFileURL(path.join(ROOT, 'dist', 'core.js')).href);
const engine = await core.loadEngine(fs.readFileSync(path.join(ROOT, 'build', 'raxe.wasm')));
const tools = engine.textTools();
const m = engine.compile([{ source: 'x' }]);
const chunks = splitChunks(buildCorpus({ size: 1 << 20 }).text, 1024);
const ascii = chunks.filter((c) => tools.normalizeAscii(c) !== null);
const rows = [
  ['normalizeText (JS), 1 KB prompt', () => core.normalizeText(PROMPT_1K).length, PROMPT_1K],
  ['normalizeAscii (wasm), 1 KB prompt', () => tools.normalizeAscii(PROMPT_1K).length, PROMPT_1K],
  ['decodeLayers (JS), 1 KB prompt', () => core.decodeLayers(PROMPT_1K).length, PROMPT_1K],
  ['decodeHints after a scan (wasm), 1 KB prompt', () => m.decodeHints().kinds, PROMPT_1K],
];
m.scanIds(PROMPT_1K);
console.log(`1 KB prompt: normalizeAscii ${tools.normalizeAscii(PROMPT_1K) === core.normalizeText(PROMPT_1K) ? 'equals' : 'DIFFERS FROM'} normalizeText; decode hints ${m.decodeHints().kinds}`);
for (const [label, f, input] of rows) {
  const l = latency(f, input, { iters: 3000, warm: 300, budgetMs: 500 });
  console.log(`${label.padEnd(46)} p50 ${l.p50.toFixed(2).padStart(7)} µs`);
}
const t1 = throughput((c) => core.normalizeText(c).length, ascii).mbps;
const t2 = throughput((c) => tools.normalizeAscii(c).length, ascii).mbps;
console.log(`${ascii.length} ASCII chunks of ~1 KB: normalizeText ${t1.toFixed(1)} MB/s, normalizeAscii ${t2.toFixed(1)} MB/s (${(t2 / t1).toFixed(2)}x)`);
const d1 = throughput((c) => core.decodeLayers(c).length, chunks).mbps;
const d2 = throughput((c) => (m.scanIds(c), m.decodeHints().kinds), chunks).mbps;
const none = chunks.filter((c) => (m.scanIds(c), m.decodeHints().kinds === 0)).length;
console.log(`${chunks.length} chunks: decodeLayers ${d1.toFixed(1)} MB/s; scan + decodeHints ${d2.toFixed(1)} MB/s; ${none} chunks (${((100 * none) / chunks.length).toFixed(0)}%) have no decoding candidate at all`);
