// The L2 model families side by side: file size, ONNX session creation, and
// L2 alone (windows, featurise, ONNX) on a 1 KB prompt (p50/p99) and a 100 KB
// document, each model in a fresh process so session creation is cold.
//   node bench/l2-compare.js models/raxe-l2.onnx /tmp/linear.onnx /tmp/cnn.onnx
// (make comparison models with `npm run train -- --model linear --no-loso --out /tmp/linear.onnx`)
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const child = process.argv[2] === '--one';
if (!child) {
  const files = process.argv.slice(2);
  if (!files.length) throw new Error('give the .onnx files to compare (each with its .json beside it)');
  console.log(`${'model'.padEnd(34)} ${'kind'.padEnd(6)} ${'MB'.padStart(5)} ${'session ms'.padStart(11)} ${'1 KB p50'.padStart(9)} ${'1 KB p99'.padStart(9)} ${'100 KB p50'.padStart(11)} (ms)`);
  for (const f of files) {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--one', f], { encoding: 'utf8' });
    const r = JSON.parse(out);
    console.log(`${f.padEnd(34)} ${r.kind.padEnd(6)} ${(r.bytes / 1e6).toFixed(1).padStart(5)} ${r.session.toFixed(0).padStart(11)} ${r.p50.toFixed(3).padStart(9)} ${r.p99.toFixed(3).padStart(9)} ${r.big.toFixed(1).padStart(11)}`);
  }
  console.log('\nbudget for the shipped model: 1 KB p50 <= 2 ms, 100 KB <= 50 ms, session <= 500 ms, file <= 10 MB');
} else {
  const ort = await import('onnxruntime-web');
  const { createL2, loadEngine, normalizeText } = await import('../dist/core.js');
  const { PROMPT_1K, buildCorpus } = await import('./corpus.js');
  const file = process.argv[3];
  const root = new URL('..', import.meta.url);
  const engine = await loadEngine(readFileSync(new URL('build/raxe.wasm', root)));
  const meta = JSON.parse(readFileSync(file.replace(/\.onnx$/, '.json'), 'utf8'));
  const t0 = performance.now();
  const l2 = createL2({ ort, engine, model: new Uint8Array(readFileSync(file)), metadata: meta });
  await l2.warm();
  const session = performance.now() - t0;
  const small = normalizeText(PROMPT_1K);
  const corpus = buildCorpus();
  const big = normalizeText((corpus.text ?? corpus).slice(0, 100 * 1024));
  const times = async (text, n) => {
    for (let i = 0; i < Math.min(20, n); i++) await l2.predict(text);
    const t = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await l2.predict(text);
      t.push(performance.now() - s);
    }
    return t.sort((a, b) => a - b);
  };
  const a = await times(small, 300);
  const b = await times(big, 10);
  process.stdout.write(JSON.stringify({ kind: meta.model.kind, bytes: statSync(file).size, session, p50: a[150], p99: a[Math.floor(a.length * 0.99)], big: b[5] }));
}
