/**
 * The skeleton layer: what a reader sees, spelled in ASCII.
 *   1. combining marks after Latin, Greek and Cyrillic letters fold away
 *      (a with dot below -> a, e with acute -> e);
 *   2. letters and digits from other scripts that look like ASCII become it
 *      (Unicode's confusables.txt prototypes: Armenian ra -> n, Latin letter
 *      dental click -> l, l with bar -> l, ...);
 *   3. leetspeak in a word is read back (1gn0r3 -> ignore, pr3v10u5 ->
 *      previous) when the result is a known word, or when the word is mostly
 *      leet with no other digits;
 *   4. "rn" standing for "m" is read back (systern -> system) when the word
 *      is unknown and the reading is a known word.
 * Built from the normalised text; sparse (only lines around changes).
 *
 * Cost: nothing for ASCII text without digits inside words or "rn" in
 * unknown words beyond one scan of char codes; linear in every case.
 */
import { Rewriter, sparseLayer } from './sparse.js';
import { confusable, isFoldBase, isMark } from './unicode.js';
import { isVocabulary, knownWord } from './vocabulary.js';

/** Longest token read as leetspeak or rn-for-m: longer runs are ids, hashes, data (the longest common English word has 20 letters). */
export const MAX_WORD = 20;

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', $: 's' };

/** Pass 1: marks and confusables; null when there is nothing non-ASCII. */
function foldLetters(t: string): Rewriter | null {
  let i = 0;
  while (i < t.length && t.charCodeAt(i) < 0x80) i++;
  if (i === t.length) return null;
  const w = new Rewriter(t);
  let prevBase = i > 0 && isFoldBase(t.charCodeAt(i - 1));
  for (; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x80) {
      prevBase = isFoldBase(c);
      continue;
    }
    const cp = t.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    if (isMark(cp)) {
      if (prevBase) w.replace(i, i + size, '');
    } else if (isFoldBase(cp)) {
      const d = String.fromCodePoint(cp).normalize('NFD');
      const base = d.codePointAt(0)!;
      const out = confusable(base) ?? String.fromCodePoint(base);
      if (out !== String.fromCodePoint(cp)) w.replace(i, i + size, out);
      prevBase = true;
    } else {
      const out = confusable(cp);
      if (out !== undefined) w.replace(i, i + size, out);
      prevBase = out !== undefined && isFoldBase(out.charCodeAt(out.length - 1));
    }
    i += size - 1;
  }
  return w;
}

