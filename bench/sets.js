// The pattern sets the engine benchmark runs, each with its baselines and its
// adversarial text.
//
//   loadSets(names, { patterns, root })  -> [{ name, specs, v8, re2, words, note }]
//     builtin    the built-in rule pack (dist/builtin-pack.json, made by
//                `npm run build`), translated for V8 and RE2 by translate.js
//     generated  patterns.js's deterministic detection-style set (700 by default)
//   adversarialText(set, bytes, seed) -> text made only of the set's own
//     vocabulary: for the built-in pack the words of its should_match
//     examples, for the generated set the words in its patterns' literals --
//     the text on which the most partial matches are in flight at once.
//
// A pattern a baseline cannot express is left out of that baseline only (and
// counted), never mistimed.

import fs from 'node:fs';
import path from 'node:path';
import { buildPatterns, toV8, toRE2 } from './patterns.js';
import { pyToV8, pyToRE2 } from './translate.js';
import { makeRng } from './prng.js';

const FLAGS = { IGNORECASE: 2, MULTILINE: 8, DOTALL: 16, VERBOSE: 64 };

function builtinSet(root) {
  const file = path.join(root, 'dist', 'builtin-pack.json');
  if (!fs.existsSync(file)) return { name: 'builtin', error: 'dist/builtin-pack.json is missing (run `npm run build`)' };
  const pack = JSON.parse(fs.readFileSync(file, 'utf8'));
  const specs = [];
  const words = [];
  for (const r of pack.rules) {
    for (const p of r.patterns) specs.push({ source: p.pattern, flags: (p.flags ?? []).reduce((a, f) => a | FLAGS[f], 0) });
    for (const ex of r.examples?.should_match ?? []) for (const w of ex.split(/\s+/)) if (w) words.push(w);
  }
  return finish({ name: 'builtin', specs, words, v8: specs.map((s) => tryOr(() => pyToV8(s))), re2: specs.map((s) => tryOr(() => pyToRE2(s))), note: `${pack.rules.length} rules` });
}

function generatedSet(n) {
  const pats = buildPatterns({ target: n });
  const specs = pats.map((p) => ({ source: p.source, flags: p.flags }));
  // the words of the patterns' literals (runs of 3+ letters outside escapes)
  const words = [];
  for (const p of pats) for (const m of p.source.replace(/\\[a-zA-Z]/g, ' ').matchAll(/[A-Za-z]{3,}/g)) words.push(m[0]);
  const noLit = pats.filter((p) => p.noLiteral).length;
  return finish({ name: 'generated', specs, words, v8: pats.map((p) => tryOr(() => toV8(p))), re2: pats.map((p) => tryOr(() => toRE2(p))), note: `${noLit} without a 3+ char literal` });
}

function tryOr(f) {
  try {
    return f();
  } catch {
    return null;
  }
}

function finish(set) {
  set.v8Missing = set.v8.filter((x) => x === null).length;
  set.re2Missing = set.re2.filter((x) => x === null).length;
  return set;
}

/** The sets named in `names` (builtin, generated). */
export function loadSets(names, { patterns = 700, root }) {
  const out = [];
  for (const n of names) {
    if (n === 'builtin') out.push(builtinSet(root));
    else if (n === 'generated') out.push(generatedSet(patterns));
    else throw new Error(`unknown set "${n}" (builtin, generated)`);
  }
  return out;
}

/** About `bytes` of text made of the set's words (a newline every ~12 words). */
export function adversarialText(set, bytes, seed = 7) {
  const rng = makeRng(seed);
  const words = set.words;
  let s = '';
  while (s.length < bytes) s += words[rng.int(words.length)] + (rng.int(12) === 0 ? '\n' : ' ');
  return s;
}
