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
import { VmProgram } from '../pikevm/pikevm';
import { isWord } from '../unicode/props';
import { CodeClasses } from './classes';
import { U32Buf, sortUnique } from './buf';
import { Closure, F_START, F_WORD, F_NL, EOI, EOI_ONLY, addWork } from './closure';
import { IdleSkip } from './skip';

export { F_START, dfaWork, resetWork } from './closure';

/** Default cache budget of one DFA, in bytes (meta/tree.ts sets the root's). */
export const MAX_BYTES: i32 = 2 << 20;
/**
 * A DFA whose cache fills up after fewer bytes of text than this per state
 * is not paying off (RE2 uses 10): it gives up instead of clearing the cache.
 */
export const MIN_BYTES_PER_STATE: u32 = 10;
/** Largest set of first bytes the idle skip is used for (more: the skip rarely skips). */
export const SKIP_MAX_FIRST: i32 = 24;

/** transition value bits: the target state reports matches / is idle */
const HAS_MATCH: u32 = 0x80000000;
const IDLE: u32 = 0x40000000;
const ROW: u32 = 0x3fffffff;
/** per-state metadata words: pool offset, hash, last scan reported, end-of-text matches (-1: unknown) */
const META: i32 = 4;

export class LazyDfa {
  prog: VmProgram;
  cc: CodeClasses = new CodeClasses();
  k: i32 = 0;
  /** closures of the patterns' threads and of their starts (dfa/closure.ts) */
  cl: Closure;
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

  /** the SIMD skip over bytes no match can start with, in idle states (null: the first bytes are too many) */
  idle: IdleSkip | null = null;

  // --- scratch ---
  full: U32Buf = new U32Buf(256);
  rest: U32Buf = new U32Buf(256);
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
    const classes = cc != null ? cc : CodeClasses.forProgram(prog, base, span);
    this.cl = new Closure(prog, roots, matchPcs, matchIds, base, span, classes.k);
    this.prog = prog;
    this.maxBytes = maxBytes;
    this.cc = classes;
    this.k = classes.k;
    if (first != null) this.idle = IdleSkip.of(first, SKIP_MAX_FIRST);
    this.growStates(64);
  }

  /** Frees the hand-managed memory; the DFA must not be used after this. */
  dispose(): void {
    if (this.trans != 0) heap.free(this.trans);
    if (this.meta != 0) heap.free(this.meta);
    this.trans = 0;
    this.meta = 0;
    this.capStates = 0;
    this.pool.free();
    this.cl.dispose();
    this.full.free();
    this.rest.free();
  }

  /** States in the cache now. */
  get states(): i32 {
    return this.n - 1;
  }

  /** Bytes the cache holds (transitions, state sets, root closures and sets). */
  get bytes(): i32 {
    return this.capStates * (this.k + META) * 4 + this.pool.bytes + this.slots.length * 4 + this.cl.bytes;
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

  /** The whole kernel of state s (its root set merged with the rest) into full. */
  private kernelOf(s: i32): void {
    const pool = this.pool;
    const o = <i32>this.metaGet(s, 0);
    const so = <i32>this.cl.setOff.get(<i32>pool.get(o + 1));
    const ns = <i32>this.cl.setPool.get(so);
    const nk = <i32>pool.get(o + 2);
    const full = this.full;
    full.len = 0;
    full.reserve(ns + nk);
    let i = 0;
    let j = 0;
    while (i < ns || j < nk) {
      const a = i < ns ? this.cl.setPool.get(so + 1 + i) : 0xffffffff;
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
    const ro = this.cl.rootStep(flags, c, cur);
    this.kernelOf(s);
    this.cl.newGen();
    this.cl.succ.len = 0;
    this.cl.mats.len = 0;
    const full = this.full;
    for (let i = 0; i < full.len; i++) {
      const e = full.get(i);
      if ((e & EOI_ONLY) != 0) {
        if (cur != EOI) continue; // the text did not end after that "\n"
        this.cl.close(e & ~EOI_ONLY, flags, cur);
      } else this.cl.close(e, flags, cur);
    }
    const rp = this.cl.rootPool;
    const nm = <i32>rp.get(ro + 1);
    for (let i = 0; i < nm; i++) this.cl.mats.push(rp.get(ro + 2 + i));
    sortUnique(this.cl.succ, this.cl.scratch);
    sortUnique(this.cl.mats, this.cl.scratch);
    return rp.get(ro);
  }

  /** The transition of state s on code point cur of class c: a row value, or 0 when the cache is full. */
  private compute(s: i32, c: i32, cur: i32): u32 {
    const set = this.stepState(s, c, cur);
    // the threads beyond the root set
    const so = <i32>this.cl.setOff.get(<i32>set);
    const ns = <i32>this.cl.setPool.get(so);
    const rest = this.rest;
    rest.len = 0;
    let j = 0;
    for (let i = 0; i < this.cl.succ.len; i++) {
      const v = this.cl.succ.get(i);
      while (j < ns && this.cl.setPool.get(so + 1 + j) < v) j++;
      if (j < ns && this.cl.setPool.get(so + 1 + j) == v) continue;
      rest.push(v);
    }
    const flags: u32 = (isWord(cur) ? F_WORD : 0) | (cur == 0x0a ? F_NL : 0);
    return this.intern(flags, set, rest, this.cl.mats);
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
    else if (nk == 0 && pool.get(o + 1) == 0 && this.idle != null) v |= IDLE;
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
      sortUnique(rest, this.cl.scratch);
    }
    this.cl.mats.len = 0;
    let v = this.intern(flags, 0, rest, this.cl.mats);
    if (v == 0) {
      this.clear();
      v = this.intern(flags, 0, rest, this.cl.mats);
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
            addWork(i - from);
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
        const j = this.idle!.next(inp, i, len);
        if (j > i + 1) {
          // step over the last skipped code point normally (it sets the look-behind flags)
          let p = j - 1;
          while (p > i && (<u32>load<u8>(inp + p) & 0xc0) == 0x80) p--;
          i = p;
        }
      }
    }
    this.sinceClear += len - last;
    addWork(len - from);
    this.reportEnd(<i32>(s / k), found, gen);
    return len;
  }

  /** Reports the matches at the end of the text from state s. */
  private reportEnd(s: i32, found: StaticArray<u32>, gen: u32): void {
    let at = <i32>this.metaGet(s, 3);
    if (at < 0) {
      this.stepState(s, 0, EOI);
      at = this.pool.len;
      this.pool.push(<u32>this.cl.mats.len);
      for (let i = 0; i < this.cl.mats.len; i++) this.pool.push(this.cl.mats.get(i));
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
