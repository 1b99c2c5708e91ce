// Builds the rule playground into dist/playground/: a folder of static files
// for `raxe playground` or any static host. Everything the page needs is
// inside it — no CDN:
//   index.html, style.css   the page
//   app.js                  playground/src + src/core, bundled for the browser
//   raxe.wasm               the engine (build/raxe.wasm)
//   rules.json              the built-in rules' YAML text (from rules/)
//   ort/                    onnxruntime-web's wasm build (numThreads 1, no proxy)
//   models/                 the L2 model, when models/raxe-l2.{onnx,json} exist
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'playground');
const at = (...p) => join(ROOT, ...p);

if (!existsSync(at('build', 'raxe.wasm'))) {
  console.error('build:playground: build/raxe.wasm is missing: run `npm run build:wasm` first');
  process.exit(1);
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(join(OUT, 'ort'), { recursive: true });

await build({
  entryPoints: [at('playground', 'src', 'main.ts')],
  outfile: join(OUT, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120', 'firefox121', 'safari17'],
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'linked',
});

for (const f of ['index.html', 'style.css']) copyFileSync(at('playground', f), join(OUT, f));
copyFileSync(at('build', 'raxe.wasm'), join(OUT, 'raxe.wasm'));

// onnxruntime-web: the wasm-only ES module build and the single-threaded
// SIMD wasm it imports (its .mjs glue is loaded from env.wasm.wasmPaths)
const ORT = at('node_modules', 'onnxruntime-web', 'dist');
for (const f of ['ort.wasm.min.mjs', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm']) copyFileSync(join(ORT, f), join(OUT, 'ort', f));

// the L2 model, whatever is there now (absent: the page runs L1 only)
if (existsSync(at('models', 'raxe-l2.onnx')) && existsSync(at('models', 'raxe-l2.json'))) {
  mkdirSync(join(OUT, 'models'));
  for (const f of ['raxe-l2.onnx', 'raxe-l2.json']) copyFileSync(at('models', f), join(OUT, 'models', f));
}

// the built-in rules as their authors wrote them (the editor shows the YAML)
const rules = [];
const walk = (d) => {
  for (const n of readdirSync(d).sort()) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(n) && n !== 'pack.yaml' && n !== 'pack.yml') {
      const text = readFileSync(p, 'utf8');
      let doc = {};
      try {
        doc = parse(text) ?? {};
      } catch {
        // listed under its file name; the editor shows the YAML problem
      }
      const str = (v, d = '') => (typeof v === 'string' || typeof v === 'number' ? String(v) : d);
      rules.push({
        rule_id: str(doc.rule_id, n.replace(/\.ya?ml$/, '')),
        family: str(doc.family, '?'),
        name: str(doc.name),
        severity: str(doc.severity).toLowerCase(),
        file: relative(ROOT, p).split('\\').join('/'),
        text,
      });
    }
  }
};
walk(at('rules'));
writeFileSync(join(OUT, 'rules.json'), JSON.stringify(rules));
console.log(`build:playground: dist/playground (${rules.length} built-in rules, L2 ${existsSync(join(OUT, 'models')) ? 'on' : 'off'})`);
