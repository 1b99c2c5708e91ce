// The NFA side of the lazy DFA (dfa/lazy.ts): epsilon closures of its
// patterns' threads, with assertions evaluated between two code points, and
// the cached closure of the patterns' starts ("roots") per (look-behind
// flags, code point class), interned as shared root sets.
//
// Contract: close(pc, flags, cur) adds to succ every pc after a CLASS that
// accepts cur and is reachable from pc without consuming (assertions
// evaluated exactly; what follows Python's $ before a "\n" is marked
// EOI_ONLY), and to mats the pattern of every MATCH so reachable. Marks are
// per generation (newGen()): one step never visits a pc twice.
import { OP_CLASS, OP_ASSERT, OP_SPLIT, OP_JMP, OP_MATCH, OP_BACK } from '../nfa/program';
import { A_BEGIN, A_BEGIN_LINE, A_END, A_END_LINE, A_END_STRING, A_WORD, A_NOT_WORD } from '../syntax/ast';
import { VmProgram } from '../pikevm/pikevm';
import { isWord } from '../unicode/props';
import { U32Buf, sortUnique } from './buf';

/** look-behind flags of a state: start of text, after a \w, after a "\n" */
export const F_START: u32 = 1;
export const F_WORD: u32 = 2;
export const F_NL: u32 = 4;
/** the "code point" at the end of the text */
export const EOI: i32 = -1;
/** kernel entry valid only if the text ends right here (after a $ before a final "\n") */
export const EOI_ONLY: u32 = 0x80000000;

/** Work counter of the last scans (closure steps + bytes), for linearity tests. */
export let dfaWork: u32 = 0;

/** Adds n to the work counter (bytes a DFA stepped over). */
export function addWork(n: u32): void {
  dfaWork += n;
}

/** Starts the work counter of a scan. */
export function resetWork(): void {
  dfaWork = 0;
}

export class Closure {
  prog: VmProgram;
  roots: StaticArray<u32>;
  /** MATCH pc of each root (ascending) and its pattern id */
  matchPcs: StaticArray<u32>;
  matchIds: StaticArray<u32>;
  /** the patterns' programs occupy pcs [base, base + span) */
  base: u32;
  /** code point classes of the DFA */
  k: i32;

  // --- the roots' closures, per (flags, class): offset in rootPool of [root set, nM, matches...] ---
  rootAt: StaticArray<i32> = new StaticArray<i32>(0);
  rootEoi: StaticArray<i32> = new StaticArray<i32>(8);
  rootPool: U32Buf = new U32Buf(256);
  /** interned root sets: offsets into setPool of [n, pcs...] */
  setOff: U32Buf = new U32Buf(64);
  setPool: U32Buf = new U32Buf(1024);
  setSlots: StaticArray<i32> = new StaticArray<i32>(256);

  // --- one step's results and scratch ---
  markN: StaticArray<u32> = new StaticArray<u32>(0);
  markT: StaticArray<u32> = new StaticArray<u32>(0);
  gen: u32 = 0;
  stack: U32Buf = new U32Buf(256);
  succ: U32Buf = new U32Buf(256);
  mats: U32Buf = new U32Buf(64);
  scratch: U32Buf = new U32Buf(256);

  constructor(prog: VmProgram, roots: StaticArray<u32>, matchPcs: StaticArray<u32>, matchIds: StaticArray<u32>, base: u32, span: u32, k: i32) {
    this.prog = prog;
    this.roots = roots;
    this.matchPcs = matchPcs;
    this.matchIds = matchIds;
    this.base = base;
    this.k = k;
    this.markN = new StaticArray<u32>(<i32>span);
    this.markT = new StaticArray<u32>(<i32>span);
    this.rootAt = new StaticArray<i32>(8 * k);
    for (let i = 0; i < this.rootAt.length; i++) this.rootAt[i] = -1;
    for (let i = 0; i < 8; i++) this.rootEoi[i] = -1;
    this.succ.len = 0;
    this.internSet(this.succ); // root set 0: the empty set (start and handed-over states)
  }

  /** Frees the hand-managed memory. */
  dispose(): void {
    this.rootPool.free();
    this.setOff.free();
    this.setPool.free();
    this.stack.free();
    this.succ.free();
    this.mats.free();
    this.scratch.free();
  }

  /** Bytes of the root closures and root sets. */
  get bytes(): i32 {
    return this.rootPool.bytes + this.setPool.bytes + this.setOff.bytes;
  }

  newGen(): void {
    this.gen++;
    if (this.gen == 0) {
      for (let i = 0; i < this.markN.length; i++) {
        this.markN[i] = 0;
        this.markT[i] = 0;
      }
      this.gen = 1;
    }
  }

  patOf(pc: u32): u32 {
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
  close(pc0: u32, flags: u32, cur: i32): void {
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
  internSet(b: U32Buf): u32 {
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
  rootStep(flags: u32, c: i32, cur: i32): i32 {
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
}

/** 1 holds, 0 fails, 2 holds only if cur ("\n") is the last code point. */
export function assertion(kind: u32, flags: u32, cur: i32): i32 {
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
