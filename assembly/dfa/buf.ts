// A growable u32 buffer in memory the DFA manages itself (heap.alloc /
// realloc / free): its caches grow and are cleared on every scan path, and
// with the engine's minimal runtime garbage would only be reclaimed when the
// host asks. Explicit frees keep the instance's memory at what is live.

export class U32Buf {
  ptr: usize = 0;
  len: i32 = 0;
  cap: i32 = 0;

  constructor(cap: i32 = 16) {
    this.reserve(cap);
  }

  /** Makes room for at least `n` entries in all (keeps the contents). */
  reserve(n: i32): void {
    if (n <= this.cap) return;
    let c = this.cap < 16 ? 16 : this.cap;
    while (c < n) c <<= 1;
    this.ptr = this.ptr == 0 ? heap.alloc(<usize>c << 2) : heap.realloc(this.ptr, <usize>c << 2);
    this.cap = c;
  }

  // @ts-ignore: decorator
  @inline push(v: u32): void {
    if (this.len == this.cap) this.reserve(this.len + 1);
    store<u32>(this.ptr + (<usize>this.len << 2), v);
    this.len++;
  }

  // @ts-ignore: decorator
  @inline get(i: i32): u32 {
    return load<u32>(this.ptr + (<usize>i << 2));
  }

  // @ts-ignore: decorator
  @inline set(i: i32, v: u32): void {
    store<u32>(this.ptr + (<usize>i << 2), v);
  }

  // @ts-ignore: decorator
  @inline pop(): u32 {
    this.len--;
    return load<u32>(this.ptr + (<usize>this.len << 2));
  }

  /** Bytes held. */
  get bytes(): i32 {
    return this.cap << 2;
  }

  /** Frees the memory (the buffer is empty and unusable until reserve()). */
  free(): void {
    if (this.ptr != 0) heap.free(this.ptr);
    this.ptr = 0;
    this.len = 0;
    this.cap = 0;
  }

  /** Shrinks the allocation back to `cap` entries when it is larger (contents dropped). */
  reset(cap: i32): void {
    this.len = 0;
    if (this.cap > cap && this.ptr != 0) {
      heap.free(this.ptr);
      this.ptr = heap.alloc(<usize>cap << 2);
      this.cap = cap;
    }
  }
}

/** Sorts buf[0..len) ascending and drops duplicates (scratch: a buffer of at least len entries). */
export function sortUnique(b: U32Buf, scratch: U32Buf): void {
  const n = b.len;
  if (n < 2) return;
  const a = b.ptr;
  if (n <= 32) {
    for (let i = 1; i < n; i++) {
      const v = load<u32>(a + (<usize>i << 2));
      let j = i - 1;
      while (j >= 0 && load<u32>(a + (<usize>j << 2)) > v) {
        store<u32>(a + (<usize>(j + 1) << 2), load<u32>(a + (<usize>j << 2)));
        j--;
      }
      store<u32>(a + (<usize>(j + 1) << 2), v);
    }
  } else {
    // bottom-up merge sort between a and the scratch buffer
    scratch.reserve(n);
    let src = a;
    let dst = scratch.ptr;
    for (let w = 1; w < n; w <<= 1) {
      for (let lo = 0; lo < n; lo += w << 1) {
        const mid = min(lo + w, n);
        const hi = min(lo + (w << 1), n);
        let i = lo;
        let j = mid;
        let o = lo;
        while (i < mid && j < hi) {
          const x = load<u32>(src + (<usize>i << 2));
          const y = load<u32>(src + (<usize>j << 2));
          if (x <= y) {
            store<u32>(dst + (<usize>o << 2), x);
            i++;
          } else {
            store<u32>(dst + (<usize>o << 2), y);
            j++;
          }
          o++;
        }
        while (i < mid) {
          store<u32>(dst + (<usize>o << 2), load<u32>(src + (<usize>i << 2)));
          o++;
          i++;
        }
        while (j < hi) {
          store<u32>(dst + (<usize>o << 2), load<u32>(src + (<usize>j << 2)));
          o++;
          j++;
        }
      }
      const t = src;
      src = dst;
      dst = t;
    }
    if (src != a) memory.copy(a, src, <usize>n << 2);
  }
  let w = 1;
  for (let i = 1; i < n; i++) {
    const v = load<u32>(a + (<usize>i << 2));
    if (v != load<u32>(a + (<usize>(w - 1) << 2))) {
      store<u32>(a + (<usize>w << 2), v);
      w++;
    }
  }
  b.len = w;
}
