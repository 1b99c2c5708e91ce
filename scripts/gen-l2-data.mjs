#!/usr/bin/env node
/**
 * Generates the raxe-written part of the L2 classifier corpus (data/l2/*.jsonl).
 *
 * Everything here comes from templates and word lists written for raxe; no text
 * is copied from public datasets. Plain Node ESM, no dependencies, deterministic:
 * every generator gets its own PRNG seeded from (SEED, generator name), so adding
 * or changing one generator does not reshuffle the others.
 *
 *   node scripts/gen-l2-data.mjs            # writes data/l2/*.jsonl, prints counts
 *   node scripts/gen-l2-data.mjs --check    # generates, prints counts, writes nothing
 *
 * Row: {"text", "label" (0|1), "family" (null | PI | JB | DE | TP | TOOL),
 *       "source": "raxe/generated:<generator-name>"}
 * Split train/validation BY SOURCE (generator name) to measure generalisation to
 * template families the model has not seen.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useRng } from './l2-data/common.mjs';
import { PLAN as LEGACY, lastTp } from './l2-data/legacy.mjs';
import { PLAN as AGENT } from './l2-data/agent-injections.mjs';
import { PLAN as DIRECT } from './l2-data/direct.mjs';
import { PLAN as MULTI } from './l2-data/multilingual.mjs';
import { PLAN as BENIGN } from './l2-data/benign.mjs';
import { harvest } from './l2-data/npm-docs.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'data', 'l2');
const MAX_CHARS = 7000;

// [file, generator name, label, family, count, fn]; fn returns a text, or
// { text, family?, span? } where span is [start, end) of the attack in text
const PLAN = [...LEGACY, ...AGENT, ...DIRECT, ...MULTI, ...BENIGN];

/** Real docs from node_modules (scripts/l2-data/npm-docs.mjs): benign rows of their own file. */
const NPM_DOCS = 'npm_docs.jsonl';


/**
 * Where the planted payload sits in a carrier's text ([start, end) in UTF-16
 * units), so training can label the windows that hold it (src/train/samples.ts).
 * Carriers may have escaped or reflowed it: try the forms they use.
 */
function payloadSpan(text, payload, action) {
  const forms = [payload, payload.replace(/\n/g, ' '), JSON.stringify(payload).slice(1, -1), JSON.stringify(payload.replace(/\n/g, ' ')).slice(1, -1), payload.replace(/"/g, '""'), payload.replace(/\n/g, ' ').replace(/"/g, '""'), payload.replace(/\n/g, '\n * '), payload.replace(/[()]/g, '')];
  for (const f of forms) {
    const at = text.indexOf(f);
    if (at >= 0) return [at, at + f.length];
  }
  const lines = payload.split('\n');
  const commented = text.indexOf(lines[0]);
  if (commented >= 0 && lines.length > 1) {
    const last = text.indexOf(lines[lines.length - 1], commented);
    if (last >= 0) return [commented, last + lines[lines.length - 1].length];
  }
  const act = text.indexOf(action) >= 0 ? text.indexOf(action) : text.toLowerCase().indexOf(action.toLowerCase());
  if (act >= 0) return [Math.max(0, act - 200), act + action.length];
  return null;
}

function truncateLines(text) {
  if (text.length <= MAX_CHARS) return text;
  const cut = text.lastIndexOf('\n', MAX_CHARS);
  return text.slice(0, cut > MAX_CHARS / 2 ? cut : MAX_CHARS);
}

