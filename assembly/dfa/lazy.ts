// A lazy DFA over a set of patterns that answers, exactly, "which of these
// patterns match somewhere in the text".
//
// Contract: scan() reports pattern p iff Python's re.search(p, text) finds a
// match (exact, never a superset) -- unless it gives up (returns a position
// before the end): then every match that ends before that position has been
// reported, and the state there (flags and kernel) is handed to the caller,
// which continues with other automata (meta/tree.ts). It finds no spans: the
// Pike VM does that, only for patterns reported here.
//
// A state is the set of NFA threads in flight just after a code point was
// consumed ("kernel": the pcs after the CLASS instructions that consumed it),
// plus what the assertions need to know about that code point (start of
// text, \w or not, "\n" or not), plus the patterns whose MATCH was reached
// just before it. The epsilon closure is taken lazily, when the next code
// point is known, so \b, \B, ^, $, \A and \Z are evaluated exactly. One case
// needs two code points of look-ahead: Python's $ before a "\n" holds only if
// that "\n" ends the text. Threads that went through such a $ are carried in
// the kernel marked EOI_ONLY and survive only if the text ends right there.
//
// The search is unanchored: every pattern's start is added at each position.
// That part of each step depends only on the previous code point's flags and
// the next code point's class, so it is computed once per (flags, class) and
// cached as a shared "root set"; a state stores its root set's id plus the
// threads beyond it, which keeps states small.
//
// Empty iterations (Python's rule that a loop iteration matching "" ends the
// loop) only prune paths that reach the same (position, pc) another way, so
// they do not change which patterns match; BACK is followed both ways.
//
// The cache is bounded (maxBytes): when it is full it is cleared and rebuilt
// from the current state, unless fewer than MIN_BYTES_PER_STATE bytes per
// cached state were scanned since the last clear: then the DFA is thrashing
// (building states instead of reusing them) and gives up. Its memory is
// managed by hand (dfa/buf.ts), so clearing and growing leave no garbage.
//
// In a state with no thread in flight and no match ("idle"), bytes no
// pattern can start with change nothing but the look-behind flags; when the
// set of first bytes is small, a SIMD scan skips them 16 at a time.
import { OP_CLASS, OP_ASSERT, OP_SPLIT, OP_JMP, OP_MATCH, OP_BACK } from '../nfa/program';
import { A_BEGIN, A_BEGIN_LINE, A_END, A_END_LINE, A_END_STRING, A_WORD, A_NOT_WORD } from '../syntax/ast';
import { VmProgram } from '../pikevm/pikevm';
import { isWord } from '../unicode/props';
import { CodeClasses } from './classes';
import { U32Buf, sortUnique } from './buf';

/** Default cache budget of one DFA, in bytes (meta/tree.ts sets the root's). */
export const MAX_BYTES: i32 = 2 << 20;
/**
 * A DFA whose cache fills up after fewer bytes of text than this per state
 * is not paying off (RE2 uses 10): it gives up instead of clearing the cache.
 */
export const MIN_BYTES_PER_STATE: u32 = 10;
/** Largest set of first bytes the idle skip is used for (more: the skip rarely skips). */
export const SKIP_MAX_FIRST: i32 = 24;

/** look-behind flags of a state: start of text, after a \w, after a "\n" */
export const F_START: u32 = 1;
const F_WORD: u32 = 2;
const F_NL: u32 = 4;
const EOI: i32 = -1;
/** kernel entry valid only if the text ends right here (after a $ before a final "\n") */
const EOI_ONLY: u32 = 0x80000000;
/** transition value bits: the target state reports matches / is idle */
const HAS_MATCH: u32 = 0x80000000;
const IDLE: u32 = 0x40000000;
const ROW: u32 = 0x3fffffff;
/** per-state metadata words: pool offset, hash, last scan reported, end-of-text matches (-1: unknown) */
const META: i32 = 4;

/** Work counter of the last scans (closure steps + bytes), for linearity tests. */
export let dfaWork: u32 = 0;

