// The compiled form of a pattern set: one instruction array shared by all
// patterns (each pattern has its own entry point) and one class table.
//
// Instruction i is three u32s at insts[3i..3i+2]: op, a, b.
//   CLASS  a = class index         consume one code point in the class, go to i+1
//   ASSERT a = assertion kind      zero-width test, go to i+1
//   SPLIT  a = preferred, b = other
//   JMP    a = target
//   MATCH                         the pattern matched
//   ENTER  (loop k in op >> 8)     start of an iteration of unbounded loop k; go to i+1
//   BACK   (loop k in op >> 8, greedy in bit 4) a = loop top, b = loop exit:
//          if the iteration that just ended consumed nothing (loop k's ENTER
//          is on the current closure path), go to the exit; otherwise split
//          between another iteration and the exit. This is Python's rule:
//          an empty iteration ends the loop and the rest of the pattern is
//          tried right there, with that path's priority.
// The low 4 bits of `op` are the opcode (see opcode()).
import { RangeSet } from '../unicode/ranges';

export const OP_CLASS: u32 = 0;
export const OP_ASSERT: u32 = 1;
export const OP_SPLIT: u32 = 2;
export const OP_JMP: u32 = 3;
export const OP_MATCH: u32 = 4;
export const OP_ENTER: u32 = 5;
export const OP_BACK: u32 = 6;

// @ts-ignore: decorator
@inline
export function opcode(op: u32): u32 {
  return op & 0xf;
}

export class ClassTable {
  /** 4 u32 per class: membership bitmap of code points 0..127. */
  ascii: Array<u32> = new Array<u32>();
  /** per class: offset into `ranges` and number of non-ASCII ranges. */
  off: Array<u32> = new Array<u32>();
  cnt: Array<u32> = new Array<u32>();
  ranges: Array<u32> = new Array<u32>();
  /** hash of a range list -> class indices with that hash */
  private byHash: Map<u32, Array<i32>> = new Map<u32, Array<i32>>();
  /** each class's full range list, to compare on a hash hit */
  private lists: Array<Array<u32>> = new Array<Array<u32>>();

  get length(): i32 {
    return this.off.length;
  }

  /** Index of the class for `s`, adding it if new. */
  intern(s: RangeSet): i32 {
    const r = s.r;
    let h: u32 = 2166136261;
    for (let i = 0; i < r.length; i++) h = (h ^ r[i]) * 16777619;
    let bucket: Array<i32>;
    if (this.byHash.has(h)) {
      bucket = this.byHash.get(h);
      for (let k = 0; k < bucket.length; k++) if (sameList(this.lists[bucket[k]], r)) return bucket[k];
    } else {
      bucket = new Array<i32>();
      this.byHash.set(h, bucket);
    }
    const idx = this.off.length;
    bucket.push(idx);
    this.lists.push(r);
    const bits = new StaticArray<u32>(4);
    this.off.push(<u32>(this.ranges.length >> 1)); // in ranges, not u32s
    let n: u32 = 0;
    for (let i = 0; i < r.length; i += 2) {
      const lo = r[i];
      const hi = r[i + 1];
      for (let c = lo; c <= hi && c < 128; c++) bits[c >> 5] |= 1 << (c & 31);
      if (hi >= 128) {
        this.ranges.push(lo < 128 ? 128 : lo);
        this.ranges.push(hi);
        n++;
      }
    }
    this.cnt.push(n);
    for (let k = 0; k < 4; k++) this.ascii.push(bits[k]);
    return idx;
  }
}

function sameList(a: Array<u32>, b: Array<u32>): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
  return true;
}

export class Program {
  /** instruction words; only the first n * 3 are in use (the rest is room to grow) */
  insts: StaticArray<u32> = new StaticArray<u32>(48);
  n: i32 = 0;
  /** unbounded loops emitted for the current pattern (their ids) */
  loops: u32 = 0;
  /** most loops in any one pattern (sizes the VM's scratch) */
  maxLoops: u32 = 0;
  classes: ClassTable = new ClassTable();

  get length(): i32 {
    return this.n;
  }

  /** Makes room for `n` instructions in all (deserialize knows the total: no regrowth while emitting). */
  reserve(n: i32): void {
    if (n * 3 <= this.insts.length) return;
    const a = new StaticArray<u32>(n * 3);
    memory.copy(changetype<usize>(a), changetype<usize>(this.insts), <usize>this.n * 12);
    this.insts = a;
  }

  emit(op: u32, a: u32, b: u32): i32 {
    const pc = this.n;
    if ((pc + 1) * 3 > this.insts.length) this.reserve(pc * 2 + 16);
    const at = changetype<usize>(this.insts) + (<usize>pc * 12);
    store<u32>(at, op);
    store<u32>(at, a, 4);
    store<u32>(at, b, 8);
    this.n = pc + 1;
    return pc;
  }

  setA(pc: i32, a: u32): void {
    this.insts[pc * 3 + 1] = a;
  }

  setB(pc: i32, b: u32): void {
    this.insts[pc * 3 + 2] = b;
  }

  op(pc: i32): u32 {
    return this.insts[pc * 3] & 0xf;
  }

  a(pc: i32): u32 {
    return this.insts[pc * 3 + 1];
  }

  b(pc: i32): u32 {
    return this.insts[pc * 3 + 2];
  }
}
