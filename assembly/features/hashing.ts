// L2 text featurisation: hashed word and character n-grams (fastText-style).
//
// A deterministic function from (normalised) UTF-8 text to a sparse vector:
//   - ASCII letters are lower-cased;
//   - tokens are maximal runs of ASCII letters/digits and non-ASCII bytes;
//   - features: word unigrams, word bigrams, and character 4-grams of the
//     lower-cased bytes, each family hashed with its own seed into `dim`
//     buckets (dim a power of two);
//   - equal buckets are merged (counts summed) and the vector is L2-normalised.
// The same bytes give the same (index, value) list on every runtime: the
// model's input. Only the first MAX_BYTES of a text are featurised.
// FEATURES_VERSION changes whenever any of the above changes.

export const FEATURES_VERSION: i32 = 1;
export const MAX_BYTES: u32 = 32768;

const SEED_WORD: u32 = 0x9e3779b1;
const SEED_BIGRAM: u32 = 0x85ebca6b;
const SEED_CHAR4: u32 = 0xc2b2ae35;
const SEED_SUB: u32 = 0x27d4eb2d;

/** Feature families (bit flags); MODE_V1 is features version 1. */
export const F_WORD: u32 = 1;
export const F_BIGRAM: u32 = 2;
export const F_CHAR4: u32 = 4;
/** character 3..5-grams inside each word, with word-boundary marks (fastText subwords) */
export const F_SUBWORD: u32 = 8;
/**
 * values are counts / RAW_SCALE instead of the L2-normalised counts: windows
 * are bounded (<= 512 bytes), and an attack sentence in a window of other
 * text keeps its features' full weight instead of being scaled down by them
 */
export const F_RAW: u32 = 16;
const RAW_SCALE: f64 = 8;
/**
 * concept features (lexicon.ts, src/core/l2/lexicon.ts): each word of the
 * security lexicon as its concept, and each pair of concepts at most
 * CONCEPT_GAP words apart (in order) as a concept bigram
 */
export const F_CONCEPT: u32 = 32;
/** byte 6-grams starting at each character of a word with non-ASCII letters (2-3 letters of CJK or Cyrillic text, which has no spaces or long words) */
export const F_NONASCII: u32 = 64;
const CONCEPT_GAP: i32 = 4;
const SEED_CONCEPT: u32 = 0x7feb352d;
const SEED_CONCEPT2: u32 = 0x846ca68b;
const SEED_NA6: u32 = 0x68e31da4;
export const MODE_V1: u32 = F_WORD | F_BIGRAM | F_CHAR4;

// scratch: an open-addressing table keyed by bucket, reset by generation
const TABLE_BITS: i32 = 17;
const TABLE_SIZE: i32 = 1 << TABLE_BITS;
// allocated on first use: instances that only match never pay for them
let tKeys = new StaticArray<u32>(0);
let tVals = new StaticArray<f32>(0);
let tGen = new StaticArray<u32>(0);
let gen: u32 = 0;

export let outIdx = new StaticArray<i32>(0);
export let outVal = new StaticArray<f32>(0);
let outN: i32 = 0;
let lower = new StaticArray<u8>(0);

function ensureScratch(): void {
  if (tKeys.length != 0) return;
  tKeys = new StaticArray<u32>(TABLE_SIZE);
  tVals = new StaticArray<f32>(TABLE_SIZE);
  tGen = new StaticArray<u32>(TABLE_SIZE);
  outIdx = new StaticArray<i32>(TABLE_SIZE);
  outVal = new StaticArray<f32>(TABLE_SIZE);
  lower = new StaticArray<u8>(<i32>MAX_BYTES);
}

import { lexLoaded, lexWord, lexExact } from './lexicon';

// the last concept events (concept id, word index), newest last
const EV: i32 = 3;
const evC = new StaticArray<u32>(EV);
const evT = new StaticArray<i32>(EV);
let evN: i32 = 0;

function concept(c: u32, t: i32, mask: u32): void {
  add(mix(SEED_CONCEPT ^ (c * 0x9e3779b1)) & mask);
  for (let k = 0; k < evN; k++) {
    if (t - unchecked(evT[k]) <= CONCEPT_GAP) add(mix(SEED_CONCEPT2 ^ ((unchecked(evC[k]) << 8) | c) * 0x85ebca6b) & mask);
  }
  if (evN == EV) {
    for (let k = 1; k < EV; k++) {
      unchecked((evC[k - 1] = evC[k]));
      unchecked((evT[k - 1] = evT[k]));
    }
    evN--;
  }
  unchecked((evC[evN] = c));
  unchecked((evT[evN] = t));
  evN++;
}

// @ts-ignore: decorator
@inline
function isLead(b: u32): bool {
  return b >= 0xc0;
}

/** Concepts and byte 6-grams of a word that holds non-ASCII bytes (runs of CJK have no spaces). */
function nonAscii(w: usize, n: u32, t: i32, mode: u32, mask: u32, wordConcept: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    if (!isLead(<u32>load<u8>(w + i))) continue;
    if (mode & F_NONASCII && i + 6 <= n) {
      let h: u32 = 2166136261 ^ SEED_NA6;
      for (let j: u32 = 0; j < 6; j++) h = (h ^ <u32>load<u8>(w + i + j)) * 16777619;
      add(mix(h) & mask);
    }
    if (mode & F_CONCEPT && wordConcept == 0) {
      for (let len: u32 = 15; len >= 6; len -= 3) {
        if (i + len > n) continue;
        const next = i + len == n ? 0xc0 : <u32>load<u8>(w + i + len);
        if (!(isLead(next) || next < 0x80)) continue;
        const c = lexExact(w + i, len);
        if (c != 0) {
          concept(c, t, mask);
          break;
        }
      }
    }
  }
}