export class LazyDfa {
  prog: VmProgram;
  cc: CodeClasses = new CodeClasses();
  k: i32 = 0;
  roots: StaticArray<u32>;
  /** MATCH pc of each root (ascending) and its pattern id */
  matchPcs: StaticArray<u32>;
  matchIds: StaticArray<u32>;
  /** the patterns' programs occupy pcs [base, base + span) */
  base: u32;
  maxBytes: i32;
  /** bytes of text scanned since the cache was last cleared (across scans) */
  sinceClear: u32 = 0;

  // --- states (id 0 is a sentinel: a transition of 0 means "not computed") ---
  trans: usize = 0;
  meta: usize = 0;
  capStates: i32 = 0;
  n: i32 = 1;
  /** state entries: [flags, root set, nK, kernel beyond the root set..., nM, matches...] */
  pool: U32Buf = new U32Buf(1024);
  slots: StaticArray<i32> = new StaticArray<i32>(1024);
  startRow: i32 = -1;

  // --- the roots' closures, per (flags, class): offset in rootPool of [root set, nM, matches...] ---
  rootAt: StaticArray<i32> = new StaticArray<i32>(0);
  rootEoi: StaticArray<i32> = new StaticArray<i32>(8);
  rootPool: U32Buf = new U32Buf(256);
  /** interned root sets: offsets into setPool of [n, pcs...] */
  setOff: U32Buf = new U32Buf(64);
  setPool: U32Buf = new U32Buf(1024);
  setSlots: StaticArray<i32> = new StaticArray<i32>(256);

  // --- idle skip (SIMD): bytes a match can start with ---
  first: StaticArray<u8> | null = null;
  skipLo: v128 = i8x16.splat(0);
  skipHi: v128 = i8x16.splat(0);
  skipHigh: bool = false;

  // --- scratch ---
  markN: StaticArray<u32> = new StaticArray<u32>(0);
  markT: StaticArray<u32> = new StaticArray<u32>(0);
  gen: u32 = 0;
  stack: U32Buf = new U32Buf(256);
  full: U32Buf = new U32Buf(256);
  succ: U32Buf = new U32Buf(256);
  mats: U32Buf = new U32Buf(64);
  rest: U32Buf = new U32Buf(256);
  scratch: U32Buf = new U32Buf(256);
  /** the state scan() gave up in: its flags and whole kernel */
  outFlags: u32 = 0;
  outKernel: Array<u32> = new Array<u32>();
  /** cache clears and give-ups so far */
  clears: i32 = 0;
  giveUps: i32 = 0;

  /**
   * A DFA over the patterns whose programs start at `roots` and end at the
   * MATCH pcs `matchPcs` (pattern ids `matchIds`), all within pcs
   * [base, base + span). `first`: bytes any match can start with (null: any).
   * `cc`: their code point classes, when already known (else computed).
   */
  constructor(prog: VmProgram, roots: StaticArray<u32>, matchPcs: StaticArray<u32>, matchIds: StaticArray<u32>, base: u32, span: u32, first: StaticArray<u8> | null, maxBytes: i32, cc: CodeClasses | null) {
    this.prog = prog;
    this.roots = roots;
    this.matchPcs = matchPcs;
    this.matchIds = matchIds;
    this.base = base;
    this.maxBytes = maxBytes;
    this.cc = cc != null ? cc : CodeClasses.forProgram(prog, base, span);
    this.k = this.cc.k;
    this.markN = new StaticArray<u32>(<i32>span);
    this.markT = new StaticArray<u32>(<i32>span);
    this.rootAt = new StaticArray<i32>(8 * this.k);
    for (let i = 0; i < this.rootAt.length; i++) this.rootAt[i] = -1;
    for (let i = 0; i < 8; i++) this.rootEoi[i] = -1;
    if (first != null) {
      let m = 0;
      for (let b = 0; b < 256; b++) m += first[b];
      if (m <= SKIP_MAX_FIRST) this.setSkip(first);
    }
    this.growStates(64);
    this.internSet(this.succ); // root set 0: the empty set (start and handed-over states)
  }

