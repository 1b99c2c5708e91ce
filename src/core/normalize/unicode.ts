/**
 * Lookups over the generated tables (tables.ts, from scripts/gen-unicode.py):
 * Default_Ignorable_Code_Point, foldable marks and bases, confusables to
 * ASCII, and the common-word list. Maps and sets are built on first use.
 */
import { CONFUSABLES, DEFAULT_IGNORABLE, FOLD_BASES, FOLD_MARKS, WORDS_10, WORDS_20 } from './tables.js';

/** True when `cp` lies in one of the flattened inclusive ranges `r` (binary search). */
export function inRanges(r: readonly number[], cp: number): boolean {
  let lo = 0;
  let hi = (r.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < r[mid * 2]) hi = mid - 1;
    else if (cp > r[mid * 2 + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Unicode Default_Ignorable_Code_Point (zero-width, joiners, bidi controls, variation selectors, tags, CGJ, ...). */
export function isDefaultIgnorable(cp: number): boolean {
  return cp >= 0xad && inRanges(DEFAULT_IGNORABLE, cp);
}

/** A combining mark (Mn or Me). */
export function isMark(cp: number): boolean {
  return cp >= 0x300 && inRanges(FOLD_MARKS, cp);
}

/** A letter whose marks fold away: ASCII, Latin, Greek or Cyrillic. */
export function isFoldBase(cp: number): boolean {
  if (cp < 0x80) return (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a;
  return inRanges(FOLD_BASES, cp);
}

let confusableMap: Map<number, string> | undefined;
/** The ASCII look-alike of a non-ASCII letter or digit (confusables.txt), or undefined. */
export function confusable(cp: number): string | undefined {
  if (!confusableMap) {
    confusableMap = new Map();
    for (let i = 0; i < CONFUSABLES.length; i += 2) confusableMap.set(CONFUSABLES[i] as number, CONFUSABLES[i + 1] as string);
  }
  return confusableMap.get(cp);
}

let common: Set<string> | undefined;
let all: Set<string> | undefined;
/** One of the ~4,000 most common English words (SCOWL size 10); lower-case input. */
export function isCommonWord(w: string): boolean {
  common ??= new Set(WORDS_10.split(' '));
  return common.has(w);
}

/** A common English word (SCOWL sizes 10 and 20, ~11,000 words); lower-case input. */
export function isWord(w: string): boolean {
  if (isCommonWord(w)) return true;
  all ??= new Set(WORDS_20.split(' '));
  return all.has(w);
}