// @ts-ignore: decorator
@inline
function mix(h0: u32): u32 {
  // murmur3 finaliser: spreads FNV's low bits before masking
  let h = h0;
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

// @ts-ignore: decorator
@inline
function fnv(seed: u32, p: usize, n: u32): u32 {
  let h: u32 = 2166136261 ^ seed;
  for (let i: u32 = 0; i < n; i++) h = (h ^ <u32>load<u8>(p + i)) * 16777619;
  return h;
}

function add(bucket: u32): void {
  let slot = <i32>(mix(bucket ^ 0x27d4eb2f) & <u32>(TABLE_SIZE - 1));
  while (true) {
    if (unchecked(tGen[slot]) != gen) {
      if (outN >= TABLE_SIZE / 2) return; // table half full: stop adding (texts are capped well below)
      unchecked((tGen[slot] = gen));
      unchecked((tKeys[slot] = bucket));
      unchecked((tVals[slot] = 1));
      unchecked((outIdx[outN] = <i32>bucket));
      outN++;
      return;
    }
    if (unchecked(tKeys[slot]) == bucket) {
      unchecked((tVals[slot] += 1));
      return;
    }
    slot = (slot + 1) & (TABLE_SIZE - 1);
  }
}

function isWordByte(b: u32): bool {
  return b >= 0x80 || (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7a);
}

/**
 * Featurises [p, p+len) into outIdx/outVal; returns the number of features.
 * `dim` must be a power of two.
 */
export function featurize(p: usize, len0: u32, dim: u32, mode: u32 = MODE_V1): i32 {
  ensureScratch();
  gen++;
  if (gen == 0) {
    for (let i = 0; i < TABLE_SIZE; i++) tGen[i] = 0;
    gen = 1;
  }
  outN = 0;
  const mask = dim - 1;
  const len = len0 < MAX_BYTES ? len0 : MAX_BYTES;
  const lp = changetype<usize>(lower);
  for (let i: u32 = 0; i < len; i++) {
    const b = <u32>load<u8>(p + i);
    store<u8>(lp + i, <u8>(b >= 0x41 && b <= 0x5a ? b + 32 : b));
  }
  // character 4-grams
  if (mode & F_CHAR4) for (let i: u32 = 0; i + 4 <= len; i++) add(mix(fnv(SEED_CHAR4, lp + i, 4)) & mask);
  // words and bigrams
  let prevStart: u32 = 0;
  let prevLen: u32 = 0;
  let i: u32 = 0;
  let t: i32 = 0;
  evN = 0;
  const concepts = (mode & F_CONCEPT) != 0 && lexLoaded();
  while (i < len) {
    while (i < len && !isWordByte(<u32>load<u8>(lp + i))) i++;
    const s = i;
    while (i < len && isWordByte(<u32>load<u8>(lp + i))) i++;
    const n = i - s;
    if (n == 0) break;
    if (mode & F_WORD) add(mix(fnv(SEED_WORD, lp + s, n)) & mask);
    if (mode & F_SUBWORD) addSubwords(lp + s, n, mask);
    let wc: u32 = 0;
    if (concepts) {
      wc = lexWord(lp + s, n);
      if (wc != 0) concept(wc, t, mask);
    }
    if ((mode & (F_NONASCII | F_CONCEPT)) != 0) {
      let high = false;
      for (let k: u32 = 0; k < n; k++) if (load<u8>(lp + s + k) >= 0x80) { high = true; break; }
      if (high) nonAscii(lp + s, n, t, concepts ? mode : mode & ~F_CONCEPT, mask, wc);
    }
    t++;
    if (prevLen > 0 && (mode & F_BIGRAM)) {
      let h: u32 = fnv(SEED_BIGRAM, lp + prevStart, prevLen);
      h = (h ^ 0x20) * 16777619;
      for (let k: u32 = 0; k < n; k++) h = (h ^ <u32>load<u8>(lp + s + k)) * 16777619;
      add(mix(h) & mask);
    }
    prevStart = s;
    prevLen = n;
  }
  // counts -> L2-normalised values, in first-seen order
  let norm: f64 = 0;
  for (let k = 0; k < outN; k++) {
    const v = <f64>valueOf(<u32>unchecked(outIdx[k]));
    norm += v * v;
  }
  const inv: f64 = mode & F_RAW ? 1.0 / RAW_SCALE : norm > 0 ? 1.0 / Math.sqrt(norm) : 0;
  for (let k = 0; k < outN; k++) unchecked((outVal[k] = <f32>(<f64>valueOf(<u32>unchecked(outIdx[k])) * inv)));
  return outN;
}

// character n-grams (3..5) of "<word>", the word with boundary marks; words
// of up to 2 letters are whole-word features already
function addSubwords(w: usize, n: u32, mask: u32): void {
  if (n < 3) return;
  const m = n + 2; // with '<' and '>'
  for (let k: u32 = 3; k <= 5; k++) {
    if (k > m) break;
    for (let i: u32 = 0; i + k <= m; i++) {
      let h: u32 = (2166136261 ^ SEED_SUB) ^ k;
      for (let j: u32 = i; j < i + k; j++) {
        const b: u32 = j == 0 ? 0x3c : j == m - 1 ? 0x3e : <u32>load<u8>(w + j - 1);
        h = (h ^ b) * 16777619;
      }
      add(mix(h) & mask);
    }
  }
}

function valueOf(bucket: u32): f32 {
  let slot = <i32>(mix(bucket ^ 0x27d4eb2f) & <u32>(TABLE_SIZE - 1));
  while (unchecked(tKeys[slot]) != bucket || unchecked(tGen[slot]) != gen) slot = (slot + 1) & (TABLE_SIZE - 1);
  return unchecked(tVals[slot]);
}
