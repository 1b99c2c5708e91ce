// The Pike VM: a breadth-first NFA simulation that never backtracks.
//
// It runs one pattern's program over UTF-8 input and finds the leftmost
// match with Python's preferences (threads are kept in priority order; when
// the highest-priority live thread reaches MATCH, lower ones are cut). Work is
// O(program size x input length). All scratch memory lives in a `PikeCache`
// sized once for the largest program of the set and reused by every scan.
import { OP_CLASS, OP_ASSERT, OP_SPLIT, OP_JMP, OP_MATCH, OP_ENTER, OP_BACK } from '../nfa/program';
import { A_BEGIN, A_BEGIN_LINE, A_END, A_END_LINE, A_END_STRING, A_WORD, A_NOT_WORD } from '../syntax/ast';
import { isWord } from '../unicode/props';

/** A sparse set of program counters, in insertion (= priority) order, each with a start position. */
class ThreadList {
  dense: StaticArray<u32>;
  start: StaticArray<u32>;
  sparse: StaticArray<u32>;
  size: u32 = 0;

  constructor(cap: i32) {
    this.dense = new StaticArray<u32>(cap);
    this.start = new StaticArray<u32>(cap);
    this.sparse = new StaticArray<u32>(cap);
  }

  // @ts-ignore: decorator
  @inline has(pc: u32): bool {
    const i = unchecked(this.sparse[pc]);
    return i < this.size && unchecked(this.dense[i]) == pc;
  }

  // @ts-ignore: decorator
  @inline add(pc: u32, start: u32): void {
    const i = this.size;
    unchecked((this.dense[i] = pc));
    unchecked((this.start[i] = start));
    unchecked((this.sparse[pc] = i));
    this.size = i + 1;
  }
}

/** Reusable scratch memory for the Pike VM. */
export class PikeCache {
  a: ThreadList;
  b: ThreadList;
  stack: StaticArray<u32>;
  /** per loop id: 1 while its ENTER is on the closure path being explored */
  onPath: StaticArray<u8>;

  constructor(maxProgram: i32, maxLoops: i32) {
    const cap = maxProgram + 1;
    this.a = new ThreadList(cap);
    this.b = new ThreadList(cap);
    // each visited instruction pushes at most two successors, plus one loop marker
    this.stack = new StaticArray<u32>(cap * 3 + 4);
    this.onPath = new StaticArray<u8>(maxLoops + 1);
  }
}

const MARK: u32 = 0x80000000;

/** Compiled program data the VM reads (flat, for speed). */
export class VmProgram {
  insts: StaticArray<u32>;
  clsAscii: StaticArray<u32>;
  clsOff: StaticArray<u32>;
  clsCnt: StaticArray<u32>;
  ranges: StaticArray<u32>;

  constructor(insts: StaticArray<u32>, clsAscii: StaticArray<u32>, clsOff: StaticArray<u32>, clsCnt: StaticArray<u32>, ranges: StaticArray<u32>) {
    this.insts = insts;
    this.clsAscii = clsAscii;
    this.clsOff = clsOff;
    this.clsCnt = clsCnt;
    this.ranges = ranges;
  }

