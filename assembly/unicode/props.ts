// Unicode properties as Python's `re` sees them on str patterns.
import { WORD_RANGES, DIGIT_RANGES, SPACE_RANGES } from './tables';
import { RangeSet } from './ranges';

/** Binary search in a flattened inclusive range table. */
// @ts-ignore: decorator
@inline
export function inTable(t: StaticArray<u32>, c: u32): bool {
  let lo = 0;
  let hi = (t.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < unchecked(t[mid << 1])) hi = mid - 1;
    else if (c > unchecked(t[(mid << 1) + 1])) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Python's SRE_UNI_IS_WORD: alphanumeric or underscore (used by \w and \b). */
export function isWord(c: i32): bool {
  if (c < 0) return false;
  if (c < 128) {
    return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x5f;
  }
  return inTable(WORD_RANGES, <u32>c);
}

export const CAT_WORD: i32 = 1;
export const CAT_DIGIT: i32 = 2;
export const CAT_SPACE: i32 = 3;

const catCache = new Array<RangeSet | null>(8);

/** The code points of \w, \d or \s (negated when `neg`). Shared: do not modify. */
export function categorySet(cat: i32, neg: bool): RangeSet {
  const key = (cat << 1) | (neg ? 1 : 0);
  const hit = catCache[key];
  if (hit != null) return hit;
  let s: RangeSet;
  if (cat == CAT_WORD) s = RangeSet.fromTable(WORD_RANGES);
  else if (cat == CAT_DIGIT) s = RangeSet.fromTable(DIGIT_RANGES);
  else s = RangeSet.fromTable(SPACE_RANGES);
  if (neg) s = s.complement();
  catCache[key] = s;
  return s;
}