const isLetter = (c: number) => (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** `word` with case copied from `like` (all-caps stays all-caps, a capital first letter stays). */
function withCase(word: string, like: string): string {
  let upper = 0;
  let letters = 0;
  for (let i = 0; i < like.length; i++) {
    const c = like.charCodeAt(i);
    if (isLetter(c)) {
      letters++;
      if (c < 0x61) upper++;
    }
  }
  if (letters > 0 && upper === letters && like.length > 1) return word.toUpperCase();
  if (isLetter(like.charCodeAt(0)) && like.charCodeAt(0) < 0x61) return word[0].toUpperCase() + word.slice(1);
  return word;
}

/**
 * The reading of a leet token, or null. A token that reads as a known word
 * always counts; in `leetMode` (the text already has two such words) any
 * mix of letters and leet digits does, and so do short all-digit tokens
 * that read as a known word ("70" -> "to", "15" -> "is").
 */
function readLeet(tok: string, leetMode: boolean): { read: string; known: boolean } | null {
  let letters = 0;
  let leet = 0;
  let ones = 0;
  for (let i = 0; i < tok.length; i++) {
    const ch = tok[i];
    if (isLetter(tok.charCodeAt(i))) letters++;
    else if (LEET[ch] !== undefined) {
      leet++;
      if (ch === '1') ones++;
    } else return null; // another digit (2, 6): a number or an id, not leet
  }
  if (leet === 0 || (letters === 0 && (!leetMode || tok.length > 4))) return null;
  const lower = tok.toLowerCase();
  const read = (one: (k: number) => string) => {
    let k = 0;
    let s = '';
    for (const ch of lower) s += ch === '1' ? one(k++) : (LEET[ch] ?? ch);
    return s;
  };
  const asI = read(() => 'i');
  if (knownWord(asI)) return { read: asI, known: true };
  if (ones > 0) {
    const asL = read(() => 'l');
    if (knownWord(asL)) return { read: asL, known: true };
    for (let mask = 1; ones <= 3 && mask < (1 << ones) - 1; mask++) {
      const mixed = read((k) => ((mask >> k) & 1 ? 'l' : 'i'));
      if (knownWord(mixed)) return { read: mixed, known: true };
    }
  }
  if (letters === 0 || mixedCase(tok)) return null; // base64, camelCase ids
  // not a known word: still leet when the rest of its line is
  return leetMode ? { read: asI, known: false } : null;
}

/** A lower-case letter followed later by an upper-case one (base64, camelCase). */
function mixedCase(tok: string): boolean {
  let lower = false;
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) lower = true;
    else if (lower && c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}

/** The reading of a word with "rn" for "m", or null. */
function readRn(tok: string): string | null {
  const lower = tok.toLowerCase();
  if (knownWord(lower)) return null;
  const all = lower.replace(/rn/g, 'm');
  if (knownWord(all)) return all;
  let at = lower.indexOf('rn');
  for (let n = 0; at >= 0 && n < 3; n++, at = lower.indexOf('rn', at + 1)) {
    const one = lower.slice(0, at) + 'm' + lower.slice(at + 2);
    if (knownWord(one)) return one;
  }
  return null;
}

const NUMERIC_CONTEXT = new Set([0x2e, 0x3a, 0x2f, 0x2d, 0x2c]); // . : / - , around numbers (1.2.3.4, 10:30, 3/4)

interface Token {
  start: number;
  end: number;
  tok: string;
  digits: boolean;
  /** Line number (0-based). */
  line: number;
  letters: boolean;
}

/** The letters of the next word after `i` (up to 32 chars on), to copy its case onto a number read as a word. */
function nextWord(t: string, i: number): string {
  let j = i;
  while (j < t.length && j - i < 32 && !isLetter(t.charCodeAt(j))) j++;
  const s = j;
  while (j < t.length && j - s < 32 && isLetter(t.charCodeAt(j))) j++;
  return t.slice(s, j);
}

/**
 * The tokens of `t` (runs of letters and digits) worth reading: with letters
 * and leet digits or "rn" (`numbers` false), or all digits (`numbers` true;
 * only wanted once the text is known to be leet). Numbers inside 1.2.3.4,
 * 10:30 or 3/4 are left out.
 */
function tokens(t: string, numbers: boolean): Token[] {
  const n = t.length;
  const found: Token[] = [];
  // only tokens around a digit, '$' or "rn" can change: find those natively, then look around
  const trigger = numbers ? /[0-9]/g : /[0-9$]|[rR][nN]/g;
  let line = 0;
  let counted = 0; // newlines counted up to here
  let done = 0; // tokens end before here
  for (let m = trigger.exec(t); m; m = trigger.exec(t)) {
    if (m.index < done) {
      trigger.lastIndex = done;
      continue;
    }
    let start = m.index;
    while (start > done && start > m.index - MAX_WORD - 1 && isWordCode(t.charCodeAt(start - 1))) start--;
    let i = start;
    let digits = false;
    let rn = false;
    let letter = false;
    for (; i < n; i++) {
      const d = t.charCodeAt(i);
      if (isLetter(d)) {
        letter = true;
        if ((d | 0x20) === 0x6e && i > start && (t.charCodeAt(i - 1) | 0x20) === 0x72) rn = true;
      } else if (isDigit(d) || (d === 0x24 && letter)) digits = true; // '$' for s, inside a word ($HOME stays)
      else break;
      if (i - start > MAX_WORD) {
        while (i < n && isWordCode(t.charCodeAt(i))) i++; // too long: skip it whole
        break;
      }
    }
    done = Math.max(i, m.index + 1);
    trigger.lastIndex = done;
    if (i - start > MAX_WORD || letter === numbers || !(digits || rn)) continue;
    if (numbers && (NUMERIC_CONTEXT.has(t.charCodeAt(start - 1)) || (NUMERIC_CONTEXT.has(t.charCodeAt(i)) && isDigit(t.charCodeAt(i + 1))))) continue;
    for (; counted < start; counted++) if (t.charCodeAt(counted) === 0x0a) line++;
    found.push({ start, end: i, tok: t.slice(start, i), digits, line, letters: letter });
  }
  return found;
}

const isWordCode = (c: number) => isLetter(c) || isDigit(c) || c === 0x24;

/** Pass 2: leetspeak and rn-for-m words of `t`. */
function readWords(t: string): Rewriter {
  const words = tokens(t, false);
  // leet mode, per line: two words there already read as known words; then numbers count too ("70" -> "to")
  const known = new Map<number, number>();
  for (const f of words) {
    if (f.digits && (known.get(f.line) ?? 0) < 2 && readLeet(f.tok, false)?.known) known.set(f.line, (known.get(f.line) ?? 0) + 1);
  }
  const leetLine = (line: number) => (known.get(line) ?? 0) >= 2;
  let found = words;
  if ([...known.values()].some((k) => k >= 2)) {
    const nums = tokens(t, true).filter((f) => leetLine(f.line));
    found = [...words, ...nums].sort((a, b) => a.start - b.start);
  }
  const w = new Rewriter(t);
  for (const f of found) {
    const mode = leetLine(f.line);
    let read = f.digits ? (readLeet(f.tok, mode)?.read ?? null) : readRn(f.tok);
    // one leet word alone in its line (l10n, a11y, b2b) is read only when it spells attack or shell vocabulary (ign0re, /37c)
    if (f.digits && !mode && read !== null && !isVocabulary(read)) read = null;
    if (read !== null && read !== f.tok.toLowerCase()) w.replace(f.start, f.end, withCase(read, f.letters ? f.tok : nextWord(t, f.end)));
  }
  return w;
}

/** The skeleton layer of normalised text `t`: '' when it equals `t`. */
export function skeletonLayer(t: string): string {
  const folded = foldLetters(t);
  const s1 = folded ? folded.text() : t;
  const words = readWords(s1);
  if (!words.dirty) return folded ? folded.sparse() : '';
  const changed = folded ? words.mergedChanges(folded.changed) : words.changed;
  return sparseLayer(words.text(), changed);
}