  /** The swizzle tables of the idle skip: ASCII byte b is a candidate iff lo[b & 15] & hi[b >> 4] != 0. */
  private setSkip(first: StaticArray<u8>): void {
    this.first = first;
    const lo = new StaticArray<u8>(16);
    const hi = new StaticArray<u8>(16);
    for (let h = 0; h < 8; h++) hi[h] = <u8>(<i32>1 << h);
    let high = false;
    for (let b = 0; b < 256; b++) {
      if (first[b] == 0) continue;
      if (b >= 0x80) high = true;
      else lo[b & 15] |= <u8>(<i32>1 << (b >> 4));
    }
    this.skipLo = v128.load(changetype<usize>(lo));
    this.skipHi = v128.load(changetype<usize>(hi));
    this.skipHigh = high;
  }

  /** Frees the hand-managed memory; the DFA must not be used after this. */
  dispose(): void {
    if (this.trans != 0) heap.free(this.trans);
    if (this.meta != 0) heap.free(this.meta);
    this.trans = 0;
    this.meta = 0;
    this.capStates = 0;
    this.pool.free();
    this.rootPool.free();
    this.setOff.free();
    this.setPool.free();
    this.stack.free();
    this.full.free();
    this.succ.free();
    this.mats.free();
    this.rest.free();
    this.scratch.free();
  }

  /** States in the cache now. */
  get states(): i32 {
    return this.n - 1;
  }

  /** Bytes the cache holds (transitions, state sets, root closures and sets). */
  get bytes(): i32 {
    return this.capStates * (this.k + META) * 4 + this.pool.bytes + this.slots.length * 4 + this.rootPool.bytes + this.setPool.bytes + this.setOff.bytes;
  }

  /** Most states the budget can hold (with no kernels at all). */
  private get stateLimit(): i32 {
    return max(2, this.maxBytes / ((this.k + META) << 2));
  }

  private growStates(want: i32): void {
    const cap = min(want, this.stateLimit + 1);
    if (cap <= this.capStates) return;
    const k = this.k;
    const old = this.capStates;
    const rowBytes = <usize>k << 2;
    this.trans = this.trans == 0 ? heap.alloc(<usize>cap * rowBytes) : heap.realloc(this.trans, <usize>cap * rowBytes);
    memory.fill(this.trans + <usize>old * rowBytes, 0, <usize>(cap - old) * rowBytes);
    const metaBytes = <usize>META << 2;
    this.meta = this.meta == 0 ? heap.alloc(<usize>cap * metaBytes) : heap.realloc(this.meta, <usize>cap * metaBytes);
    this.capStates = cap;
    // open addressing with a mask: the table's size must be a power of two
    let size = 16;
    while (size < cap * 2) size <<= 1;
    if (this.slots.length < size) this.rehash(size);
  }

  private rehash(size: i32): void {
    this.slots = new StaticArray<i32>(size);
    const mask = size - 1;
    for (let id = 1; id < this.n; id++) {
      let at = <i32>(this.metaGet(id, 1) & <u32>mask);
      while (unchecked(this.slots[at]) != 0) at = (at + 1) & mask;
      unchecked((this.slots[at] = id));
    }
  }

  // @ts-ignore: decorator
  @inline private metaGet(id: i32, w: i32): u32 {
    return load<u32>(this.meta + ((<usize>(id * META + w)) << 2));
  }

  // @ts-ignore: decorator
  @inline private metaSet(id: i32, w: i32, v: u32): void {
    store<u32>(this.meta + ((<usize>(id * META + w)) << 2), v);
  }

  /**
   * Drops every state (root closures and root sets stay: they do not depend
   * on states) and gives back the memory beyond a small table, so a cleared
   * cache does not keep its peak (other DFAs of the tree reuse it).
   */
  private clear(): void {
    const keep = 64;
    if (this.capStates > keep) {
      heap.free(this.trans);
      heap.free(this.meta);
      this.trans = 0;
      this.meta = 0;
      this.capStates = 0;
      this.n = 1;
      this.growStates(keep);
      this.slots = new StaticArray<i32>(keep * 2);
    } else memory.fill(this.trans, 0, <usize>this.n * (<usize>this.k << 2));
    this.n = 1;
    this.pool.reset(1024);
    const s = this.slots;
    for (let i = 0; i < s.length; i++) unchecked((s[i] = 0));
    this.startRow = -1;
    this.sinceClear = 0;
    this.clears++;
  }

