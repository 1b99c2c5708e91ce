// Where a text may hold something the decoders would decode, found with SIMD
// (16 bytes at a time) over the UTF-8 bytes a scan already wrote.
//
// Contract: for each kind, every place the corresponding decoder in
// src/core/normalize/decode.ts could match lies inside a reported region of
// that kind (or, for the trigger kinds, the text holds the trigger at all).
// Regions may over-report (English words can form a long hex-ish run), never
// miss. With no bit set, no decoder can find anything: the caller can skip
// decoding. Regions are (kind, start, end) in UTF-16 units.
//
//   K_B64   a run of >= 16 base64/base64url alphabet characters [A-Za-z0-9+/_=-] (padding included)
//   K_HEX   a run of >= 16 characters of [0-9A-Fa-fxX :] (hex digits, a 0x prefix, spaced or colon pairs)
//   K_PCT   '%' somewhere            K_AMP  '&' somewhere
//   K_BSL   '\' somewhere            K_TAG  a Unicode tag character (U+E0000 block)
// Trigger kinds report one region: the first occurrence to the end of text.

export const K_B64: u32 = 1;
export const K_HEX: u32 = 2;
export const K_PCT: u32 = 4;
export const K_AMP: u32 = 8;
export const K_BSL: u32 = 16;
export const K_TAG: u32 = 32;
/** set in the result when there were more regions than room (treat the whole text as a candidate) */
export const K_OVERFLOW: u32 = 0x80000000;

/** Shortest run that can hold a base64 or hex payload the decoders accept (their regexes need 16). */
export const MIN_RUN: u32 = 16;

/**
 * Scans [inp, inp+len); writes up to `max` regions as (kind, start, end)
 * triples at `out`; returns the kinds present (| K_OVERFLOW) and sets
 * `regionCount`.
 */
