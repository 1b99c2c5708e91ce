// RangeSet: a set of code points as sorted, disjoint, non-adjacent inclusive
// ranges [lo0, hi0, lo1, hi1, ...]. Used at compile time only.

export const MAX_CP: u32 = 0x10FFFF;

export class RangeSet {
  r: Array<u32> = new Array<u32>();

  static of(lo: u32, hi: u32): RangeSet {
    const s = new RangeSet();
    s.r.push(lo);
    s.r.push(hi);
    return s;
  }

  static fromTable(t: StaticArray<u32>): RangeSet {
    const s = new RangeSet();
    for (let i = 0; i < t.length; i++) s.r.push(unchecked(t[i]));
    return s;
  }

  get count(): i32 {
    return this.r.length >> 1;
  }

  isEmpty(): bool {
    return this.r.length == 0;
  }

  clone(): RangeSet {
    const s = new RangeSet();
    for (let i = 0; i < this.r.length; i++) s.r.push(this.r[i]);
    return s;
  }

  /** Adds [lo, hi], keeping the list sorted and merged. */
  add(lo: u32, hi: u32): void {
    const r = this.r;
    const out = new Array<u32>();
    let i = 0;
    const n = r.length;
    // ranges entirely before (and not adjacent)
    while (i < n && r[i + 1] + 1 < lo) {
      out.push(r[i]);
      out.push(r[i + 1]);
      i += 2;
    }
    let nlo = lo;
    let nhi = hi;
    while (i < n && r[i] <= nhi + 1) {
      if (r[i] < nlo) nlo = r[i];
      if (r[i + 1] > nhi) nhi = r[i + 1];
      i += 2;
    }
    out.push(nlo);
    out.push(nhi);
    while (i < n) {
      out.push(r[i]);
      out.push(r[i + 1]);
      i += 2;
    }
    this.r = out;
  }

  addSet(o: RangeSet): void {
    for (let i = 0; i < o.r.length; i += 2) this.add(o.r[i], o.r[i + 1]);
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
        s.r.push(next);
        s.r.push(r[i] - 1);
      }
      next = r[i + 1] + 1;
    }
    if (next <= MAX_CP) {
      s.r.push(next);
      s.r.push(MAX_CP);
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
        out.r.push(lo);
        out.r.push(hi);
      }
      if (a[i + 1] < b[j + 1]) i += 2;
      else j += 2;
    }
    return out;
  }

  /** Removes the single code point c. */
  remove(c: u32): void {
    if (!this.contains(c)) return;
    const out = new RangeSet();
    const r = this.r;
    for (let i = 0; i < r.length; i += 2) {
      const lo = r[i];
      const hi = r[i + 1];
      if (c < lo || c > hi) {
        out.r.push(lo);
        out.r.push(hi);
        continue;
      }
      if (lo < c) {
        out.r.push(lo);
        out.r.push(c - 1);
      }
      if (c < hi) {
        out.r.push(c + 1);
        out.r.push(hi);
      }
    }
    this.r = out.r;
  }

  /** True when the set holds exactly one code point. */
  single(): i64 {
    if (this.r.length == 2 && this.r[0] == this.r[1]) return <i64>this.r[0];
    return -1;
  }

  size(): u64 {
    let n: u64 = 0;
    for (let i = 0; i < this.r.length; i += 2) n += <u64>(this.r[i + 1] - this.r[i] + 1);
    return n;
  }
}
