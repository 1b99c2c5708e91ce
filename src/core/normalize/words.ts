/**
 * Layers read from words that are not words: one pass over the letters of
 * the normalised text finds the unknown ones (not common English, not the
 * security vocabulary) and from them builds
 *   - snap: each unknown word within edit distance 1 (5-7 letters) or 2 (8+)
 *     of a security-vocabulary word replaced by it ("iunstructions" ->
 *     "instructions"), found through a deletion-neighbourhood index, so the
 *     cost per word does not grow with the vocabulary;
 *   - rot13 and reversed: a line whose unknown words mostly become English
 *     under rot13 (or read backwards), at least MIN_DECODED_WORDS of them,
 *     decoded as a whole. Lines that stay gibberish are not emitted (cost and
 *     false positives).
 * All three are sparse (snap) or contain only the decoded lines.
 *
 * Cost: known words cost one set lookup; linear in the text.
 */
import { TextBuilder } from './builder.js';
import { Rewriter } from './sparse.js';
import { knownWord, SNAP_VOCABULARY } from './vocabulary.js';

/** Fewest unknown words of a line that must read as English after rot13/reversal. */
export const MIN_DECODED_WORDS = 2;
/** Longest line decoded on the strength of a single word. */
export const SHORT_LINE = 64;
/** Shortest word snapped (shorter words are too close to too many others). */
export const MIN_SNAP = 5;
/** Longest word looked up at all (longer letter runs are data). */
export const MAX_LOOKUP = 24;

/** Edits allowed between a word and a vocabulary word of `len` letters. */
const maxDistance = (len: number) => (len >= 8 ? 2 : len >= MIN_SNAP ? 1 : 0);

/** Every string made by deleting up to `d` chars of `w` (w included). */
function deletions(w: string, d: number, into: Set<string>): Set<string> {
  into.add(w);
  if (d === 0 || w.length <= 1) return into;
  for (let i = 0; i < w.length; i++) {
    const s = w.slice(0, i) + w.slice(i + 1);
    if (!into.has(s)) deletions(s, d - 1, into); // depth <= 2
  }
  return into;
}

let index: Map<string, string[]> | undefined;
function snapIndex(): Map<string, string[]> {
  if (index) return index;
  index = new Map();
  for (const v of new Set(SNAP_VOCABULARY)) {
    if (v.length < MIN_SNAP) continue;
    for (const s of deletions(v, maxDistance(v.length), new Set())) {
      const list = index.get(s);
      if (list) list.push(v);
      else index.set(s, [v]);
    }
  }
  return index;
}

/** Optimal-string-alignment distance of a and b, or limit + 1 once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** The vocabulary word `w` (lower-case, unknown) is a misspelling of, or null. */
export function snapWord(w: string): string | null {
  if (w.length < MIN_SNAP || w.length > MAX_LOOKUP) return null;
  const idx = snapIndex();
  let best: string | null = null;
  let bestD = 3;
  for (const s of deletions(w, 2, new Set())) {
    for (const v of idx.get(s) ?? []) {
      const limit = Math.min(maxDistance(v.length), maxDistance(w.length));
      const d = editDistance(w, v, limit);
      if (d <= limit && d < bestD) {
        best = v;
        bestD = d;
      }
    }
  }
  return best;
}

/**
 * Whether a line (or text) of `length` chars whose `unknown` words include
 * `hits` that become English when decoded reads as English: at least
 * MIN_DECODED_WORDS such words making half of the unknown ones, or, on a
 * line of at most SHORT_LINE chars, every unknown word ("FFA: 123" -> "SSN: 123").
 */
function decodes(hits: number, unknown: number, length: number): boolean {
  return (hits >= MIN_DECODED_WORDS && hits * 2 >= unknown) || (hits >= 1 && hits === unknown && length <= SHORT_LINE);
}

const rot13Char = (c: number) =>
  c >= 0x61 && c <= 0x7a ? ((c - 0x61 + 13) % 26) + 0x61 : c >= 0x41 && c <= 0x5a ? ((c - 0x41 + 13) % 26) + 0x41 : c;

/** rot13 of `s` (ASCII letters rotated, everything else kept). */
export function rot13(s: string): string {
  if (s.length <= 64) {
    let r = '';
    for (let i = 0; i < s.length; i++) r += String.fromCharCode(rot13Char(s.charCodeAt(i)));
    return r;
  }
  const out = new TextBuilder();
  for (let i = 0; i < s.length; i++) out.code(rot13Char(s.charCodeAt(i)));
  return out.take();
}

