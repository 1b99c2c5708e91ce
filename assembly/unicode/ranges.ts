// RangeSet: a set of code points as sorted, disjoint, non-adjacent inclusive
// ranges [lo0, hi0, lo1, hi1, ...]. Used at compile time only.
//
// add() appends in O(1); the list is sorted and merged lazily, on the first
// read after a change, so building a set from n ranges is O(n log n).

export const MAX_CP: u32 = 0x10FFFF;

export class RangeSet {
  private _r: Array<u32> = new Array<u32>();
  private dirty: bool = false;

  static of(lo: u32, hi: u32): RangeSet {
    const s = new RangeSet();
    s._r.push(lo);
    s._r.push(hi);
    return s;
  }

  static fromTable(t: StaticArray<u32>): RangeSet {
    const s = new RangeSet();
    for (let i = 0; i < t.length; i++) s._r.push(unchecked(t[i]));
    return s;
  }

  /** The canonical range list (read only). */
  get r(): Array<u32> {
    if (this.dirty) this.normalize();
    return this._r;
  }

  private normalize(): void {
    const src = this._r;
    const n = src.length >> 1;
    const keys = new Array<u64>(n);
    for (let i = 0; i < n; i++) keys[i] = (<u64>src[i << 1] << 32) | <u64>src[(i << 1) + 1];
    keys.sort((a: u64, b: u64): i32 => (a < b ? -1 : a > b ? 1 : 0));
    const out = new Array<u32>();
    for (let i = 0; i < n; i++) {
      const lo = <u32>(keys[i] >> 32);
      const hi = <u32>(keys[i] & 0xffffffff);
      const m = out.length;
      if (m > 0 && <u64>lo <= <u64>out[m - 1] + 1) {
        if (hi > out[m - 1]) out[m - 1] = hi;
      } else {
        out.push(lo);
        out.push(hi);
      }
    }
    this._r = out;
    this.dirty = false;
  }

  isEmpty(): bool {
    return this._r.length == 0;
  }

  /** Adds [lo, hi]. */
  add(lo: u32, hi: u32): void {
    this._r.push(lo);
    this._r.push(hi);
    this.dirty = true;
  }

  addSet(o: RangeSet): void {
    const r = o.r;
    for (let i = 0; i < r.length; i++) this._r.push(r[i]);
    this.dirty = true;
  }

  contains(c: u32): bool {
    const r = this.r;
    let lo = 0;
    let hi = (r.length >> 1) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (c < r[mid << 1]) hi = mid - 1;
      else if (c > r[(mid << 1) + 1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  complement(): RangeSet {
    const s = new RangeSet();
    let next: u32 = 0;
    const r = this.r;
    for (let i = 0; i < r.length; i += 2) {
      if (r[i] > next) {
        s._r.push(next);
        s._r.push(r[i] - 1);
      }
      next = r[i + 1] + 1;
    }
    if (next <= MAX_CP) {
      s._r.push(next);
      s._r.push(MAX_CP);
    }
    return s;
  }

  /** The code points in both sets. */
  intersect(o: RangeSet): RangeSet {
    const out = new RangeSet();
    const a = this.r;
    const b = o.r;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const lo = a[i] > b[j] ? a[i] : b[j];
      const hi = a[i + 1] < b[j + 1] ? a[i + 1] : b[j + 1];
      if (lo <= hi) {
        out._r.push(lo);
        out._r.push(hi);
      }
      if (a[i + 1] < b[j + 1]) i += 2;
      else j += 2;
    }
    return out;
  }

  /** Number of code points. */
  size(): u64 {
    const r = this.r;
    let n: u64 = 0;
    for (let i = 0; i < r.length; i += 2) n += <u64>(r[i + 1] - r[i] + 1);
    return n;
  }
}
