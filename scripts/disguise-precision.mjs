#!/usr/bin/env node
// Precision of the disguise layers on benign text: how many files of real
// documentation, code and JSON get a detection that only a disguise layer
// (skeleton, collapsed, json, snap, rot13, reversed) produced — a detection
// the raw, normalised and decoded texts did not already have — and how often
// each layer is built at all (its cost). Not a test: figures to quote.
//
//   npm run build:js && node scripts/disguise-precision.mjs [--max N] [--show K]
//
// Corpus (deterministic, from this checkout's node_modules, so anyone can
// rerun it): README*.md files, .js/.ts/.mjs sources, package.json files;
// each file up to 256 KB, at most N (default 1500) of each kind, sorted by path.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const MAX = opt('--max', 1500);
const SHOW = opt('--show', 10);
const MAX_BYTES = 256 * 1024;
const NEW_LAYERS = new Set(['skeleton', 'collapsed', 'json', 'snap', 'rot13', 'reversed']);

for (const f of ['dist/core.js', 'dist/builtin-pack.json', 'build/raxe.wasm']) {
  if (!existsSync(join(root, f))) {
    console.error(`missing ${f}: run npm run build`);
    process.exit(2);
  }
}
const { createScanner, buildLayers } = await import(pathToFileURL(join(root, 'dist/core.js')).href);
const pack = JSON.parse(readFileSync(join(root, 'dist/builtin-pack.json'), 'utf8'));
const scanner = await createScanner({ engine: readFileSync(join(root, 'build/raxe.wasm')), rules: pack.rules });

/** Files under node_modules matching `test`, sorted, iteratively (no recursion). */
function collect(test) {
  const out = [];
  const stack = [join(root, 'node_modules')];
  while (stack.length) {
    const dir = stack.pop();
    let names;
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) stack.push(p);
      else if (test(n) && st.size > 0 && st.size <= MAX_BYTES) out.push(p);
    }
  }
  return out.sort();
}

/** Every k-th file so that at most MAX remain (spread over all packages). */
const spread = (files) => files.filter((_, i) => i % Math.max(1, Math.ceil(files.length / MAX)) === 0).slice(0, MAX);

const kinds = {
  readme: spread(collect((n) => /^readme.*\.md$/i.test(n))),
  code: spread(collect((n) => /\.(?:[cm]?js|ts)$/.test(n) && !n.endsWith('.d.ts') && !n.endsWith('.min.js'))),
  json: spread(collect((n) => n === 'package.json')),
};

console.log('disguise-layer precision on benign files (built-in rules, L1)');
const shown = [];
for (const [kind, files] of Object.entries(kinds)) {
  let texts = 0;
  let bytes = 0;
  let anyNew = 0;
  let anyOld = 0;
  const built = Object.fromEntries([...NEW_LAYERS].map((l) => [l, 0]));
  const fired = Object.fromEntries([...NEW_LAYERS].map((l) => [l, 0]));
  const chars = Object.fromEntries([...NEW_LAYERS].map((l) => [l, 0]));
  let layerChars = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    texts++;
    bytes += text.length;
    const { layers } = buildLayers(text);
    for (const l of layers) {
      if (NEW_LAYERS.has(l.name)) {
        built[l.name]++;
        chars[l.name] += l.text.length;
        layerChars += l.text.length;
      }
    }
    const r = scanner.scanL1(text, { explain: true });
    const newOnes = r.explain.matches.filter((m) => NEW_LAYERS.has(m.text_layer));
    if (r.explain.matches.some((m) => !NEW_LAYERS.has(m.text_layer))) anyOld++;
    if (newOnes.length) {
      anyNew++;
      for (const l of new Set(newOnes.map((m) => m.text_layer))) fired[l]++;
      if (shown.length < SHOW) shown.push(`${relative(root, f)}: ${newOnes.map((m) => `${m.rule_id} in ${m.text_layer} ${JSON.stringify(m.matched.slice(0, 80))}`).join('; ')}`);
    }
  }
  const pct = (n) => `${((100 * n) / Math.max(1, texts)).toFixed(2)}%`;
  console.log(`\n${kind}: ${texts} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
  console.log(`  files with a detection only a disguise layer made: ${anyNew} (${pct(anyNew)}); with any other L1 detection: ${anyOld} (${pct(anyOld)})`);
  console.log(`  by layer (files where it was built / where it alone detected): ${[...NEW_LAYERS].map((l) => `${l} ${built[l]}/${fired[l]}`).join(', ')}`);
  console.log(`  disguise-layer text scanned: ${((100 * layerChars) / Math.max(1, bytes)).toFixed(1)}% of the input (${[...NEW_LAYERS].map((l) => `${l} ${((100 * chars[l]) / Math.max(1, bytes)).toFixed(1)}%`).join(', ')})`);
}
if (shown.length) console.log(`\nexamples (up to ${SHOW}):\n  ${shown.join('\n  ')}`);
