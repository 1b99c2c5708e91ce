#!/usr/bin/env node
// L1 (built-in rules) recall and false-positive rate on the TRAINING rows only.
//
//   node scripts/l1-recall.mjs                    recall per family and per file, FP per file, top FP rules
//   node scripts/l1-recall.mjs --misses PI 20 [--file l2/] [--seed K]   20 missed attack texts of family PI (training rows only)
//   node scripts/l1-recall.mjs --fps 20 [RULE]    20 benign texts that fire (optionally only RULE)
//   node scripts/l1-recall.mjs --json             figures as JSON
//
// Held-out rows (isValidation in src/train/split.ts, bundled here with esbuild
// so the rule stays the project's) are excluded before anything is scanned or
// printed: the final figures are reported on them, so they must never be used
// for tuning. Data: ../shared/datasets/train/*.jsonl (or $RAXE_DATASETS) and
// data/l2/*.jsonl. A detection counts when its severity is not "info".
// Needs dist/core.js and dist/builtin-pack.json (npm run build:js) and build/raxe.wasm.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve, dirname, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.indexOf(name);

for (const f of ['dist/core.js', 'dist/builtin-pack.json', 'build/raxe.wasm']) {
  if (!existsSync(join(root, f))) {
    console.error(`missing ${f}: run npm run build (or npm run build:js)`);
    process.exit(2);
  }
}

