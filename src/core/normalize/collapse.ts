/**
 * The collapsed layer: words pulled apart put back together.
 *   - HTML tags and comments inside a word vanish (ig<b></b>nore -> ignore);
 *     other tags become a space;
 *   - single characters separated by single spaces, tabs or newlines join
 *     into a word ("i g n o r e" -> "ignore", one letter per line too); a wider
 *     gap between them (two spaces, a blank line) is a word break;
 *   - letters joined by one repeated punctuation mark join (i.g.n.o.r.e,
 *     i-g-n-o-r-e -> ignore).
 * Built from the text with default-ignorables removed but whitespace intact
 * (the normalised text has lost the gaps that mark word breaks); sparse.
 *
 * Cost: one scan of char codes when there is no '<' tag and no run of three
 * single characters; linear in every case.
 */
import { TextBuilder } from './builder.js';
import { Rewriter, sparseLayer } from './sparse.js';

/** Fewest single characters in a run that is joined (two would join "a b" in prose). */
export const MIN_SPACED_RUN = 3;
/** Longest gap between two spaced single characters read as a word break; wider ends the run. */
export const MAX_WORD_GAP = 4;
/** Longest tag looked at (attributes included); a longer `<...` is not a tag. */
export const MAX_TAG = 256;
/** Longest HTML comment removed. */
export const MAX_COMMENT = 4096;

// inline elements: a tag of these inside a word joins its halves; others separate
const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'dfn', 'em', 'font', 'i', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr', 'ins', 'del']);

const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c >= 0xc0;
const isLetter = (c: number) => ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c >= 0xc0;
const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/** Tags and comments of `t` removed (inside words) or made spaces; null unless one splits a word. */
function stripTags(t: string): Rewriter | null {
  let i = t.indexOf('<');
  if (i < 0) return null;
  const w = new Rewriter(t);
  let insideWord = false; // a tag split a word: only then is this a disguise
  let lastEnd = -1; // end of the previous tag, and whether a letter stood before it
  let lastLeft = false;
  while (i >= 0 && i < t.length) {
    let end = -1;
    let inline = false;
    if (t.startsWith('<!--', i)) {
      const close = t.indexOf('-->', i + 4);
      if (close >= 0 && close + 3 - i <= MAX_COMMENT) {
        end = close + 3;
        inline = true;
      }
    } else {
      let j = i + 1;
      if (t.charCodeAt(j) === 0x2f) j++;
      const nameStart = j;
      while (j < t.length && isLetter(t.charCodeAt(j)) && t.charCodeAt(j) < 0x80) j++;
      while (j < t.length && (t.charCodeAt(j) >= 0x30 && t.charCodeAt(j) <= 0x39)) j++; // h1..h6
      if (j > nameStart) {
        const name = t.slice(nameStart, j).toLowerCase();
        for (let k = j; k < t.length && k - i < MAX_TAG; k++) {
          const c = t.charCodeAt(k);
          if (c === 0x3e) {
            end = k + 1;
            break;
          }
          if (c === 0x3c) break;
        }
        inline = INLINE.has(name);
      }
    }
    if (end < 0) {
      i = t.indexOf('<', i + 1);
      continue;
    }
    const left: boolean = i === lastEnd ? lastLeft : i > 0 && isAlnum(t.charCodeAt(i - 1));
    const glued = left && end < t.length && (isAlnum(t.charCodeAt(end)) || t.charCodeAt(end) === 0x3c);
    if (glued && inline) {
      w.replace(i, end, '');
      insideWord = true;
    } else w.replace(i, end, ' ');
    lastEnd = end;
    lastLeft = left;
    i = t.indexOf('<', end);
  }
  return insideWord ? w : null;
}