export function decodeHints(inp: usize, len: u32, out: usize, max: u32): u32 {
  let kinds: u32 = 0;
  regionCount = 0;
  let u16: u32 = 0; // UTF-16 offset of the current block's first byte
  let b64Run: u32 = 0;
  let b64Start: u32 = 0;
  let hexRun: u32 = 0;
  let hexStart: u32 = 0;
  let i: u32 = 0;
  let overflow = false;
  while (i < len) {
    const n: u32 = len - i >= 16 ? 16 : len - i;
    let mB64: u32;
    let mHex: u32;
    let mTrig: u32;
    let mCont: u32;
    let mLead4: u32;
    if (n == 16) {
      const v = v128.load(inp + i);
      const digit = v128.and(i8x16.ge_u(v, i8x16.splat(0x30)), i8x16.le_u(v, i8x16.splat(0x39)));
      const lower = v128.or(v, i8x16.splat(0x20));
      const alpha = v128.and(i8x16.ge_u(lower, i8x16.splat(0x61)), i8x16.le_u(lower, i8x16.splat(0x7a)));
      const hexAlpha = v128.and(i8x16.ge_u(lower, i8x16.splat(0x61)), i8x16.le_u(lower, i8x16.splat(0x66)));
      const b64Extra = v128.or(v128.or(v128.or(i8x16.eq(v, i8x16.splat(0x2b)), i8x16.eq(v, i8x16.splat(0x2f))), v128.or(i8x16.eq(v, i8x16.splat(0x5f)), i8x16.eq(v, i8x16.splat(0x2d)))), i8x16.eq(v, i8x16.splat(0x3d)));
      const hexExtra = v128.or(v128.or(i8x16.eq(v, i8x16.splat(0x20)), i8x16.eq(v, i8x16.splat(0x3a))), i8x16.eq(lower, i8x16.splat(0x78)));
      const trig = v128.or(v128.or(i8x16.eq(v, i8x16.splat(0x25)), i8x16.eq(v, i8x16.splat(0x26))), v128.or(i8x16.eq(v, i8x16.splat(0x5c)), i8x16.eq(v, i8x16.splat(<i8>0xf3))));
      mB64 = <u32>i8x16.bitmask(v128.or(v128.or(digit, alpha), b64Extra));
      mHex = <u32>i8x16.bitmask(v128.or(v128.or(digit, hexAlpha), hexExtra));
      mTrig = <u32>i8x16.bitmask(trig);
      mCont = <u32>i8x16.bitmask(v128.and(i8x16.ge_u(v, i8x16.splat(<i8>0x80)), i8x16.le_u(v, i8x16.splat(<i8>0xbf))));
      mLead4 = <u32>i8x16.bitmask(i8x16.ge_u(v, i8x16.splat(<i8>0xf0)));
    } else {
      mB64 = 0;
      mHex = 0;
      mTrig = 0;
      mCont = 0;
      mLead4 = 0;
      for (let k: u32 = 0; k < n; k++) {
        const b = <u32>load<u8>(inp + i + k);
        const lo = b | 0x20;
        const isDigit = b >= 0x30 && b <= 0x39;
        if (isDigit || (lo >= 0x61 && lo <= 0x7a) || b == 0x2b || b == 0x2f || b == 0x5f || b == 0x2d || b == 0x3d) mB64 |= 1 << k;
        if (isDigit || (lo >= 0x61 && lo <= 0x66) || b == 0x20 || b == 0x3a || lo == 0x78) mHex |= 1 << k;
        if (b == 0x25 || b == 0x26 || b == 0x5c || b == 0xf3) mTrig |= 1 << k;
        if (b >= 0x80 && b <= 0xbf) mCont |= 1 << k;
        if (b >= 0xf0) mLead4 |= 1 << k;
      }
    }
    const full: u32 = n == 16 ? 0xffff : (<u32>1 << n) - 1;
    // runs: a block all in the alphabet extends the run; otherwise walk its bits
    if (mB64 == full && b64Run > 0) b64Run += n;
    else {
      for (let k: u32 = 0; k < n; k++) {
        if ((mB64 >> k) & 1) {
          if (b64Run == 0) b64Start = u16At(u16, mCont, mLead4, k);
          b64Run++;
        } else {
          if (b64Run >= MIN_RUN) overflow = add(out, max, K_B64, b64Start, u16At(u16, mCont, mLead4, k)) || overflow;
          if (b64Run >= MIN_RUN) kinds |= K_B64;
          b64Run = 0;
        }
      }
    }
    if (mHex == full && hexRun > 0) hexRun += n;
    else {
      for (let k: u32 = 0; k < n; k++) {
        if ((mHex >> k) & 1) {
          if (hexRun == 0) hexStart = u16At(u16, mCont, mLead4, k);
          hexRun++;
        } else {
          if (hexRun >= MIN_RUN) {
            overflow = add(out, max, K_HEX, hexStart, u16At(u16, mCont, mLead4, k)) || overflow;
            kinds |= K_HEX;
          }
          hexRun = 0;
        }
      }
    }
    if (mTrig != 0) {
      let m = mTrig;
      while (m != 0) {
        const k = ctz(m);
        m &= m - 1;
        const b = <u32>load<u8>(inp + i + k);
        let kind: u32 = 0;
        if (b == 0x25) kind = K_PCT;
        else if (b == 0x26) kind = K_AMP;
        else if (b == 0x5c) kind = K_BSL;
        else if (i + k + 1 < len && load<u8>(inp + i + k + 1) == 0xa0) kind = K_TAG; // U+E0000..E0FFF
        if (kind != 0 && (kinds & kind) == 0) {
          kinds |= kind;
          firstAt[trigIndex(kind)] = u16At(u16, mCont, mLead4, k);
        }
      }
    }
    // UTF-16 units in this block: every non-continuation byte, plus one for each 4-byte lead
    u16 += n - <u32>popcnt(mCont) + <u32>popcnt(mLead4);
    i += n;
  }
  if (b64Run >= MIN_RUN) {
    overflow = add(out, max, K_B64, b64Start, u16) || overflow;
    kinds |= K_B64;
  }
  if (hexRun >= MIN_RUN) {
    overflow = add(out, max, K_HEX, hexStart, u16) || overflow;
    kinds |= K_HEX;
  }
  for (let t = 0; t < 4; t++) {
    const kind: u32 = K_PCT << <u32>t;
    if ((kinds & kind) != 0) overflow = add(out, max, kind, firstAt[t], u16) || overflow;
  }
  return overflow ? kinds | K_OVERFLOW : kinds;
}

/** Regions written by the last decodeHints(). */
export let regionCount: u32 = 0;

const firstAt = new StaticArray<u32>(4);

// @ts-ignore: decorator
@inline
function trigIndex(kind: u32): i32 {
  return kind == K_PCT ? 0 : kind == K_AMP ? 1 : kind == K_BSL ? 2 : 3;
}

/** The UTF-16 offset of byte k of a block whose first byte is at UTF-16 offset u16. */
// @ts-ignore: decorator
@inline
function u16At(u16: u32, mCont: u32, mLead4: u32, k: u32): u32 {
  const below: u32 = (<u32>1 << k) - 1;
  return u16 + k - <u32>popcnt(mCont & below) + <u32>popcnt(mLead4 & below);
}

/** Appends a region; true when there was no room (the caller reports overflow). */
function add(out: usize, max: u32, kind: u32, start: u32, end: u32): bool {
  if (regionCount >= max) return true;
  const at = out + (<usize>regionCount * 12);
  store<u32>(at, kind);
  store<u32>(at, start, 4);
  store<u32>(at, end, 8);
  regionCount++;
  return false;
}
