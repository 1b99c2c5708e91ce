// Parsed tree -> byte code -> Thompson NFA (see program.ts for the instruction set).
//
// Priorities encode Python's preferences: for a greedy repeat the SPLIT
// prefers another iteration, for a lazy one it prefers to stop; an
// alternation prefers its earlier branches. Counted repeats are expanded:
// x{2,4} becomes x x (x (x)?)?, which keeps the NFA small and unambiguous.
import { Node, K_EMPTY, K_CLASS, K_ASSERT, K_CONCAT, K_ALT, K_REPEAT, INF, A_BEGIN, A_NOT_WORD } from '../syntax/ast';
import { Program, OP_CLASS, OP_ASSERT, OP_SPLIT, OP_JMP, OP_MATCH, OP_ENTER, OP_BACK } from './program';

/**
 * Most instructions one pattern may compile to. A scan's worst-case work per
 * byte for a pattern is its instruction count (when its DFA cannot help, the
 * Pike VM visits each instruction at most once per code point): 4,096 keeps
 * that within about 15 microseconds per byte, 4x the largest built-in pattern
 * (979 instructions). (?:a{300}){300} compiles to 90,001.
 */
export const MAX_PATTERN_INSTS: f64 = 4096;

/** Instructions `n` compiles to (as f64: nested counted repeats can overflow integers). */
export function sizeOf(n: Node): f64 {
  switch (n.kind) {
    case K_EMPTY: return 0;
    case K_CLASS: return 1;
    case K_ASSERT: return 1;
    case K_CONCAT: {
      let s: f64 = 0;
      for (let i = 0; i < n.children.length; i++) s += sizeOf(n.children[i]);
      return s;
    }
    case K_ALT: {
      let s: f64 = 0;
      for (let i = 0; i < n.children.length; i++) s += sizeOf(n.children[i]) + 2;
      return s;
    }
    case K_REPEAT: {
      const c = sizeOf(n.children[0]);
      const min = <f64>n.min;
      if (n.max == INF) return min * c + c + 3;
      return min * c + (<f64>n.max - min) * (c + 1);
    }
  }
  return 0;
}

// ---- the tree's byte code ----
//
// A parsed tree is kept as byte code (also the stored form of a precompiled
// set, meta/serial.ts): pre-order, one byte of kind, then
//   CLASS   class index (LEB128)       ASSERT  kind (byte)
//   CONCAT / ALT  child count (LEB128), children
//   REPEAT  greedy (byte), min (LEB128), max + 1 (LEB128, 0 = unbounded), child
// A counted repetition is one node however large its count: the emitter
// expands it. Class indices refer to the program's class table.

/** A growable byte buffer with LEB128 varints. */
export class ByteWriter {
  b: Array<u8> = new Array<u8>();

  u8(v: u32): void {
    this.b.push(<u8>v);
  }

  u32(v: u32): void {
    this.b.push(<u8>v);
    this.b.push(<u8>(v >> 8));
    this.b.push(<u8>(v >> 16));
    this.b.push(<u8>(v >> 24));
  }

  vu(v: u32): void {
    let x = v;
    while (x >= 0x80) {
      this.b.push(<u8>((x & 0x7f) | 0x80));
      x >>= 7;
    }
    this.b.push(<u8>x);
  }
}

/** Appends the byte code of `n` (its classes interned into p's class table). */
export function encode(p: Program, w: ByteWriter, n: Node): void {
  w.u8(n.kind);
  switch (n.kind) {
    case K_CLASS: {
      if (n.classIdx < 0) n.classIdx = p.classes.intern(n.cls!);
      w.vu(<u32>n.classIdx);
      break;
    }
    case K_ASSERT: w.u8(<u32>n.assertKind); break;
    case K_CONCAT:
    case K_ALT: {
      w.vu(<u32>n.children.length);
      for (let i = 0; i < n.children.length; i++) encode(p, w, n.children[i]);
      break;
    }
    case K_REPEAT: {
      w.u8(n.greedy ? 1 : 0);
      w.vu(n.min);
      w.vu(n.max == INF ? 0 : n.max + 1);
      encode(p, w, n.children[0]);
      break;
    }
  }
}

/** Instructions still to patch, for every node being emitted (a stack shared by the recursion). */
const pending = new Array<i32>();

/** Where the last vu() stopped reading. */
let after: usize = 0;

/** The varint at `at` (sets `after`). */
// @ts-ignore: decorator
@inline
function vu(at: usize): u32 {
  let b = <u32>load<u8>(at);
  if (b < 0x80) {
    after = at + 1;
    return b;
  }
  let p = at + 1;
  let v: u32 = b & 0x7f;
  let shift: u32 = 7;
  while (true) {
    b = <u32>load<u8>(p++);
    v |= (b & 0x7f) << shift;
    if ((b & 0x80) == 0) break;
    shift += 7;
    if (shift > 28) break;
  }
  after = p;
  return v;
}

