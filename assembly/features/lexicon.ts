// The security lexicon for L2's concept features (src/core/l2/lexicon.ts
// holds the words and explains the idea). Loaded once per instance from
// bytes: entries of u8 length, the UTF-8 bytes, u8 concept id, u8 prefix
// flag. Looked up by FNV hash of the (lower-cased) bytes in an
// open-addressing table; a 32-bit hash collision could make a word count as
// a concept, which only adds one feature (never a detection on its own).

const LEX_BITS: i32 = 12;
const LEX_SIZE: i32 = 1 << LEX_BITS;
const SEED_LEX: u32 = 0x2545f491;
/** Longest prefix or in-run entry tried, in bytes. */
export const LEX_MAX_BYTES: u32 = 24;

let lexKeys = new StaticArray<u32>(0);
// low byte: concept of an exact entry; high byte: concept of a prefix entry
let lexVals = new StaticArray<u16>(0);
let lexCount: i32 = 0;

// @ts-ignore: decorator
@inline
export function lexHash(p: usize, n: u32): u32 {
  let h: u32 = 2166136261 ^ SEED_LEX;
  for (let i: u32 = 0; i < n; i++) h = (h ^ <u32>load<u8>(p + i)) * 16777619;
  return h == 0 ? 1 : h;
}

/** Loads the lexicon from `len` bytes at `p`; returns the number of entries (-1 when malformed or too many). */
export function lexLoad(p: usize, len: u32): i32 {
  lexKeys = new StaticArray<u32>(LEX_SIZE);
  lexVals = new StaticArray<u16>(LEX_SIZE);
  lexCount = 0;
  let i: u32 = 0;
  while (i < len) {
    const n = <u32>load<u8>(p + i);
    if (n == 0 || i + 1 + n + 2 > len) return -1;
    const h = lexHash(p + i + 1, n);
    const concept = <u16>load<u8>(p + i + 1 + n);
    const prefix = load<u8>(p + i + 2 + n) != 0;
    let slot = <i32>(h & <u32>(LEX_SIZE - 1));
    while (unchecked(lexKeys[slot]) != 0 && unchecked(lexKeys[slot]) != h) slot = (slot + 1) & (LEX_SIZE - 1);
    if (unchecked(lexKeys[slot]) == 0) {
      if (lexCount >= LEX_SIZE / 2) return -1;
      lexCount++;
      unchecked((lexKeys[slot] = h));
    }
    const v = unchecked(lexVals[slot]);
    unchecked((lexVals[slot] = prefix ? (v & 0xff) | (concept << 8) : (v & 0xff00) | concept));
    i += n + 3;
  }
  return lexCount;
}

export function lexLoaded(): bool {
  return lexCount > 0;
}

function find(h: u32): u16 {
  let slot = <i32>(h & <u32>(LEX_SIZE - 1));
  while (true) {
    const k = unchecked(lexKeys[slot]);
    if (k == 0) return 0;
    if (k == h) return unchecked(lexVals[slot]);
    slot = (slot + 1) & (LEX_SIZE - 1);
  }
}

/** The concept of the word at [p, p+n): an exact entry, else the longest prefix entry; 0 when none. */
export function lexWord(p: usize, n: u32): u32 {
  const exact = <u32>find(lexHash(p, n)) & 0xff;
  if (exact != 0) return exact;
  let k = n < LEX_MAX_BYTES ? n : LEX_MAX_BYTES;
  for (; k >= 2; k--) {
    const v = <u32>find(lexHash(p, k)) >> 8;
    if (v != 0) return v;
  }
  return 0;
}

/** The concept of an exact entry spelled by [p, p+n) (used inside runs of CJK characters); 0 when none. */
export function lexExact(p: usize, n: u32): u32 {
  return <u32>find(lexHash(p, n)) & 0xff;
}
