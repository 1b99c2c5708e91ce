// A lazy DFA used as a filter in front of the Pike VM.
//
// States are sets of NFA instructions (CLASS and MATCH only, after the
// epsilon closure), built on demand while scanning and cached across scans.
// Zero-width assertions are treated as always true, so the DFA accepts a
// superset of what the patterns accept: when it says "no match" the answer
// is final; when it says "maybe", the Pike VM decides (and finds the span).
// This keeps the filter exact where it matters (no missed match) and lets
// the common case — benign text — run at one table lookup per ASCII byte.
//
// One DFA can cover several patterns (its roots); `scan` reports which of
// them may match. Transitions are cached for ASCII input by byte class; a
// non-ASCII code point steps the NFA sets directly (correct, just slower).
// The cache is bounded: past MAX_STATES the DFA gives up for that scan and
// reports every root as "maybe" (the Pike VM then answers exactly).
import { OP_CLASS, OP_ASSERT, OP_SPLIT, OP_JMP, OP_MATCH, OP_BACK } from '../nfa/program';
import { VmProgram } from '../pikevm/pikevm';

/** Default state cap of a DFA's cache (a union DFA gets more). */
export const MAX_STATES: i32 = 2048;
const UNKNOWN: i32 = -1;

export let dfaWork: u32 = 0;

export class LazyDfa {
  prog: VmProgram;
  roots: StaticArray<u32>;
  /** pattern id of each root, parallel to roots */
  rootIds: StaticArray<u32>;
  /** global pc of a MATCH -> index into roots (+1), 0 when not a root's MATCH */
  matchRoot: Map<u32, i32> = new Map<u32, i32>();
  /** ASCII byte -> byte class */
  eq: StaticArray<u8> = new StaticArray<u8>(128);
  k: i32 = 0;
  trans: Array<i32> = new Array<i32>();
  // state i's NFA set is sets[setOff[i] .. setOff[i+1])
  sets: Array<u32> = new Array<u32>();
  setOff: Array<i32> = new Array<i32>();
  // state i's matching roots are mroots[mOff[i] .. mOff[i+1])
  mroots: Array<i32> = new Array<i32>();
  mOff: Array<i32> = new Array<i32>();
  index: Map<u64, Array<i32>> = new Map<u64, Array<i32>>();
  start: i32 = -1;
  // scratch
  mark: StaticArray<u32>;
  markGen: u32 = 0;
  buf: Array<u32> = new Array<u32>();
  stack: Array<u32> = new Array<u32>();
  base: u32;
  span: u32;
  disabled: bool = false;
  /** cache resets during the current scan */
  resets: i32 = 0;
  /** set by step() when it had to reset the cache (the old state ids are void) */
  wasReset: bool = false;

  /** Bytes a match can start with (null: any); in the start state the scan skips other bytes. */
  first: StaticArray<u8> | null;
  /** per state: 1 when some root matches there */
  hasMatch: Array<u8> = new Array<u8>();
  /** transitions on non-ASCII code points: (state << 32 | code point) -> state */
  wide: Map<u64, i32> = new Map<u64, i32>();

  /** `base`/`span`: the global pc range the roots' programs occupy. */
  maxStates: i32;

  constructor(prog: VmProgram, roots: StaticArray<u32>, rootIds: StaticArray<u32>, base: u32, span: u32, first: StaticArray<u8> | null, maxStates: i32 = MAX_STATES) {
    this.maxStates = maxStates;
    this.first = first;
    this.prog = prog;
    this.roots = roots;
    this.rootIds = rootIds;
    this.base = base;
    this.span = span;
    this.mark = new StaticArray<u32>(<i32>span + 1);
    this.buildClasses();
  }

  /**
   * Walks each root's program: its MATCH instructions belong to that root;
   * ASCII bytes with the same membership in every reachable class share a byte class.
   */
  private buildClasses(): void {
    const insts = this.prog.insts;
    const classes = new Array<u32>();
    for (let r = 0; r < this.roots.length; r++) {
      const seen = new Set<u32>();
      const st = new Array<u32>();
      st.push(this.roots[r]);
      while (st.length > 0) {
        const pc = st.pop();
        if (seen.has(pc)) continue;
        seen.add(pc);
        const op = insts[pc * 3] & 0xf;
        if (op == OP_CLASS) {
          const ci = insts[pc * 3 + 1];
          if (!classes.includes(ci)) classes.push(ci);
          st.push(pc + 1);
        } else if (op == OP_MATCH) this.matchRoot.set(pc, r + 1);
        else if (op == OP_JMP) st.push(insts[pc * 3 + 1]);
        else if (op == OP_SPLIT || op == OP_BACK) {
          st.push(insts[pc * 3 + 1]);
          st.push(insts[pc * 3 + 2]);
        } else st.push(pc + 1);
      }
    }
    const sigs = new Map<string, i32>();
    for (let c: u32 = 0; c < 128; c++) {
      let sig = '';
      for (let i = 0; i < classes.length; i++) sig += this.prog.classHas(classes[i], c) ? '1' : '0';
      if (!sigs.has(sig)) sigs.set(sig, sigs.size);
      this.eq[c] = <u8>sigs.get(sig);
    }
    this.k = sigs.size;
  }