  private newGen(): void {
    this.gen++;
    if (this.gen == 0) {
      for (let i = 0; i < this.markN.length; i++) {
        this.markN[i] = 0;
        this.markT[i] = 0;
      }
      this.gen = 1;
    }
  }

  private patOf(pc: u32): u32 {
    const a = this.matchPcs;
    let lo = 0;
    let hi = a.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (unchecked(a[mid]) < pc) lo = mid + 1;
      else hi = mid;
    }
    return unchecked(this.matchIds[lo]);
  }

  /**
   * Closure of pc0 at a position between a code point with `flags` and `cur`
   * (EOI at the end): consuming CLASS pcs add their successor to succ, MATCH
   * pcs add their pattern to mats.
   */
  private close(pc0: u32, flags: u32, cur: i32): void {
    const insts = this.prog.insts;
    const stack = this.stack;
    const markN = this.markN;
    const markT = this.markT;
    const gen = this.gen;
    const base = this.base;
    stack.push(pc0);
    let w: u32 = 0;
    while (stack.len > 0) {
      const e = stack.pop();
      const tent = (e & EOI_ONLY) != 0;
      const pc = e & ~EOI_ONLY;
      const li = pc - base;
      if (unchecked(markN[li]) == gen) continue;
      if (tent) {
        if (unchecked(markT[li]) == gen) continue;
        unchecked((markT[li] = gen));
      } else unchecked((markN[li] = gen));
      w++;
      const at = pc * 3;
      const op = unchecked(insts[at]) & 0xf;
      const tb = e & EOI_ONLY;
      if (op == OP_CLASS) {
        if (cur >= 0 && this.prog.classHas(unchecked(insts[at + 1]), <u32>cur)) this.succ.push((pc + 1) | tb);
      } else if (op == OP_MATCH) {
        if (tent) this.succ.push(pc | EOI_ONLY);
        else this.mats.push(this.patOf(pc));
      } else if (op == OP_JMP) {
        stack.push(unchecked(insts[at + 1]) | tb);
      } else if (op == OP_SPLIT || op == OP_BACK) {
        stack.push(unchecked(insts[at + 2]) | tb);
        stack.push(unchecked(insts[at + 1]) | tb);
      } else if (op == OP_ASSERT) {
        const r = assertion(unchecked(insts[at + 1]), flags, cur);
        if (r == 1) stack.push((pc + 1) | tb);
        else if (r == 2) stack.push((pc + 1) | EOI_ONLY);
      } else stack.push((pc + 1) | tb); // ENTER
    }
    dfaWork += w;
  }

  /** Id of the root set whose pcs are in b (sorted), added if new. */
  private internSet(b: U32Buf): u32 {
    let h: u32 = 2166136261;
    for (let i = 0; i < b.len; i++) h = (h ^ b.get(i)) * 16777619;
    if ((this.setOff.len + 1) * 2 > this.setSlots.length) {
      const size = this.setSlots.length * 2;
      this.setSlots = new StaticArray<i32>(size);
      for (let id = 0; id < this.setOff.len; id++) {
        const o = <i32>this.setOff.get(id);
        let hh: u32 = 2166136261;
        const m = <i32>this.setPool.get(o);
        for (let i = 0; i < m; i++) hh = (hh ^ this.setPool.get(o + 1 + i)) * 16777619;
        let at = <i32>(hh & <u32>(size - 1));
        while (this.setSlots[at] != 0) at = (at + 1) & (size - 1);
        this.setSlots[at] = id + 1;
      }
    }
    const mask = this.setSlots.length - 1;
    let at = <i32>(h & <u32>mask);
    while (true) {
      const id = this.setSlots[at];
      if (id == 0) break;
      const o = <i32>this.setOff.get(id - 1);
      if (<i32>this.setPool.get(o) == b.len) {
        let same = true;
        for (let i = 0; i < b.len && same; i++) if (this.setPool.get(o + 1 + i) != b.get(i)) same = false;
        if (same) return <u32>(id - 1);
      }
      at = (at + 1) & mask;
    }
    const id = this.setOff.len;
    this.setOff.push(<u32>this.setPool.len);
    this.setPool.push(<u32>b.len);
    for (let i = 0; i < b.len; i++) this.setPool.push(b.get(i));
    this.setSlots[at] = id + 1;
    return <u32>id;
  }

  /** Offset in rootPool of the roots' step for (flags, class c of code point cur): [set, nM, matches...]. */
  private rootStep(flags: u32, c: i32, cur: i32): i32 {
    const slot = cur == EOI ? -1 : <i32>flags * this.k + c;
    const known = slot < 0 ? this.rootEoi[flags] : this.rootAt[slot];
    if (known >= 0) return known;
    this.newGen();
    this.succ.len = 0;
    this.mats.len = 0;
    for (let r = 0; r < this.roots.length; r++) this.close(unchecked(this.roots[r]), flags, cur);
    sortUnique(this.succ, this.scratch);
    sortUnique(this.mats, this.scratch);
    const set = this.internSet(this.succ);
    const pool = this.rootPool;
    const at = pool.len;
    pool.push(set);
    pool.push(<u32>this.mats.len);
    for (let i = 0; i < this.mats.len; i++) pool.push(this.mats.get(i));
    if (slot < 0) this.rootEoi[flags] = at;
    else this.rootAt[slot] = at;
    return at;
  }

  /** The whole kernel of state s (its root set merged with the rest) into full. */
  private kernelOf(s: i32): void {
    const pool = this.pool;
    const o = <i32>this.metaGet(s, 0);
    const so = <i32>this.setOff.get(<i32>pool.get(o + 1));
    const ns = <i32>this.setPool.get(so);
    const nk = <i32>pool.get(o + 2);
    const full = this.full;
    full.len = 0;
    full.reserve(ns + nk);
    let i = 0;
    let j = 0;
    while (i < ns || j < nk) {
      const a = i < ns ? this.setPool.get(so + 1 + i) : 0xffffffff;
      const b = j < nk ? pool.get(o + 3 + j) : 0xffffffff;
      if (a <= b) {
        full.push(a);
        i++;
        if (a == b) j++;
      } else {
        full.push(b);
        j++;
      }
    }
  }

  /**
   * The step of state s on code point cur (class c; EOI at the end): the
   * threads after it into succ (sorted), the root set of that position into
   * the return value, the patterns that matched just before cur into mats.
   */
  private stepState(s: i32, c: i32, cur: i32): u32 {
    const flags = this.pool.get(<i32>this.metaGet(s, 0));
    const ro = this.rootStep(flags, c, cur);
    this.kernelOf(s);
    this.newGen();
    this.succ.len = 0;
    this.mats.len = 0;
    const full = this.full;
    for (let i = 0; i < full.len; i++) {
      const e = full.get(i);
      if ((e & EOI_ONLY) != 0) {
        if (cur != EOI) continue; // the text did not end after that "\n"
        this.close(e & ~EOI_ONLY, flags, cur);
      } else this.close(e, flags, cur);
    }
    const rp = this.rootPool;
    const nm = <i32>rp.get(ro + 1);
    for (let i = 0; i < nm; i++) this.mats.push(rp.get(ro + 2 + i));
    sortUnique(this.succ, this.scratch);
    sortUnique(this.mats, this.scratch);
    return rp.get(ro);
  }

  /** The transition of state s on code point cur of class c: a row value, or 0 when the cache is full. */
  private compute(s: i32, c: i32, cur: i32): u32 {
    const set = this.stepState(s, c, cur);
    // the threads beyond the root set
    const so = <i32>this.setOff.get(<i32>set);
    const ns = <i32>this.setPool.get(so);
    const rest = this.rest;
    rest.len = 0;
    let j = 0;
    for (let i = 0; i < this.succ.len; i++) {
      const v = this.succ.get(i);
      while (j < ns && this.setPool.get(so + 1 + j) < v) j++;
      if (j < ns && this.setPool.get(so + 1 + j) == v) continue;
      rest.push(v);
    }
    const flags: u32 = (isWord(cur) ? F_WORD : 0) | (cur == 0x0a ? F_NL : 0);
    return this.intern(flags, set, rest, this.mats);
  }

  /** Row value of the state (flags, root set, rest, matches), added if new; 0 when the cache is full. */
  private intern(flags: u32, set: u32, rest: U32Buf, mats: U32Buf): u32 {
    let h: u32 = (2166136261 ^ flags) * 16777619;
    h = (h ^ set) * 16777619;
    for (let i = 0; i < rest.len; i++) h = (h ^ rest.get(i)) * 16777619;
    h = (h ^ 0xffffffff) * 16777619;
    for (let i = 0; i < mats.len; i++) h = (h ^ mats.get(i)) * 16777619;
    const mask = this.slots.length - 1;
    let at = <i32>(h & <u32>mask);
    while (true) {
      const id = unchecked(this.slots[at]);
      if (id == 0) break;
      if (this.metaGet(id, 1) == h && this.same(id, flags, set, rest, mats)) return this.rowOf(id);
      at = (at + 1) & mask;
    }
    const pool = this.pool;
    const need = 5 + rest.len + mats.len;
    if (this.n * ((this.k + META) << 2) + ((pool.len + need) << 2) > this.maxBytes && this.n > 1) return 0;
    if (this.n >= this.capStates) {
      this.growStates(this.capStates * 2);
      if (this.n >= this.capStates) return 0; // the budget's state limit
      // the slot table may have been rebuilt: find the free slot again
      const m = this.slots.length - 1;
      at = <i32>(h & <u32>m);
      while (unchecked(this.slots[at]) != 0) at = (at + 1) & m;
    }
    const id = this.n++;
    unchecked((this.slots[at] = id));
    this.metaSet(id, 0, <u32>pool.len);
    this.metaSet(id, 1, h);
    this.metaSet(id, 2, 0);
    this.metaSet(id, 3, 0xffffffff);
    pool.push(flags);
    pool.push(set);
    pool.push(<u32>rest.len);
    for (let i = 0; i < rest.len; i++) pool.push(rest.get(i));
    pool.push(<u32>mats.len);
    for (let i = 0; i < mats.len; i++) pool.push(mats.get(i));
    return this.rowOf(id);
  }

  private rowOf(id: i32): u32 {
    const pool = this.pool;
    const o = <i32>this.metaGet(id, 0);
    const nk = <i32>pool.get(o + 2);
    const nm = pool.get(o + 3 + nk);
    let v = <u32>(id * this.k);
    if (nm > 0) v |= HAS_MATCH;
    else if (nk == 0 && pool.get(o + 1) == 0 && this.first != null) v |= IDLE;
    return v;
  }

  private same(id: i32, flags: u32, set: u32, rest: U32Buf, mats: U32Buf): bool {
    const pool = this.pool;
    let o = <i32>this.metaGet(id, 0);
    if (pool.get(o) != flags || pool.get(o + 1) != set || pool.get(o + 2) != <u32>rest.len) return false;
    o += 3;
    for (let i = 0; i < rest.len; i++) if (pool.get(o + i) != rest.get(i)) return false;
    o += rest.len;
    if (pool.get(o) != <u32>mats.len) return false;
    o++;
    for (let i = 0; i < mats.len; i++) if (pool.get(o + i) != mats.get(i)) return false;
    return true;
  }

  /** Marks the matches of state id in `found` (found[p] = gen); once per state per scan. */
  private report(id: i32, found: StaticArray<u32>, gen: u32): void {
    if (this.metaGet(id, 2) == gen) return;
    this.metaSet(id, 2, gen);
    const pool = this.pool;
    const o = <i32>this.metaGet(id, 0);
    const nk = <i32>pool.get(o + 2);
    const nm = <i32>pool.get(o + 3 + nk);
    for (let i = 0; i < nm; i++) unchecked((found[pool.get(o + 4 + nk + i)] = gen));
  }

  /** Copies state s's flags and whole kernel to outFlags / outKernel. */
  private save(s: i32): void {
    this.outFlags = this.pool.get(<i32>this.metaGet(s, 0));
    this.kernelOf(s);
    const out = this.outKernel;
    out.length = 0;
    for (let i = 0; i < this.full.len; i++) out.push(this.full.get(i));
  }

  /** The row of the state (flags, kernel) with no matches, in a cache with room for it. */
  private enter(flags: u32, kernel: Array<u32> | null): u32 {
    const rest = this.rest;
    rest.len = 0;
    if (kernel != null) {
      for (let i = 0; i < kernel.length; i++) rest.push(kernel[i]);
      sortUnique(rest, this.scratch);
    }
    this.mats.len = 0;
    let v = this.intern(flags, 0, rest, this.mats);
    if (v == 0) {
      this.clear();
      v = this.intern(flags, 0, rest, this.mats);
    }
    return v & ROW;
  }

  /**
   * Scans [from, len) of the text at inp: sets found[p] = gen for every
   * pattern that matches. Starts at the start of the text (from == 0,
   * kernel == null) or in the state a parent DFA handed over at `from`.
   * Returns len when done, or the position where it gave up (the state
   * there is in outFlags / outKernel).
   */
  scan(inp: usize, from: u32, len: u32, found: StaticArray<u32>, gen: u32, flags: u32, kernel: Array<u32> | null): u32 {
    let s: u32;
    if (kernel == null) {
      if (this.startRow < 0) this.startRow = <i32>this.enter(F_START, null);
      s = <u32>this.startRow;
    } else s = this.enter(flags, kernel);
    let i = from;
    let last = from; // where sinceClear was last brought up to date
    const k = <u32>this.k;
    while (true) {
      // the hot loop: ASCII, transition known, target neither matching nor idle
      const r = fastRun(inp, i, len, s, changetype<usize>(this.cc.ascii), this.trans);
      i = <u32>r;
      s = <u32>(r >> 32);
      if (i >= len) break;
      const b = <u32>load<u8>(inp + i);
      let c: u32;
      let cp: u32 = b;
      let n: u32 = 1;
      if (b < 0x80) c = <u32>unchecked(this.cc.ascii[b]);
      else {
        if (b < 0xe0) { cp = ((b & 0x1f) << 6) | (<u32>load<u8>(inp + i + 1) & 0x3f); n = 2; }
        else if (b < 0xf0) { cp = ((b & 0x0f) << 12) | ((<u32>load<u8>(inp + i + 1) & 0x3f) << 6) | (<u32>load<u8>(inp + i + 2) & 0x3f); n = 3; }
        else { cp = ((b & 0x07) << 18) | ((<u32>load<u8>(inp + i + 1) & 0x3f) << 12) | ((<u32>load<u8>(inp + i + 2) & 0x3f) << 6) | (<u32>load<u8>(inp + i + 3) & 0x3f); n = 4; }
        c = this.cc.wide(cp);
      }
      const at = this.trans + ((<usize>(s + c)) << 2);
      let t = load<u32>(at);
      if (t == 0) {
        t = this.compute(<i32>(s / k), <i32>c, <i32>cp);
        if (t == 0) {
          // the cache is full: clear it, or give up when it is thrashing
          this.sinceClear += i - last;
          last = i;
          this.save(<i32>(s / k));
          if (this.sinceClear < MIN_BYTES_PER_STATE * <u32>this.states) {
            this.giveUps++;
            this.clear();
            dfaWork += i - from;
            return i;
          }
          this.clear();
          s = this.enter(this.outFlags, this.outKernel);
          t = this.compute(<i32>(s / k), <i32>c, <i32>cp);
        }
        store<u32>(this.trans + ((<usize>(s + c)) << 2), t);
      }
      i += n;
      if ((t & HAS_MATCH) != 0) this.report(<i32>((t & ROW) / k), found, gen);
      s = t & ROW;
      if ((t & IDLE) != 0 && i < len) {
        // nothing in flight: skip to just before the next byte a match can start with
        const j = this.skip(inp, i, len);
        if (j > i + 1) {
          // step over the last skipped code point normally (it sets the look-behind flags)
          let p = j - 1;
          while (p > i && (<u32>load<u8>(inp + p) & 0xc0) == 0x80) p--;
          i = p;
        }
      }
    }
    this.sinceClear += len - last;
    dfaWork += len - from;
    this.reportEnd(<i32>(s / k), found, gen);
    return len;
  }

  /** The first position >= i holding a byte some match can start with (or len). */
  private skip(inp: usize, i0: u32, len: u32): u32 {
    let i = i0;
    const lo = this.skipLo;
    const hi = this.skipHi;
    const high = this.skipHigh;
    const nib = i8x16.splat(0x0f);
    while (i + 16 <= len) {
      const v = v128.load(inp + i);
      let m = v128.and(i8x16.swizzle(lo, v128.and(v, nib)), i8x16.swizzle(hi, i8x16.shr_u(v, 4)));
      if (high) m = v128.or(m, i8x16.lt_s(v, i8x16.splat(0)));
      const bits = i8x16.bitmask(i8x16.ne(m, i8x16.splat(0)));
      if (bits != 0) return i + <u32>ctz(bits);
      i += 16;
    }
    const f = this.first!;
    while (i < len && unchecked(f[load<u8>(inp + i)]) == 0) i++;
    return i;
  }

  /** Reports the matches at the end of the text from state s. */
  private reportEnd(s: i32, found: StaticArray<u32>, gen: u32): void {
    let at = <i32>this.metaGet(s, 3);
    if (at < 0) {
      this.stepState(s, 0, EOI);
      at = this.pool.len;
      this.pool.push(<u32>this.mats.len);
      for (let i = 0; i < this.mats.len; i++) this.pool.push(this.mats.get(i));
      this.metaSet(s, 3, <u32>at);
    }
    const n = <i32>this.pool.get(at);
    for (let i = 0; i < n; i++) unchecked((found[this.pool.get(at + 1 + i)] = gen));
  }
}