function run() {
  const seen = new Set();
  const files = new Map();
  const shortfalls = [];
  for (const [file, name, label, family, count, fn] of PLAN) {
    useRng(name);
    const rows = files.get(file) ?? [];
    files.set(file, rows);
    let made = 0;
    for (let attempt = 0; made < count && attempt < count * 20; attempt++) {
      const out = fn();
      const tp = lastTp();
      let text = typeof out === 'string' ? out : out.text;
      const fam = typeof out === 'string' ? family : out.family ?? family;
      text = text.replace(/\r\n/g, '\n').trim();
      if (text.length > MAX_CHARS) {
        if (label === 1) continue; // never cut an attack (the payload could be lost)
        text = truncateLines(text);
      }
      if (text.length < 2 || seen.has(text)) continue;
      if (fam === 'TP' && tp.key && name.startsWith('tp-')) {
        let plain = text;
        try { plain += '\n' + decodeURIComponent(text.replace(/\+/g, ' ')); } catch { /* not URL-encoded */ }
        plain = plain.replace(/""/g, '"').replace(/\\"/g, '"').toLowerCase();
        if (!plain.includes(tp.key.toLowerCase())) throw new Error(`${name}: payload lost in carrier: ${tp.key}`);
      }
      seen.add(text);
      const row = { text, label, family: label ? fam : null, source: `raxe/generated:${name}` };
      const given = typeof out === 'string' ? null : out.span;
      if (given && text === (typeof out === 'string' ? out : out.text)) row.span = given;
      else if (fam === 'TP' && tp.payload && name.startsWith('tp-')) {
        const span = payloadSpan(text, tp.payload, tp.action);
        if (span) row.span = span;
      }
      rows.push(row);
      made++;
    }
    if (made < count) shortfalls.push(`${name}: ${made}/${count}`);
  }
  const docs = [];
  for (const d of harvest(ROOT)) {
    if (seen.has(d.text)) continue;
    seen.add(d.text);
    docs.push({ text: d.text, label: 0, family: null, source: d.source });
  }
  files.set(NPM_DOCS, docs);
  return { files, shortfalls };
}

function pct(arr, p) {
  const a = arr.slice().sort((x, y) => x - y);
  return a.length ? a[Math.min(a.length - 1, Math.floor(p * a.length))] : 0;
}

function main() {
  const check = process.argv.includes('--check');
  const { files, shortfalls } = run();
  if (!check) mkdirSync(OUT_DIR, { recursive: true });
  let total = 0; let bytes = 0;
  const byFamily = {}; const bySource = {}; const lens = { 0: [], 1: [] };
  for (const [file, rows] of files) {
    const body = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    bytes += Buffer.byteLength(body);
    if (!check) writeFileSync(join(OUT_DIR, file), body);
    const fam = {};
    for (const r of rows) {
      const f = r.family ?? 'benign';
      fam[f] = (fam[f] ?? 0) + 1;
      byFamily[f] = (byFamily[f] ?? 0) + 1;
      bySource[r.source] = (bySource[r.source] ?? 0) + 1;
      lens[r.label].push(r.text.length);
    }
    total += rows.length;
    console.log(`${file.padEnd(36)} ${String(rows.length).padStart(5)} rows  ${(Buffer.byteLength(body) / 1024).toFixed(0).padStart(5)} KB  ${JSON.stringify(fam)}`);
  }
  console.log(`${'total'.padEnd(36)} ${String(total).padStart(5)} rows  ${(bytes / 1024).toFixed(0).padStart(5)} KB`);
  console.log('\nby family:', JSON.stringify(byFamily));
  for (const l of [0, 1]) {
    const a = lens[l];
    console.log(`length label=${l}: n=${a.length} min=${pct(a, 0)} p10=${pct(a, 0.1)} p50=${pct(a, 0.5)} p90=${pct(a, 0.9)} max=${pct(a, 1)}  >=1KB: ${a.filter((x) => x >= 1024).length}  <200: ${a.filter((x) => x < 200).length}`);
  }
  const generated = Object.keys(bySource).filter((s) => s.startsWith("raxe/generated:"));
  const benignSources = generated.filter((s) => PLAN.find((p) => `raxe/generated:${p[1]}` === s)?.[2] === 0);
  console.log(`\ngenerators: ${benignSources.length} benign, ${generated.length - benignSources.length} attack; npm docs: ${files.get(NPM_DOCS).length} chunks`);
  console.log('by source:');
  for (const [s, n] of Object.entries(bySource)) console.log(`  ${s.padEnd(48)} ${n}`);
  if (shortfalls.length) console.log('\nshortfalls (not enough distinct texts):', shortfalls.join(', '));
  if (check) console.log('\n(--check: nothing written)');
}

main();
