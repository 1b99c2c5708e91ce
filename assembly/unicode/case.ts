// Case-insensitive matching exactly as Python's sre does it for str patterns.
//
// sre never folds the text at match time the way we do: it compares
// lower(ch) against a compile-time set. We turn that into a plain set of
// code points at compile time ("the preimage"), so matching needs no case
// tables at all:
//   literal c (cased)       matches ch  iff lower(ch) in {lower(c)} + fixes
//   class (any cased item)  matches ch  iff lower(ch) in fixup(items)
//   class (no cased item)   matches ch  iff ch in items          (no folding)
// where fixup maps each literal/range member to its lowercase form and adds
// the extra equivalences of re._casefix (e.g. s ~ U+017F), categories stay
// as they are, and non-BMP ranges also accept upper(lower(ch)).
import { LOWER_MAP, UPPER_MAP, CASED_RANGES, CASE_FIXES } from './tables';
import { inTable } from './props';
import { RangeSet } from './ranges';

/** _sre.unicode_tolower */
export function lower(c: u32): u32 {
  if (c < 128) return c >= 0x41 && c <= 0x5a ? c + 32 : c;
  return mapLookup(LOWER_MAP, c);
}

export function upper(c: u32): u32 {
  if (c < 128) return c >= 0x61 && c <= 0x7a ? c - 32 : c;
  return mapLookup(UPPER_MAP, c);
}

function mapLookup(m: StaticArray<u32>, c: u32): u32 {
  let lo = 0;
  let hi = (m.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const k = unchecked(m[mid << 1]);
    if (c < k) hi = mid - 1;
    else if (c > k) lo = mid + 1;
    else return unchecked(m[(mid << 1) + 1]);
  }
  return c;
}

/** _sre.unicode_iscased */
export function isCased(c: u32): bool {
  return inTable(CASED_RANGES, c);
}

/** Adds re._casefix extra equivalents of the lowercase code point lo. */
function addFixes(s: RangeSet, lo: u32): void {
  for (let i = 0; i < CASE_FIXES.length; ) {
    const k = unchecked(CASE_FIXES[i]);
    const n = <i32>unchecked(CASE_FIXES[i + 1]);
    if (k == lo) {
      for (let j = 0; j < n; j++) {
        const v = unchecked(CASE_FIXES[i + 2 + j]);
        s.add(v, v);
      }
      return;
    }
    i += 2 + n;
  }
}

let changed: RangeSet | null = null;
let unchanged: RangeSet | null = null;
let fixKeys: Array<u32> | null = null;

/** Code points whose lowercase differs from themselves. */
function changedSet(): RangeSet {
  if (changed == null) {
    const s = new RangeSet();
    for (let i = 0; i < LOWER_MAP.length; i += 2) {
      const c = unchecked(LOWER_MAP[i]);
      s.add(c, c);
    }
    changed = s;
    unchanged = s.complement();
  }
  return changed!;
}

/** Code points that are their own lowercase. */
function unchangedSet(): RangeSet {
  changedSet();
  return unchanged!;
}

function fixesKeys(): Array<u32> {
  if (fixKeys == null) {
    const keys = new Array<u32>();
    for (let i = 0; i < CASE_FIXES.length; ) {
      keys.push(unchecked(CASE_FIXES[i]));
      i += 2 + <i32>unchecked(CASE_FIXES[i + 1]);
    }
    fixKeys = keys;
  }
  return fixKeys!;
}

/** sre's fixup of a literal or range member under IGNORECASE: lower() of each, plus fixes. */
export function fixupRange(lo: u32, hi: u32, into: RangeSet): void {
  const range = RangeSet.of(lo, hi);
  // members that are their own lowercase
  into.addSet(range.intersect(unchangedSet()));
  for (let i = 0; i < LOWER_MAP.length; i += 2) {
    const c = unchecked(LOWER_MAP[i]);
    if (c >= lo && c <= hi) {
      const l = unchecked(LOWER_MAP[i + 1]);
      into.add(l, l);
    }
  }
  // fixes: for each key present in the image, add its equivalents
  const keys = fixesKeys();
  for (let i = 0; i < keys.length; i++) {
    if (into.contains(keys[i])) addFixes(into, keys[i]);
  }
}

let inverse: Map<u32, Array<u32>> | null = null;

/** lowercase -> the other code points whose lowercase it is */
function inverseLower(): Map<u32, Array<u32>> {
  if (inverse == null) {
    const m = new Map<u32, Array<u32>>();
    for (let i = 0; i < LOWER_MAP.length; i += 2) {
      const c = unchecked(LOWER_MAP[i]);
      const l = unchecked(LOWER_MAP[i + 1]);
      if (!m.has(l)) m.set(l, new Array<u32>());
      m.get(l).push(c);
    }
    inverse = m;
  }
  return inverse!;
}

/** {ch : lower(ch) in s} */
export function preimage(s: RangeSet): RangeSet {
  if (s.size() <= 64) {
    // small sets: walk the members and the inverse map
    const out = new RangeSet();
    const inv = inverseLower();
    const r = s.r;
    for (let i = 0; i < r.length; i += 2) {
      for (let c = r[i]; c <= r[i + 1]; c++) {
        if (lower(c) == c) out.add(c, c);
        if (inv.has(c)) {
          const src = inv.get(c);
          for (let k = 0; k < src.length; k++) out.add(src[k], src[k]);
        }
      }
    }
    return out;
  }
  const out = s.intersect(unchangedSet());
  for (let i = 0; i < LOWER_MAP.length; i += 2) {
    if (s.contains(unchecked(LOWER_MAP[i + 1]))) {
      const c = unchecked(LOWER_MAP[i]);
      out.add(c, c);
    }
  }
  return out;
}

/** The extra members a non-BMP range gets under IGNORECASE: {ch : lo <= upper(lower(ch)) <= hi}. */
export function upperOfLowerIn(lo: u32, hi: u32, into: RangeSet): void {
  for (let i = 0; i < UPPER_MAP.length; i += 2) {
    const u = unchecked(UPPER_MAP[i + 1]);
    if (u >= lo && u <= hi) {
      const l = unchecked(UPPER_MAP[i]); // a code point whose upper is in range
      // every ch with lower(ch) == l
      if (lower(l) == l) {
        into.add(l, l);
        into.addSet(preimage(RangeSet.of(l, l)));
      }
    }
  }
}

const foldedCache = new Map<u32, RangeSet>();

/** The set of code points that a literal c matches under IGNORECASE. Shared: do not modify. */
export function literalFolded(c: u32): RangeSet {
  if (!isCased(c)) return RangeSet.of(c, c);
  if (foldedCache.has(c)) return foldedCache.get(c);
  const r = literalFoldedUncached(c);
  foldedCache.set(c, r);
  return r;
}

function literalFoldedUncached(c: u32): RangeSet {
  const lo = lower(c);
  const s = RangeSet.of(lo, lo);
  addFixes(s, lo);
  return preimage(s);
}