// isValidation from the project's own source
async function loadSplit() {
  const out = await build({
    entryPoints: [join(root, 'src/train/split.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

const { isValidation } = await loadSplit();
const { createScanner, loadEngine } = await import(pathToFileURL(join(root, 'dist/core.js')).href);
const pack = JSON.parse(readFileSync(join(root, 'dist/builtin-pack.json'), 'utf8'));
const engine = await loadEngine(readFileSync(join(root, 'build/raxe.wasm')));
const scanner = await createScanner({ engine, rules: pack.rules });

const datasets = process.env.RAXE_DATASETS || resolve(root, '../shared/datasets/train');
const dirs = [datasets, join(root, 'data/l2')];
const rows = [];
let heldOut = 0;
for (const dir of dirs) {
  if (!existsSync(dir)) {
    console.error(`warning: ${dir} not found`);
    continue;
  }
  for (const n of readdirSync(dir).sort()) {
    if (!n.endsWith('.jsonl')) continue;
    const file = join(dir, n);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line);
      r.file = file;
      if (isValidation(r)) {
        heldOut++;
        continue; // never scanned, never printed
      }
      r.fileName = (dir.endsWith('l2') ? 'l2/' : '') + basename(file);
      rows.push(r);
    }
  }
}

function positives(text) {
  return scanner.scanL1(text).detections.filter((d) => d.severity !== 'info');
}

const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) : '-').padStart(5);

// --misses FAMILY N
const mi = flag('--misses');
if (mi >= 0) {
  const fam = args[mi + 1];
  const n = Number(args[mi + 2] ?? 20);
  const seed = Number(args[flag('--seed') + 1] ?? 0) || 0;
  const fileSub = flag('--file') >= 0 ? args[flag('--file') + 1] : '';
  const missed = rows.filter((r) => r.label === 1 && r.family === fam && r.fileName.includes(fileSub) && positives(r.text).length === 0);
  // rotate so different --seed values show different misses
  const start = missed.length ? (seed * 7919) % missed.length : 0;
  const pick = [...missed.slice(start), ...missed.slice(0, start)].slice(0, n);
  console.log(`${missed.length} missed ${fam} training rows; showing ${pick.length}\n`);
  for (const r of pick) {
    const t = r.text.length > 700 ? r.text.slice(0, 700) + ' …' : r.text;
    console.log(`--- [${r.fileName} ${r.source.replace(/^.*?:/, '')}]\n${t}\n`);
  }
  process.exit(0);
}

// --fps N [RULE]
const fi = flag('--fps');
if (fi >= 0) {
  const n = Number(args[fi + 1] ?? 20);
  const rule = args[fi + 2];
  let shown = 0;
  for (const r of rows) {
    if (r.label !== 0) continue;
    const d = positives(r.text);
    if (!d.length || (rule && !d.some((x) => x.rule_id === rule))) continue;
    const t = r.text.length > 500 ? r.text.slice(0, 500) + ' …' : r.text;
    console.log(`--- [${r.fileName}] ${d.map((x) => x.rule_id).join(',')}\n${t}\n`);
    if (++shown >= n) break;
  }
  process.exit(0);
}

// figures
const fam = new Map(); // family -> [hit, total]
const famFile = new Map(); // family|file -> [hit, total]
const ben = new Map(); // file -> [fp, total]
const ruleFp = new Map(); // rule -> count
const ruleTp = new Map();
let benTotal = 0;
let benFp = 0;
const add = (m, k, hit) => {
  const v = m.get(k) ?? [0, 0];
  v[0] += hit ? 1 : 0;
  v[1] += 1;
  m.set(k, v);
};
for (const r of rows) {
  const d = positives(r.text);
  const hit = d.length > 0;
  if (r.label === 1) {
    add(fam, r.family, hit);
    add(famFile, `${r.family}\t${r.fileName}`, hit);
    for (const id of new Set(d.map((x) => x.rule_id))) ruleTp.set(id, (ruleTp.get(id) ?? 0) + 1);
  } else {
    add(ben, r.fileName, hit);
    benTotal++;
    if (hit) benFp++;
    for (const id of new Set(d.map((x) => x.rule_id))) ruleFp.set(id, (ruleFp.get(id) ?? 0) + 1);
  }
}

if (flag('--json') >= 0) {
  console.log(
    JSON.stringify(
      {
        heldOutExcluded: heldOut,
        recall: Object.fromEntries([...fam].map(([k, [h, t]]) => [k, { hit: h, total: t }])),
        recallByFile: Object.fromEntries([...famFile].map(([k, [h, t]]) => [k.replace('\t', ' '), { hit: h, total: t }])),
        fp: { fp: benFp, total: benTotal, byFile: Object.fromEntries([...ben].map(([k, [h, t]]) => [k, { fp: h, total: t }])) },
        ruleFp: Object.fromEntries([...ruleFp].sort((a, b) => b[1] - a[1])),
      },
      null,
      2,
    ),
  );
  process.exit(0);
}

console.log(`rules: ${pack.rules.length}; held-out rows excluded (not scanned): ${heldOut}; training rows: ${rows.length}\n`);
console.log('L1 recall per family (training attack rows)');
let aH = 0;
let aT = 0;
for (const [k, [h, t]] of [...fam].sort()) {
  console.log(`  ${String(k).padEnd(6)} ${pct(h, t)}%  ${String(h).padStart(5)}/${t}`);
  aH += h;
  aT += t;
}
console.log(`  ${'all'.padEnd(6)} ${pct(aH, aT)}%  ${String(aH).padStart(5)}/${aT}\n`);
console.log('L1 recall per family and file');
for (const [k, [h, t]] of [...famFile].sort()) {
  const [f, file] = k.split('\t');
  console.log(`  ${String(f).padEnd(6)} ${file.padEnd(38)} ${pct(h, t)}%  ${String(h).padStart(5)}/${t}`);
}
console.log('\nFalse-positive rate per file (training benign rows)');
for (const [k, [h, t]] of [...ben].sort()) console.log(`  ${k.padEnd(45)} ${pct(h, t)}%  ${String(h).padStart(5)}/${t}`);
console.log(`  ${'all benign'.padEnd(45)} ${(benTotal ? (100 * benFp) / benTotal : 0).toFixed(2).padStart(5)}%  ${String(benFp).padStart(5)}/${benTotal}`);
const limit = 0.002 * benTotal;
console.log(`\nTop FP rules (limit 0.2% = ${limit.toFixed(1)} rows)`);
for (const [id, c] of [...ruleFp].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`  ${id.padEnd(10)} ${String(c).padStart(4)}  ${((100 * c) / benTotal).toFixed(3)}%${c > limit ? '  OVER LIMIT' : ''}   (TP ${ruleTp.get(id) ?? 0})`);
}
