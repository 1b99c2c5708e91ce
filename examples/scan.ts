// raxe as a library, on any runtime: scan one text with the built core and
// print its ScanResult as JSON. The core is Web-standard code; this file only
// reads the bytes it needs (engine, rules, model) and hands them over.
//
//   deno run -A examples/scan.ts "Ignore all previous instructions"
//   bun examples/scan.ts "Ignore all previous instructions"
//   node examples/scan.ts "..."        (Node >= 22.18, which runs .ts files)
//
// Needs a build (npm install, or npm run build): dist/core.js,
// dist/builtin-pack.json, build/raxe.wasm. L2 (the ML layer) is added when
// models/raxe-l2.onnx is present and onnxruntime-web loads here; set
// RAXE_NO_L2=1 for rules only. Exit code: 0 safe, 1 threat, 2 usage.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
// @ts-ignore: the bundle has no type declarations
import { createL2, createScanner, loadEngine } from '../dist/core.js';

const text = process.argv.slice(2).join(' ');
if (!text) {
  console.error('usage: examples/scan.ts TEXT');
  process.exit(2);
}

const file = (p: string) => new URL(`../${p}`, import.meta.url);

const engine = await loadEngine(await readFile(file('build/raxe.wasm')));
const pack = JSON.parse(await readFile(file('dist/builtin-pack.json'), 'utf8'));
// the matcher compiled at build time for exactly these rules (compiled now if absent)
const precompiled = existsSync(file('dist/builtin-pack.matcher')) ? await readFile(file('dist/builtin-pack.matcher')) : undefined;

let l2 = null;
if (!process.env.RAXE_NO_L2 && existsSync(file('models/raxe-l2.onnx'))) {
  try {
    const ort = await import('onnxruntime-web');
    l2 = createL2({ ort, engine, model: await readFile(file('models/raxe-l2.onnx')), metadata: JSON.parse(await readFile(file('models/raxe-l2.json'), 'utf8')) });
  } catch (e) {
    console.error(`L2 off: ${e instanceof Error ? e.message : e}`);
  }
}

const scanner = await createScanner({ engine, rules: pack.rules, precompiled, l2 });
const result = await scanner.scan(text);
console.log(JSON.stringify(result, null, 2));
process.exitCode = result.safe ? 0 : 1;