  // @ts-ignore: decorator
  @inline classHas(ci: u32, c: u32): bool {
    if (c < 128) return ((unchecked(this.clsAscii[(ci << 2) + (c >> 5)]) >>> (c & 31)) & 1) != 0;
    let lo = <i32>unchecked(this.clsOff[ci]);
    let hi = lo + <i32>unchecked(this.clsCnt[ci]) - 1;
    const r = this.ranges;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (c < unchecked(r[mid << 1])) hi = mid - 1;
      else if (c > unchecked(r[(mid << 1) + 1])) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

// results of the last run
export let matchStart: u32 = 0;
export let matchEnd: u32 = 0;
export let work: u32 = 0;

// decoding state shared by the helpers below
let cpLen: u32 = 0; // bytes of the code point last decoded

/** Decodes the code point at byte i (input is valid UTF-8); -1 at the end. */
// @ts-ignore: decorator
@inline
function decodeAt(inp: usize, i: u32, len: u32): i32 {
  if (i >= len) {
    cpLen = 0;
    return -1;
  }
  const b0 = <u32>load<u8>(inp + i);
  if (b0 < 0x80) {
    cpLen = 1;
    return <i32>b0;
  }
  if (b0 < 0xe0) {
    cpLen = 2;
    return <i32>(((b0 & 0x1f) << 6) | (<u32>load<u8>(inp + i + 1) & 0x3f));
  }
  if (b0 < 0xf0) {
    cpLen = 3;
    return <i32>(((b0 & 0x0f) << 12) | ((<u32>load<u8>(inp + i + 1) & 0x3f) << 6) | (<u32>load<u8>(inp + i + 2) & 0x3f));
  }
  cpLen = 4;
  return <i32>(((b0 & 0x07) << 18) | ((<u32>load<u8>(inp + i + 1) & 0x3f) << 12) | ((<u32>load<u8>(inp + i + 2) & 0x3f) << 6) | (<u32>load<u8>(inp + i + 3) & 0x3f));
}

/** The code point that ends at byte i (-1 at the start). */
function decodeBefore(inp: usize, i: u32, len: u32): i32 {
  if (i == 0) return -1;
  let j = i - 1;
  while (j > 0 && (<u32>load<u8>(inp + j) & 0xc0) == 0x80) j--;
  return decodeAt(inp, j, len);
}

/** Does assertion `kind` hold between code points prev and cur at byte i? */
function assertHolds(kind: u32, i: u32, len: u32, prev: i32, cur: i32): bool {
  switch (<i32>kind) {
    case A_BEGIN: return i == 0;
    case A_BEGIN_LINE: return i == 0 || prev == 0x0a;
    case A_END: return i == len || (i + 1 == len && cur == 0x0a);
    case A_END_LINE: return i == len || cur == 0x0a;
    case A_END_STRING: return i == len;
    case A_WORD: return len != 0 && isWord(prev) != isWord(cur);
    case A_NOT_WORD: return len != 0 && isWord(prev) == isWord(cur);
  }
  return false;
}

/**
 * Adds the epsilon closure of `pc0` (local pcs) to `list`, in priority order.
 * Assertions are evaluated at byte i between prev and cur.
 */
function addThread(prog: VmProgram, base: u32, list: ThreadList, cache: PikeCache, pc0: u32, start: u32, i: u32, len: u32, prev: i32, cur: i32): void {
  const insts = prog.insts;
  const stack = cache.stack;
  const onPath = cache.onPath;
  let sp = 0;
  unchecked((stack[sp++] = pc0));
  let w: u32 = 0;
  while (sp > 0) {
    const pc = unchecked(stack[--sp]);
    if ((pc & MARK) != 0) {
      unchecked((onPath[pc & ~MARK] = 0)); // left loop k's iteration subtree
      continue;
    }
    const at = (base + pc) * 3;
    const word = unchecked(insts[at]);
    const op = word & 0xf;
    w++;
    // BACK is not deduplicated: a second arrival in the same closure (an empty
    // iteration) must still reach the exit with its own priority. Everything
    // it leads to is deduplicated, so this stays linear.
    if (op != OP_BACK) {
      if (list.has(pc)) continue;
      list.add(pc, start);
    }
    if (op == OP_JMP) {
      unchecked((stack[sp++] = unchecked(insts[at + 1]) - base));
    } else if (op == OP_SPLIT) {
      unchecked((stack[sp++] = unchecked(insts[at + 2]) - base));
      unchecked((stack[sp++] = unchecked(insts[at + 1]) - base));
    } else if (op == OP_ASSERT) {
      if (assertHolds(unchecked(insts[at + 1]), i, len, prev, cur)) unchecked((stack[sp++] = pc + 1));
    } else if (op == OP_ENTER) {
      const k = word >> 8;
      unchecked((onPath[k] = 1));
      unchecked((stack[sp++] = MARK | k));
      unchecked((stack[sp++] = pc + 1));
    } else if (op == OP_BACK) {
      const exit = unchecked(insts[at + 2]) - base;
      if (unchecked(onPath[word >> 8]) != 0) {
        // the iteration matched nothing: the loop ends here
        unchecked((stack[sp++] = exit));
      } else {
        const top = unchecked(insts[at + 1]) - base;
        if ((word & 0x10) != 0) {
          unchecked((stack[sp++] = exit));
          unchecked((stack[sp++] = top));
        } else {
          unchecked((stack[sp++] = top));
          unchecked((stack[sp++] = exit));
        }
      }
    }
  }
  work += w;
}

/**
 * Searches [inp, inp+len) for the pattern whose program starts at global pc
 * `base`. `first` is a 256-entry table of bytes a match can start with, or
 * null when any position may start a match. On success sets matchStart and
 * matchEnd (UTF-16 offsets) and returns true.
 */
export function search(prog: VmProgram, base: u32, first: StaticArray<u8> | null, cache: PikeCache, inp: usize, len: u32): bool {
  let clist = cache.a;
  let nlist = cache.b;
  const insts = prog.insts;
  clist.size = 0;
  let matched = false;
  let i: u32 = 0; // byte offset
  let u: u32 = 0; // UTF-16 offset
  let prev: i32 = -1;
  let cur = decodeAt(inp, 0, len);
  let curLen = cpLen;
  while (true) {
    if (!matched) {
      if (clist.size == 0 && first != null) {
        // no live thread: skip to the next byte a match can start with
        const from = i;
        while (i < len) {
          const b = <u32>load<u8>(inp + i);
          if (unchecked(first[b]) != 0) break;
          if ((b & 0xc0) != 0x80) u += b >= 0xf0 ? 2 : 1;
          i++;
        }
        work += i - from;
        if (i >= len) break;
        if (i != from) {
          prev = decodeBefore(inp, i, len);
          cur = decodeAt(inp, i, len);
          curLen = cpLen;
        }
      }
      addThread(prog, base, clist, cache, 0, u, i, len, prev, cur);
    }
    if (clist.size == 0) {
      if (matched || i >= len) break;
    } else {
      // the code point after cur, for the closures at the next position
      const ni = i + curLen;
      const next = decodeAt(inp, ni, len);
      const nextLen = cpLen;
      nlist.size = 0;
      for (let t: u32 = 0; t < clist.size; t++) {
        const pc = unchecked(clist.dense[t]);
        const at = (base + pc) * 3;
        const op = unchecked(insts[at]);
        if (op == OP_MATCH) {
          matched = true;
          matchStart = unchecked(clist.start[t]);
          matchEnd = u;
          break; // lower-priority threads are cut
        }
        if (op == OP_CLASS && cur >= 0 && prog.classHas(unchecked(insts[at + 1]), <u32>cur)) {
          addThread(prog, base, nlist, cache, pc + 1, unchecked(clist.start[t]), ni, len, cur, next);
        }
      }
      work += clist.size;
      if (i >= len) break;
      const tmp = clist;
      clist = nlist;
      nlist = tmp;
      i = ni;
      u += curLen == 4 ? 2 : 1;
      prev = cur;
      cur = next;
      curLen = nextLen;
      continue;
    }
    // the start thread died at once (a failed assertion): move on one code point
    i += curLen;
    u += curLen == 4 ? 2 : 1;
    prev = cur;
    cur = decodeAt(inp, i, len);
    curLen = cpLen;
  }
  return matched;
}