/** Set by emit() when the byte code it read was malformed (a damaged blob: meta/serial.ts checks it). */
export let codeBad: bool = false;

export function clearCodeBad(): void {
  codeBad = false;
}

export function markCodeBad(): void {
  codeBad = true;
}

/** Where the byte code compilePattern() last read ends. */
export let codeEnd: usize = 0;

/** Where the tree whose byte code starts at `at` ends. */
function skip(at: usize): usize {
  const kind = load<u8>(at);
  let p = at + 1;
  switch (kind) {
    case K_CLASS: {
      vu(p);
      return after;
    }
    case K_ASSERT: return p + 1;
    case K_CONCAT:
    case K_ALT: {
      const n = vu(p);
      p = after;
      for (let i: u32 = 0; i < n; i++) p = skip(p);
      return p;
    }
    case K_REPEAT: {
      p++;
      vu(p);
      vu(after);
      return skip(after);
    }
  }
  return p;
}

/** Appends the code of the tree at `at` to `p`; control falls through to the next instruction. Returns where its byte code ends. */
export function emit(p: Program, at: usize): usize {
  const kind = load<u8>(at);
  let q = at + 1;
  switch (kind) {
    case K_EMPTY: return q;
    case K_CLASS: {
      const c = vu(q);
      if (c >= <u32>p.classes.length) codeBad = true;
      p.emit(OP_CLASS, c, 0);
      return after;
    }
    case K_ASSERT: {
      const k = <i32>load<u8>(q);
      if (k < A_BEGIN || k > A_NOT_WORD) codeBad = true;
      p.emit(OP_ASSERT, <u32>k, 0);
      return q + 1;
    }
    case K_CONCAT: {
      const n = vu(q);
      q = after;
      for (let i: u32 = 0; i < n; i++) q = emit(p, q);
      return q;
    }
    case K_ALT: {
      const k = vu(q);
      q = after;
      const base = pending.length; // this node's jumps to patch, on a shared stack
      for (let i: u32 = 0; i < k; i++) {
        if (i < k - 1) {
          const split = p.emit(OP_SPLIT, 0, 0);
          p.setA(split, <u32>(split + 1));
          q = emit(p, q);
          pending.push(p.emit(OP_JMP, 0, 0));
          p.setB(split, <u32>p.length);
        } else {
          q = emit(p, q);
        }
      }
      for (let i = base; i < pending.length; i++) p.setA(pending[i], <u32>p.length);
      pending.length = base;
      return q;
    }
    case K_REPEAT: {
      const greedy = load<u8>(q) != 0;
      const min = vu(q + 1);
      const m = vu(after);
      const max = m == 0 ? INF : m - 1;
      const child = after;
      const end = skip(child);
      if (max < min) {
        codeBad = true;
        return end;
      }
      if (max == INF) {
        // x{min,}: min-1 copies, then a loop whose iterations are checked for emptiness:
        //   [SPLIT top, exit]  (only when min is 0)
        //   top: ENTER k; x; BACK k -> top | exit
        for (let i: u32 = 1; i < min; i++) emit(p, child);
        let split = -1;
        if (min == 0) split = p.emit(OP_SPLIT, 0, 0);
        const k = p.loops++;
        const top = p.emit(OP_ENTER | (k << 8), 0, 0);
        emit(p, child);
        const back = p.emit(OP_BACK | (greedy ? 1 << 4 : 0) | (k << 8), <u32>top, 0);
        p.setB(back, <u32>p.length);
        if (split >= 0) orient(p, split, top, p.length, greedy);
        return end;
      }
      for (let i: u32 = 0; i < min; i++) emit(p, child);
      // nested optionals: (x(x(x)?)?)?
      const base = pending.length;
      for (let i = min; i < max; i++) {
        pending.push(p.emit(OP_SPLIT, 0, 0));
        emit(p, child);
      }
      const done = p.length;
      for (let i = base; i < pending.length; i++) orient(p, pending[i], pending[i] + 1, done, greedy);
      pending.length = base;
      return end;
    }
  }
  codeBad = true;
  return q;
}

/** Sets a SPLIT so that `more` (one more iteration) is preferred when greedy. */
function orient(p: Program, split: i32, more: i32, done: i32, greedy: bool): void {
  if (greedy) {
    p.setA(split, <u32>more);
    p.setB(split, <u32>done);
  } else {
    p.setA(split, <u32>done);
    p.setB(split, <u32>more);
  }
}

/** Compiles one pattern from its byte code at `at` into `p`; returns its entry point. */
export function compilePattern(p: Program, at: usize): i32 {
  const start = p.length;
  p.loops = 0;
  codeEnd = emit(p, at);
  if (p.loops > p.maxLoops) p.maxLoops = p.loops;
  p.emit(OP_MATCH, 0, 0);
  return start;
}