/** `s` backwards, by code point (a surrogate pair stays in order). */
export function reverse(s: string): string {
  let short = '';
  const out = s.length > 64 ? new TextBuilder() : null;
  const put = (c: number) => (out ? out.code(c) : (short += String.fromCharCode(c)));
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const hi = s.charCodeAt(i - 1);
      if (hi >= 0xd800 && hi <= 0xdbff) {
        put(hi);
        put(c);
        i--;
        continue;
      }
    }
    put(c);
  }
  return out ? out.take() : short;
}

interface Analysis {
  rot: boolean;
  rev: boolean;
  snap: string | null;
}
const KNOWN: Analysis = { rot: false, rev: false, snap: null };
/** Most distinct words remembered (documents repeat their names and identifiers). */
const CACHE_SIZE = 20_000;
/** Cache by a hash of the lower-cased letters, so a repeated word costs no allocation. */
let cache = new Map<number, { word: string; a: Analysis }>();

/** What the word t[s, e) could be if it is unknown (KNOWN for a known word); cached. */
function analyse(t: string, s: number, e: number): Analysis {
  let h = 0x811c9dc5;
  for (let k = s; k < e; k++) h = Math.imul(h ^ (t.charCodeAt(k) | 0x20), 0x01000193);
  const hit = cache.get(h);
  if (hit && hit.word.length === e - s) {
    let same = true;
    for (let k = s; k < e && same; k++) same = (t.charCodeAt(k) | 0x20) === hit.word.charCodeAt(k - s);
    if (same) return hit.a;
  }
  const word = t.slice(s, e).toLowerCase();
  const a = knownWord(word) ? KNOWN : { rot: knownWord(rot13(word)), rev: knownWord(reverse(word)), snap: word.length >= MIN_SNAP ? snapWord(word) : null };
  if (cache.size >= CACHE_SIZE) cache = new Map();
  cache.set(h, { word, a });
  return a;
}

const isLetter = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const isIdent = (c: number) => (c >= 0x30 && c <= 0x39) || c === 0x5f;

/** snap/rot13/reversed of the normalised text `t`; '' for each that has nothing. */
export function wordLayers(t: string): { snap: string; rot13: string; reversed: string } {
  const snap = new Rewriter(t);
  const rotLines: string[] = [];
  const revLines: string[] = [];
  let lineStart = 0;
  let unknown = 0;
  let rotHits = 0;
  let revHits = 0;
  let allUnknown = 0;
  let allRot = 0;
  let allRev = 0;
  const endLine = (end: number) => {
    if (unknown > 0) {
      const line = t.slice(lineStart, end);
      if (decodes(rotHits, unknown, line.length)) rotLines.push(rot13(line));
      if (decodes(revHits, unknown, line.length)) revLines.push(reverse(line));
    }
    allUnknown += unknown;
    allRot += rotHits;
    allRev += revHits;
    unknown = rotHits = revHits = 0;
    lineStart = end + 1;
  };
  const n = t.length;
  let i = 0;
  while (i < n) {
    const c = t.charCodeAt(i);
    if (c === 0x0a) {
      endLine(i);
      i++;
      continue;
    }
    if (!isLetter(c)) {
      i++;
      continue;
    }
    const s = i;
    let upper = 0;
    while (i < n && isLetter(t.charCodeAt(i))) {
      if (t.charCodeAt(i) < 0x61) upper++;
      i++;
    }
    const len = i - s;
    if (len < 2 || len > MAX_LOOKUP) continue;
    const a = analyse(t, s, i);
    if (a === KNOWN) continue;
    unknown++;
    if (a.rot) rotHits++;
    if (a.rev) revHits++;
    // snap: a word of prose (not part of an identifier), in one of the usual cases
    if (len < MIN_SNAP || (s > 0 && isIdent(t.charCodeAt(s - 1))) || (i < n && isIdent(t.charCodeAt(i)))) continue;
    const capitalised = upper === 1 && t.charCodeAt(s) < 0x61;
    if (upper !== 0 && upper !== len && !capitalised) continue;
    const v = a.snap;
    if (v) snap.replace(s, i, upper === len ? v.toUpperCase() : capitalised ? v[0].toUpperCase() + v.slice(1) : v);
  }
  endLine(n);
  // a text that decodes as a whole (a multi-line message) is emitted whole, so rules see its lines together
  const rot = decodes(allRot, allUnknown, n) ? rot13(t) : rotLines.join('\n');
  const rev = decodes(allRev, allUnknown, n) ? reverse(t) : revLines.join('\n');
  return { snap: snap.sparse(), rot13: rot, reversed: rev };
}