/** "i.g.n.o.r.e" -> "ignore" (one separator char repeated between single letters), or null. */
function dotted(tok: string): string | null {
  if (tok.length < 2 * MIN_SPACED_RUN - 1) return null;
  const sep = tok.charCodeAt(1);
  if (isAlnum(sep) || isWs(sep)) return null;
  let out = '';
  let i = 0;
  for (; i < tok.length; i += 2) {
    if (!isLetter(tok.charCodeAt(i))) return null;
    out += tok[i];
    if (i + 1 < tok.length && tok.charCodeAt(i + 1) !== sep) return null;
  }
  return out.length >= MIN_SPACED_RUN ? out : null;
}

/** Joins spaced single characters and dotted words of `t` into `w`. */
function joinSpaced(t: string, w: Rewriter): void {
  const n = t.length;
  let i = 0;
  // the current run of single characters
  let runStart = -1;
  let runEnd = -1;
  const run = new TextBuilder();
  let singles = 0;
  let streak = 0; // consecutive letters/digits in the run
  let spelled = false; // MIN_SPACED_RUN of them in a row: a word spelled out ("x = y + z" is code)
  const flush = () => {
    const joined = singles > 0 ? run.take() : '';
    if (spelled) w.replace(runStart, runEnd, joined);
    streak = 0;
    spelled = false;
    runStart = -1;
    singles = 0;
  };
  let gapStart = 0;
  while (i < n) {
    // whitespace gap
    gapStart = i;
    let newlines = 0;
    while (i < n && isWs(t.charCodeAt(i))) {
      if (t.charCodeAt(i) === 0x0a) newlines++;
      i++;
    }
    if (i >= n) break;
    let gap = i - gapStart;
    if (gap === 2 && t.charCodeAt(gapStart) === 0x0d && t.charCodeAt(gapStart + 1) === 0x0a) gap = 1;
    // token
    const s = i;
    while (i < n && !isWs(t.charCodeAt(i))) i++;
    const len = i - s;
    const single = len === 1 || (len === 2 && t.charCodeAt(s) >= 0xd800 && t.charCodeAt(s) <= 0xdbff);
    if (!single) {
      flush();
      const d = len >= 5 && len <= 80 ? dotted(t.slice(s, i)) : null;
      if (d) w.replace(s, i, d);
      continue;
    }
    if (runStart >= 0 && gap === 1 && newlines <= 1) {
      run.text(t.slice(s, i));
    } else if (runStart >= 0 && gap <= MAX_WORD_GAP && newlines <= 2) {
      run.code(0x20);
      run.text(t.slice(s, i));
    } else {
      flush();
      runStart = s;
      run.text(t.slice(s, i));
    }
    singles++;
    streak = isAlnum(t.charCodeAt(s)) ? streak + 1 : 0;
    if (streak >= MIN_SPACED_RUN) spelled = true;
    runEnd = i;
  }
  flush();
}

// Cheap triggers, so ordinary text costs three native regex scans: fixed-length
// patterns (no repetition), hence linear on any input. Each over-approximates
// what the layer joins (a prefilter may fire for nothing, never miss).
const TRIGGER_SPACED = /[\p{L}\p{N}](?:\r?\n|\s)[\p{L}\p{N}](?:\r?\n|\s)[\p{L}\p{N}](?![^\s])/u; // three spelled-out characters
const TRIGGER_TAG = /[\p{L}\p{N}](?:<!--|<\/?[A-Za-z])/u; // a tag or comment right after a letter
const TRIGGER_DOTTED = /\p{L}([^\p{L}\p{N}\s])\p{L}\1\p{L}/u; // i.g.n

/** The collapsed layer of `t` (default-ignorables already removed): '' when nothing joins. */
export function collapsedLayer(t: string): string {
  if (!TRIGGER_SPACED.test(t) && !TRIGGER_TAG.test(t) && !TRIGGER_DOTTED.test(t)) return '';
  const tags = stripTags(t);
  const src = tags ? tags.text() : t;
  const w = new Rewriter(src);
  joinSpaced(src, w);
  if (!w.dirty) return tags ? tags.sparse() : '';
  return tags ? sparseLayer(w.text(), w.mergedChanges(tags.changed)) : w.sparse();
}
