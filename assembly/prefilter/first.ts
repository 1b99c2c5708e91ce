// Each pattern's first bytes: the bytes a match can start with.
//
// Contract: if get(p) is not null, every match of pattern p starts with a
// byte b where get(p)[b] != 0 (ASCII members of the first classes, and every
// UTF-8 lead byte when a first class has non-ASCII members); null means any
// byte may start a match (or the pattern can match the empty string). Kept
// as 32-byte bitmaps (the stored form, meta/serial.ts) and expanded to
// 256-entry tables on first use: only the Pike VM and the idle skip of small
// DFAs read them.

export class FirstSets {
  /** 32 bytes per pattern */
  bits: Array<u8> = new Array<u8>();
  /** per pattern: 1 when it has a set */
  has: Array<u8> = new Array<u8>();
  private cache: Array<StaticArray<u8> | null> = new Array<StaticArray<u8> | null>();
  private known: Array<u8> = new Array<u8>();

  get length(): i32 {
    return this.has.length;
  }

  /** Appends a pattern's table (256 entries, or null). */
  push(t: StaticArray<u8> | null): void {
    this.has.push(t == null ? 0 : 1);
    for (let k = 0; k < 256; k += 8) {
      let byte: u32 = 0;
      if (t != null) for (let j = 0; j < 8; j++) byte |= <u32>t[k + j] << j;
      this.bits.push(<u8>byte);
    }
    this.cache.push(t);
    this.known.push(1);
  }

  /** Appends `n` patterns from the stored form at p: n flags, then 32 bytes per pattern that has a set. Returns the end. */
  read(p: usize, n: i32): usize {
    let at = p;
    for (let i = 0; i < n; i++) {
      const h = load<u8>(at++);
      this.has.push(h);
      for (let k = 0; k < 32; k++) this.bits.push(h != 0 ? load<u8>(at + k) : 0);
      if (h != 0) at += 32;
      this.cache.push(null);
      this.known.push(0);
    }
    return at;
  }

  /** The 256-entry table of pattern p, or null (see the contract above). */
  get(p: i32): StaticArray<u8> | null {
    if (unchecked(this.known[p]) != 0) return unchecked(this.cache[p]);
    let t: StaticArray<u8> | null = null;
    if (this.has[p] != 0) {
      const u = new StaticArray<u8>(256);
      for (let k = 0; k < 32; k++) {
        const byte = <u32>this.bits[p * 32 + k];
        for (let j = 0; j < 8; j++) u[k * 8 + j] = <u8>((byte >> j) & 1);
      }
      t = u;
    }
    this.cache[p] = t;
    this.known[p] = 1;
    return t;
  }
}
