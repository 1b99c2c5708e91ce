/**
 * The JSON layer: text split over JSON fields, one word per field
 * ({"a": "Ignore", "b": "all", ...} or ["Ignore", "all", ...]), read as the
 * sentence it spells. Runs of at least MIN_FIELDS consecutive short string
 * values (keys and JSON punctuation between them skipped) are joined with
 * spaces, one run per line.
 *
 * Contract: one forward scan (no JSON.parse, no recursion, so nesting depth
 * and size cost nothing extra); works on fragments and invalid JSON; the
 * output is never longer than the input.
 */
import { decodeEscapes } from './unescape.js';

/** Fewest consecutive short values that are joined (two would join every key/value pair list). */
export const MIN_FIELDS = 3;
/** Longest value that counts as a "word" field; a longer value ends the run (it is scanned as it is). */
export const MAX_FIELD = 64;

const isGap = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x3a || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d;

/** The JSON layer of `t`: '' when it has no run of short string values. */
export function jsonLayer(t: string): string {
  let i = t.indexOf('"');
  if (i < 0) return '';
  const lines: string[] = [];
  let run: string[] = [];
  let gapFrom = i; // where the text since the last string began
  const flush = () => {
    if (run.length >= MIN_FIELDS) lines.push(run.join(' '));
    run = [];
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
      if (j - i - 1 > MAX_FIELD || j === i + 1) flush();
      else {
        const raw = t.slice(i + 1, j);
        run.push(escaped ? (decodeEscapes(raw) ?? raw) : raw);
      }
    }
    gapFrom = j + 1;
    i = t.indexOf('"', j + 1);
  }
  flush();
  return lines.join('\n');
}