  /** Closure of pc into buf (CLASS/MATCH pcs), assertions taken as true. */
  private close(pc0: u32): void {
    const insts = this.prog.insts;
    const stack = this.stack;
    stack.push(pc0);
    while (stack.length > 0) {
      const pc = stack.pop();
      const li = pc - this.base;
      if (unchecked(this.mark[li]) == this.markGen) continue;
      unchecked((this.mark[li] = this.markGen));
      dfaWork++;
      const op = unchecked(insts[pc * 3]) & 0xf;
      if (op == OP_CLASS || op == OP_MATCH) this.buf.push(pc);
      else if (op == OP_JMP) stack.push(unchecked(insts[pc * 3 + 1]));
      else if (op == OP_SPLIT || op == OP_BACK) {
        // a BACK may go either way: both (a superset, which a filter may be)
        stack.push(unchecked(insts[pc * 3 + 2]));
        stack.push(unchecked(insts[pc * 3 + 1]));
      } else stack.push(pc + 1); // ASSERT (taken as true) and ENTER
    }
  }

  private newGen(): void {
    this.markGen++;
    if (this.markGen == 0) {
      for (let i = 0; i < this.mark.length; i++) this.mark[i] = 0;
      this.markGen = 1;
    }
    this.buf.length = 0;
  }

  /** Interns the set in buf (adding the roots' closure: the search is unanchored). */
  private intern(): i32 {
    for (let r = 0; r < this.roots.length; r++) this.close(this.roots[r]);
    this.buf.sort((a: u32, b: u32): i32 => (a < b ? -1 : a > b ? 1 : 0));
    return this.lookupOrStore();
  }

  /** The state for the canonical set in buf; UNKNOWN when the cache is full. */
  private lookupOrStore(): i32 {
    const buf = this.buf;
    let h: u64 = 1469598103934665603;
    for (let i = 0; i < buf.length; i++) h = (h ^ <u64>buf[i]) * 1099511628211;
    if (this.index.has(h)) {
      const cands = this.index.get(h);
      for (let j = 0; j < cands.length; j++) if (this.sameSet(cands[j])) return cands[j];
    }
    const id = this.setOff.length;
    if (id >= this.maxStates) return UNKNOWN;
    if (!this.index.has(h)) this.index.set(h, new Array<i32>());
    this.index.get(h).push(id);
    this.setOff.push(this.sets.length);
    this.mOff.push(this.mroots.length);
    const m0 = this.mroots.length;
    for (let i = 0; i < buf.length; i++) {
      this.sets.push(buf[i]);
      if (this.matchRoot.has(buf[i])) this.mroots.push(this.matchRoot.get(buf[i]) - 1);
    }
    this.hasMatch.push(this.mroots.length > m0 ? 1 : 0);
    for (let c = 0; c < this.k; c++) this.trans.push(UNKNOWN);
    return id;
  }

  /** Drops every cached state (the cache is full); the set in buf survives as the new state 0. */
  private reset(): i32 {
    this.trans = new Array<i32>();
    this.sets = new Array<u32>();
    this.setOff = new Array<i32>();
    this.mroots = new Array<i32>();
    this.mOff = new Array<i32>();
    this.hasMatch = new Array<u8>();
    this.wide = new Map<u64, i32>();
    this.index = new Map<u64, Array<i32>>();
    this.start = -1;
    this.resets++;
    return this.lookupOrStore();
  }

  private sameSet(s: i32): bool {
    const from = this.setOff[s];
    const to = s + 1 < this.setOff.length ? this.setOff[s + 1] : this.sets.length;
    if (to - from != this.buf.length) return false;
    for (let i = 0; i < this.buf.length; i++) if (this.sets[from + i] != this.buf[i]) return false;
    return true;
  }