/**
 * Steps the DFA over ASCII bytes whose transition is known and whose target
 * neither reports a match nor is idle, from byte i in row s. Returns
 * (row << 32) | position of the first byte it did not take (or len).
 */
// @ts-ignore: decorator
@inline
function fastRun(inp: usize, i0: u32, len: u32, s0: u32, eq: usize, tp: usize): u64 {
  let i = i0;
  let s = s0;
  while (i < len) {
    const b = <u32>load<u8>(inp + i);
    if (b >= 0x80) break;
    const t = load<u32>(tp + ((<usize>(s + <u32>load<u16>(eq + (<usize>b << 1)))) << 2));
    if (t - 1 >= ROW) break; // 0 (unknown), or HAS_MATCH / IDLE set
    s = t;
    i++;
  }
  return (<u64>s << 32) | <u64>i;
}

/** 1 holds, 0 fails, 2 holds only if cur ("\n") is the last code point. */
function assertion(kind: u32, flags: u32, cur: i32): i32 {
  const atStart = (flags & F_START) != 0;
  switch (<i32>kind) {
    case A_BEGIN: return atStart ? 1 : 0;
    case A_BEGIN_LINE: return atStart || (flags & F_NL) != 0 ? 1 : 0;
    case A_END: return cur == EOI ? 1 : cur == 0x0a ? 2 : 0;
    case A_END_LINE: return cur == EOI || cur == 0x0a ? 1 : 0;
    case A_END_STRING: return cur == EOI ? 1 : 0;
    case A_WORD: {
      if (atStart && cur == EOI) return 0; // empty text
      return ((flags & F_WORD) != 0) != isWord(cur) ? 1 : 0;
    }
    case A_NOT_WORD: {
      if (atStart && cur == EOI) return 0;
      return ((flags & F_WORD) != 0) == isWord(cur) ? 1 : 0;
    }
  }
  return 0;
}
