// AST -> Thompson NFA (see program.ts for the instruction set).
//
// Priorities encode Python's preferences: for a greedy repeat the SPLIT
// prefers another iteration, for a lazy one it prefers to stop; an
// alternation prefers its earlier branches. Counted repeats are expanded:
// x{2,4} becomes x x (x (x)?)?, which keeps the NFA small and unambiguous.
import { Node, K_EMPTY, K_CLASS, K_ASSERT, K_CONCAT, K_ALT, K_REPEAT, INF } from '../syntax/ast';
import { Program, OP_CLASS, OP_ASSERT, OP_SPLIT, OP_JMP, OP_MATCH, OP_ENTER, OP_BACK } from './program';

/** Most instructions one pattern may compile to. */
export const MAX_PATTERN_INSTS: f64 = 100000;

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

/** Appends the code of `n` to `p`; control falls through to the next instruction. */
export function emit(p: Program, n: Node): void {
  switch (n.kind) {
    case K_EMPTY: return;
    case K_CLASS: {
      if (n.classIdx < 0) n.classIdx = p.classes.intern(n.cls!);
      p.emit(OP_CLASS, <u32>n.classIdx, 0);
      return;
    }
    case K_ASSERT: {
      p.emit(OP_ASSERT, <u32>n.assertKind, 0);
      return;
    }
    case K_CONCAT: {
      for (let i = 0; i < n.children.length; i++) emit(p, n.children[i]);
      return;
    }
    case K_ALT: {
      const jumps = new Array<i32>();
      const k = n.children.length;
      for (let i = 0; i < k; i++) {
        if (i < k - 1) {
          const split = p.emit(OP_SPLIT, 0, 0);
          p.setA(split, <u32>(split + 1));
          emit(p, n.children[i]);
          jumps.push(p.emit(OP_JMP, 0, 0));
          p.setB(split, <u32>p.length);
        } else {
          emit(p, n.children[i]);
        }
      }
      for (let i = 0; i < jumps.length; i++) p.setA(jumps[i], <u32>p.length);
      return;
    }
    case K_REPEAT: {
      const child = n.children[0];
      const min = n.min;
      const max = n.max;
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
        const back = p.emit(OP_BACK | (n.greedy ? 1 << 4 : 0) | (k << 8), <u32>top, 0);
        p.setB(back, <u32>p.length);
        if (split >= 0) orient(p, split, top, p.length, n.greedy);
        return;
      }
      for (let i: u32 = 0; i < min; i++) emit(p, child);
      // nested optionals: (x(x(x)?)?)?
      const splits = new Array<i32>();
      for (let i = min; i < max; i++) {
        splits.push(p.emit(OP_SPLIT, 0, 0));
        emit(p, child);
      }
      const end = p.length;
      for (let i = 0; i < splits.length; i++) orient(p, splits[i], splits[i] + 1, end, n.greedy);
      return;
    }
  }
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

/** Compiles one pattern into `p`; returns its entry point. */
export function compilePattern(p: Program, root: Node): i32 {
  const start = p.length;
  p.loops = 0;
  emit(p, root);
  if (p.loops > p.maxLoops) p.maxLoops = p.loops;
  p.emit(OP_MATCH, 0, 0);
  return start;
}
