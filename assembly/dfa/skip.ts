// The idle skip of a lazy DFA (dfa/lazy.ts): in a state with no thread in
// flight, bytes no pattern can start with only change the look-behind flags,
// so the DFA jumps to just before the next byte that can start a match.
//
// Contract: next(inp, i, len) is the first position >= i whose byte is in
// the first-byte set (or len); it never skips such a byte. ASCII bytes are
// tested 16 at a time with two swizzles (the byte's low nibble selects a
// mask of high nibbles, which its high nibble must hit); when the set has
// any byte >= 0x80, every such byte counts as a candidate.

export class IdleSkip {
  first: StaticArray<u8>;
  lo: v128;
  hi: v128;
  high: bool;

  constructor(first: StaticArray<u8>, lo: v128, hi: v128, high: bool) {
    this.first = first;
    this.lo = lo;
    this.hi = hi;
    this.high = high;
  }

  /** The skip for a 256-entry first-byte table, or null when it holds more than `most` bytes (skipping would rarely pay). */
  static of(first: StaticArray<u8>, most: i32): IdleSkip | null {
    let m = 0;
    for (let b = 0; b < 256; b++) m += first[b];
    if (m > most) return null;
    const lo = new StaticArray<u8>(16);
    const hi = new StaticArray<u8>(16);
    for (let h = 0; h < 8; h++) hi[h] = <u8>(<i32>1 << h);
    let high = false;
    for (let b = 0; b < 256; b++) {
      if (first[b] == 0) continue;
      if (b >= 0x80) high = true;
      else lo[b & 15] |= <u8>(<i32>1 << (b >> 4));
    }
    return new IdleSkip(first, v128.load(changetype<usize>(lo)), v128.load(changetype<usize>(hi)), high);
  }

  /** The first position >= i holding a byte some match can start with (or len). */
  next(inp: usize, i0: u32, len: u32): u32 {
    let i = i0;
    const lo = this.lo;
    const hi = this.hi;
    const high = this.high;
    const nib = i8x16.splat(0x0f);
    while (i + 16 <= len) {
      const v = v128.load(inp + i);
      let m = v128.and(i8x16.swizzle(lo, v128.and(v, nib)), i8x16.swizzle(hi, i8x16.shr_u(v, 4)));
      if (high) m = v128.or(m, i8x16.lt_s(v, i8x16.splat(0)));
      const bits = i8x16.bitmask(i8x16.ne(m, i8x16.splat(0)));
      if (bits != 0) return i + <u32>ctz(bits);
      i += 16;
    }
    const f = this.first;
    while (i < len && unchecked(f[load<u8>(inp + i)]) == 0) i++;
    return i;
  }
}