  /** The state after reading code point c in state s (resets the cache when it is full). */
  private step(s: i32, c: u32): i32 {
    this.wasReset = false;
    this.newGen();
    const from = this.setOff[s];
    const to = s + 1 < this.setOff.length ? this.setOff[s + 1] : this.sets.length;
    const insts = this.prog.insts;
    for (let i = from; i < to; i++) {
      const pc = this.sets[i];
      dfaWork++;
      if ((insts[pc * 3] & 0xf) == OP_CLASS && this.prog.classHas(insts[pc * 3 + 1], c)) this.close(pc + 1);
    }
    const t = this.intern();
    if (t != UNKNOWN) return t;
    this.wasReset = true;
    return this.reset();
  }

  private matchesOf(s: i32, out: StaticArray<u32>, gen: u32): void {
    const end = s + 1 < this.mOff.length ? this.mOff[s + 1] : this.mroots.length;
    for (let i = this.mOff[s]; i < end; i++) unchecked((out[this.rootIds[this.mroots[i]]] = gen));
  }

  /**
   * Scans [inp, inp+len): sets maybe[id] = gen for every root pattern that
   * may match. Returns false when the DFA gave up (then every root is "maybe").
   * With `stopAtFirst` (single-root DFAs) it returns at the first possible match.
   */
  scan(inp: usize, len: u32, maybe: StaticArray<u32>, gen: u32, stopAtFirst: bool): bool {
    if (this.disabled) return this.giveUp(maybe, gen);
    if (this.start < 0) {
      this.newGen();
      const t = this.intern();
      this.start = t == UNKNOWN ? this.reset() : t;
    }
    let s = this.start;
    const start = s;
    const k = this.k;
    this.resets = 0;
    this.matchesOf(s, maybe, gen);
    if (stopAtFirst && unchecked(this.hasMatch[s]) != 0) return true;
    const eq = changetype<usize>(this.eq);
    const first = this.first;
    const fp = first == null ? 0 : changetype<usize>(first);
    let tp = this.trans.dataStart;
    let mp = this.hasMatch.dataStart;
    let i: u32 = 0;
    let steps: u32 = 0;
    while (i < len) {
      if (s == start && fp != 0) {
        // nothing under way: skip bytes no match can start with
        const from = i;
        while (i < len && load<u8>(fp + <usize>load<u8>(inp + i)) == 0) i++;
        steps += i - from;
        if (i >= len) break;
      }
      const b = <u32>load<u8>(inp + i);
      let t: i32;
      if (b < 0x80) {
        const at = s * k + <i32>load<u8>(eq + b);
        t = load<i32>(tp + (<usize>at << 2));
        if (t == UNKNOWN) {
          t = this.step(s, b);
          if (this.wasReset) {
            // a cache that keeps filling up means the DFA is not paying off on this input
            if (this.resets > 4) return this.giveUp(maybe, gen);
          } else this.trans[at] = t;
          tp = this.trans.dataStart;
          mp = this.hasMatch.dataStart;
        }
        i++;
      } else {
        let c: u32;
        if (b < 0xe0) { c = ((b & 0x1f) << 6) | (<u32>load<u8>(inp + i + 1) & 0x3f); i += 2; }
        else if (b < 0xf0) { c = ((b & 0x0f) << 12) | ((<u32>load<u8>(inp + i + 1) & 0x3f) << 6) | (<u32>load<u8>(inp + i + 2) & 0x3f); i += 3; }
        else { c = ((b & 0x07) << 18) | ((<u32>load<u8>(inp + i + 1) & 0x3f) << 12) | ((<u32>load<u8>(inp + i + 2) & 0x3f) << 6) | (<u32>load<u8>(inp + i + 3) & 0x3f); i += 4; }
        const key = (<u64>s << 32) | <u64>c;
        if (this.wide.has(key)) t = this.wide.get(key);
        else {
          t = this.step(s, c);
          if (this.wasReset) {
            if (this.resets > 4) return this.giveUp(maybe, gen);
          } else this.wide.set(key, t);
          tp = this.trans.dataStart;
          mp = this.hasMatch.dataStart;
        }
      }
      s = t;
      steps++;
      if (load<u8>(mp + <usize>s) != 0) {
        this.matchesOf(s, maybe, gen);
        if (stopAtFirst) break;
      }
    }
    dfaWork += steps;
    return true;
  }

  giveUps: i32 = 0;

  private giveUp(maybe: StaticArray<u32>, gen: u32): bool {
    for (let r = 0; r < this.rootIds.length; r++) unchecked((maybe[this.rootIds[r]] = gen));
    // a DFA that keeps overflowing is dropped: the Pike VM alone is cheaper then
    if (++this.giveUps > 8) {
      this.disabled = true;
      this.reset();
    }
    return false;
  }
}
