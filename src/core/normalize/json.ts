/**
 * The JSON layer: text split over JSON fields, one word per field
 * ({"a": "Ignore", "b": "all", ...} or ["Ignore", "all", ...]), read as the
 * sentence it spells. Runs of consecutive short string values (keys and JSON
 * punctuation between them skipped) holding at least MIN_FIELDS one-word
 * values, making at least a third of its values, are joined with
 * spaces, one run per line (a package.json of versions, paths and phrases
 * is data: no layer).
 *
 * Contract: one forward scan (no JSON.parse, no recursion, so nesting depth
 * and size cost nothing extra); works on fragments and invalid JSON; the
 * output is never longer than the input.
 */
import { decodeEscapes } from './unescape.js';

/** Fewest word-like values in a run that is joined (two would join every key/value pair list). */
export const MIN_FIELDS = 3;
/** Longest value that counts as a "word" field; a longer value ends the run (it is scanned as it is). */
export const MAX_FIELD = 64;

const isGap = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x3a || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;

/**
 * A value that is one word of a sentence: letters and digits (apostrophes
 * and hyphens inside), with punctuation only around them; "1.2.0",
 * "dist/index.js", "Foo Bar" and URLs are not.
 */
function wordy(t: string, s: number, e: number): boolean {
  while (s < e && isPunct(t.charCodeAt(s))) s++;
  while (e > s && isPunct(t.charCodeAt(e - 1))) e--;
  if (e === s) return false;
  for (let k = s; k < e; k++) {
    const c = t.charCodeAt(k);
    if (!((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) && !(c >= 0x30 && c <= 0x39) && c !== 0x27 && c !== 0x2d && c < 0xc0) return false;
  }
  return true;
}

const isPunct = (c: number) => c === 0x2e || c === 0x2c || c === 0x21 || c === 0x3f || c === 0x3a || c === 0x3b || c === 0x27 || c === 0x2d || c === 0x28 || c === 0x29;

/** The JSON layer of `t`: '' when it has no run of short string values. */
export function jsonLayer(t: string): string {
  let i = t.indexOf('"');
  if (i < 0) return '';
  const lines: string[] = [];
  let run: string[] = [];
  let gapFrom = i; // where the text since the last string began
  let words = 0; // values in the run that can be words of a sentence
  const flush = () => {
    if (words >= MIN_FIELDS && words * 3 >= run.length) lines.push(run.join(' '));
    run = [];
    words = 0;
  };
  while (i >= 0) {
    // is the text between the previous string and this one only JSON punctuation?
    for (let k = gapFrom; k < i; k++) {
      if (!isGap(t.charCodeAt(k))) {
        flush();
        break;
      }
    }
    // the string's end
    let j = i + 1;
    let escaped = false;
    for (; j < t.length; j++) {
      const c = t.charCodeAt(j);
      if (c === 0x5c) j++, (escaped = true);
      else if (c === 0x22 || c === 0x0a) break;
    }
    if (j >= t.length || t.charCodeAt(j) !== 0x22) {
      flush();
      break;
    }
    let k = j + 1;
    while (k < t.length && (t.charCodeAt(k) === 0x20 || t.charCodeAt(k) === 0x09)) k++;
    const isKey = t.charCodeAt(k) === 0x3a;
    if (!isKey) {
      if (j - i - 1 > MAX_FIELD) flush();
      else {
        const raw = t.slice(i + 1, j);
        const value = escaped ? (decodeEscapes(raw) ?? raw) : raw;
        run.push(value);
        if (wordy(value, 0, value.length)) words++;
      }
    }
    gapFrom = j + 1;
    i = t.indexOf('"', j + 1);
  }
  flush();
  return lines.join('\n');
}
