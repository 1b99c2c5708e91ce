// Aho-Corasick over folded bytes, as a full DFA on byte classes.
//
// Built once per pattern set from every pattern's required literals. One pass
// over the text marks the patterns whose literals occur ("candidates"). The
// text is folded on the fly exactly as prefilter/literals.ts folds literals.

export class AhoCorasick {
  /** byte -> class (ASCII upper case maps to its lower-case letter's class). */
  cmap: StaticArray<u32> = new StaticArray<u32>(256);
  nclasses: u32 = 1;
  /**
   * trans[state * nclasses + class] = next state, already multiplied by
   * nclasses, with bit 31 set when that state has outputs.
   */
  trans: StaticArray<u32> = new StaticArray<u32>(0);
  /** per state: its own outputs are outIds[outOff[s] .. outOff[s+1]) */
  outOff: StaticArray<u32> = new StaticArray<u32>(0);
  outIds: StaticArray<u32> = new StaticArray<u32>(0);
  /** per state: the nearest proper suffix state with outputs, or 0xFFFFFFFF. */
  dictLink: StaticArray<u32> = new StaticArray<u32>(0);
  /** per state: scan stamp, so each state's outputs are reported once a scan. */
  stamp: StaticArray<u32> = new StaticArray<u32>(0);
  nstates: u32 = 0;

  /** lits[i] is a folded ASCII literal that marks pattern ids[i]. */
  build(lits: Array<string>, ids: Array<u32>): void {
    // byte classes
    const cmap = this.cmap;
    let k: u32 = 1;
    for (let i = 0; i < lits.length; i++) {
      const s = lits[i];
      for (let j = 0; j < s.length; j++) {
        const b = <u32>s.charCodeAt(j);
        if (cmap[b] == 0) cmap[b] = k++;
      }
    }
    for (let b: u32 = 0x41; b <= 0x5a; b++) cmap[b] = cmap[b + 32];
    this.nclasses = k;
    // trie
    const goto = new Array<i32>();
    for (let c: u32 = 0; c < k; c++) goto.push(-1);
    const own = new Array<Array<u32>>();
    own.push(new Array<u32>());
    let n = 1;
    for (let i = 0; i < lits.length; i++) {
      const s = lits[i];
      let st = 0;
      for (let j = 0; j < s.length; j++) {
        const c = <i32>cmap[s.charCodeAt(j)];
        let nx = goto[st * k + c];
        if (nx < 0) {
          nx = n++;
          goto[st * k + c] = nx;
          for (let q: u32 = 0; q < k; q++) goto.push(-1);
          own.push(new Array<u32>());
        }
        st = nx;
      }
      if (!own[st].includes(ids[i])) own[st].push(ids[i]);
    }
    // BFS: failure links, DFA completion, dictionary links
    const fail = new StaticArray<u32>(n);
    const dict = new StaticArray<u32>(n);
    const has = new StaticArray<u8>(n);
    dict[0] = 0xffffffff;
    const queue = new Array<i32>();
    for (let c: u32 = 0; c < k; c++) {
      const nx = goto[c];
      if (nx < 0) goto[c] = 0;
      else {
        fail[nx] = 0;
        dict[nx] = 0xffffffff;
        queue.push(nx);
      }
    }
    let qi = 0;
    while (qi < queue.length) {
      const s = queue[qi++];
      const f = fail[s];
      if (own[s].length > 0) has[s] = 1;
      for (let c: u32 = 0; c < k; c++) {
        const nx = goto[s * k + c];
        const fx = goto[f * k + c];
        if (nx < 0) goto[s * k + c] = fx;
        else {
          fail[nx] = <u32>fx;
          dict[nx] = own[fx].length > 0 ? <u32>fx : dict[fx];
          queue.push(nx);
        }
      }
      if (dict[s] != 0xffffffff) has[s] = 1;
    }
    // flatten
    const trans = new StaticArray<u32>(n * k);
    for (let i = 0; i < n * <i32>k; i++) trans[i] = (<u32>goto[i] * k) | (<u32>has[goto[i]] << 31);
    let total = 0;
    for (let s = 0; s < n; s++) total += own[s].length;
    const off = new StaticArray<u32>(n + 1);
    const out = new StaticArray<u32>(total);
    let p: u32 = 0;
    for (let s = 0; s < n; s++) {
      off[s] = p;
      for (let j = 0; j < own[s].length; j++) out[p++] = own[s][j];
    }
    off[n] = p;
    this.trans = trans;
    this.outOff = off;
    this.outIds = out;
    this.dictLink = dict;
    this.stamp = new StaticArray<u32>(n);
    this.nstates = <u32>n;
  }

  /**
   * Marks candidates: for every literal that occurs in the folded text at
   * [inp, inp+len), tagged (pattern << 2 | set), sets candStamp[pattern] =
   * scanId and bit `set` of candMask[pattern]. Returns the work done.
   */
  scan(inp: usize, len: u32, scanId: u32, candStamp: StaticArray<u32>, candMask: StaticArray<u8>): u32 {
    const k = this.nclasses;
    const cmap = this.cmap;
    const trans = this.trans;
    let st: u32 = 0;
    let i: u32 = 0;
    while (i < len) {
      let b = <u32>load<u8>(inp + i);
      i++;
      if (b >= 0x80) {
        const f = foldSpecial(inp, i, len, b);
        if (f != b) {
          b = f;
          i += f == 0x6b ? 2 : 1; // skip the folded char's continuation bytes
        }
      }
      st = unchecked(trans[(st & 0x7fffffff) + unchecked(cmap[b])]);
      if (<i32>st < 0) this.report((st & 0x7fffffff) / k, scanId, candStamp, candMask);
    }
    return len;
  }

  private report(s0: u32, scanId: u32, candStamp: StaticArray<u32>, candMask: StaticArray<u8>): void {
    let s = s0;
    while (s != 0xffffffff) {
      if (unchecked(this.stamp[s]) == scanId) return; // this suffix chain is done
      unchecked((this.stamp[s] = scanId));
      const end = unchecked(this.outOff[s + 1]);
      for (let j = unchecked(this.outOff[s]); j < end; j++) {
        const tag = unchecked(this.outIds[j]);
        const p = tag >> 2;
        if (unchecked(candStamp[p]) != scanId) {
          unchecked((candStamp[p] = scanId));
          unchecked((candMask[p] = 0));
        }
        unchecked((candMask[p] |= <u8>(<u32>1 << (tag & 3))));
      }
      s = unchecked(this.dictLink[s]);
    }
  }
}

/**
 * Folds the UTF-8 lead byte b (the next byte is at inp+i) of a non-ASCII
 * sequence: the four code points that IGNORECASE equates with ASCII letters
 * become those letters; any other byte maps to itself (class 0).
 * Continuation bytes are left in place: they map to class 0 too.
 */
// @ts-ignore: decorator
@inline
function foldSpecial(inp: usize, i: u32, len: u32, b: u32): u32 {
  if (i < len) {
    const b1 = <u32>load<u8>(inp + i);
    if (b == 0xc4 && (b1 == 0xb0 || b1 == 0xb1)) return 0x69; // İ ı
    if (b == 0xc5 && b1 == 0xbf) return 0x73; // ſ
    if (b == 0xe2 && b1 == 0x84 && i + 1 < len && load<u8>(inp + i + 1) == 0xaa) return 0x6b; // K
  }
  return b;
}
