// Code point equivalence classes for the lazy DFA.
//
// Two code points are equivalent when every character class of the program
// contains both or neither, and they agree on the two properties assertions
// look at (\w-ness for \b and \B, being "\n" for ^ $ in MULTILINE). A DFA
// transition then depends only on the class, so one table row per state
// holds K entries instead of one per code point.
//
// Contract: classOf(c) == classOf(d) implies, for every class ci of the
// program, classHas(ci, c) == classHas(ci, d), isWord(c) == isWord(d) and
// (c == 0x0a) == (d == 0x0a). ASCII is a direct table; the rest of the code
// space is a sorted list of intervals (binary search, with a lazily filled
// cache for the Basic Multilingual Plane).
import { VmProgram } from '../pikevm/pikevm';
import { WORD_RANGES } from '../unicode/tables';
import { isWord } from '../unicode/props';
import { OP_CLASS } from '../nfa/program';
import { ByteWriter } from '../nfa/compile';
import { U32Buf, sortUnique } from './buf';

export class CodeClasses {
  /** ASCII code point -> class */
  ascii: StaticArray<u16> = new StaticArray<u16>(128);
  /** non-ASCII intervals: wideStart[j] .. wideStart[j+1]-1 is class wideClass[j] */
  wideStart: StaticArray<u32> = new StaticArray<u32>(0);
  wideClass: StaticArray<u16> = new StaticArray<u16>(0);
  /** number of classes */
  k: i32 = 0;
  /** BMP cache: class + 1 of each code point looked up so far (0: not yet) */
  private bmp: StaticArray<u16> | null = null;

  /** The class of a non-ASCII code point. */
  wide(c: u32): u32 {
    if (c < 0x10000) {
      let t = this.bmp;
      if (t == null) {
        t = new StaticArray<u16>(0x10000);
        this.bmp = t;
      }
      const v = unchecked(t[c]);
      if (v != 0) return <u32>v - 1;
      const k = this.search(c);
      unchecked((t[c] = <u16>(k + 1)));
      return k;
    }
    return this.search(c);
  }

  private search(c: u32): u32 {
    const s = this.wideStart;
    let lo = 0;
    let hi = s.length - 1;
    // the last interval whose start is <= c (wideStart[0] == 0x80)
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (unchecked(s[mid]) <= c) lo = mid;
      else hi = mid - 1;
    }
    return <u32>unchecked(this.wideClass[lo]);
  }

  /** The classes of the character classes the instructions in pcs [base, base + span) use. */
  static forProgram(prog: VmProgram, base: u32, span: u32): CodeClasses {
    const nc = prog.clsOff.length;
    const mark = new StaticArray<u8>(nc);
    const used = new Array<u32>();
    const insts = prog.insts;
    for (let pc = base; pc < base + span; pc++) {
      if ((unchecked(insts[pc * 3]) & 0xf) != OP_CLASS) continue;
      const ci = unchecked(insts[pc * 3 + 1]);
      if (mark[ci] == 0) {
        mark[ci] = 1;
        used.push(ci);
      }
    }
    return CodeClasses.build(prog, used);
  }

  /** Builds the classes of the character classes `used` (ids into prog's class table). */
  static build(prog: VmProgram, used: Array<u32>): CodeClasses {
    const out = new CodeClasses();
    const n = used.length;
    // signature bits: one per class, then \w, then "is \n"
    const words = (n + 2 + 31) >> 5;
    const sigs = new SigTable(words);
    const sig = new StaticArray<u32>(words);
    const asig = new StaticArray<u32>(128 * words);
    for (let ci = 0; ci < n; ci++) {
      const a = used[ci] << 2;
      for (let w = 0; w < 4; w++) {
        let bits = unchecked(prog.clsAscii[a + w]);
        while (bits != 0) {
          const c = (w << 5) + <i32>ctz(bits);
          bits &= bits - 1;
          asig[c * words + (ci >> 5)] |= 1 << (ci & 31);
        }
      }
    }
    for (let c: u32 = 0; c < 128; c++) {
      for (let w = 0; w < words; w++) sig[w] = asig[c * words + w];
      if (isWord(<i32>c)) sig[n >> 5] |= 1 << (n & 31);
      if (c == 0x0a) sig[(n + 1) >> 5] |= 1 << ((n + 1) & 31);
      out.ascii[c] = <u16>sigs.intern(sig);
    }
    // breakpoints of every non-ASCII range (and of \w)
    const bps = new U32Buf(1024);
    bps.push(0x80);
    for (let ci = 0; ci < n; ci++) {
      const off = <i32>prog.clsOff[used[ci]];
      const cnt = <i32>prog.clsCnt[used[ci]];
      for (let r = off; r < off + cnt; r++) {
        bps.push(prog.ranges[r << 1]);
        if (prog.ranges[(r << 1) + 1] < 0x10ffff) bps.push(prog.ranges[(r << 1) + 1] + 1);
      }
    }
    for (let r = 0; r < WORD_RANGES.length; r += 2) {
      if (WORD_RANGES[r + 1] < 0x80) continue;
      bps.push(WORD_RANGES[r] < 0x80 ? 0x80 : WORD_RANGES[r]);
      bps.push(WORD_RANGES[r + 1] + 1);
    }
    const scratch = new U32Buf(bps.len);
    sortUnique(bps, scratch);
    // signature of each interval: sweep each class's ranges over the starts
    const m = bps.len;
    const isig = new StaticArray<u32>(m * words);
    for (let ci = 0; ci <= n; ci++) {
      let j = 0;
      const word = ci == n;
      const cnt = word ? WORD_RANGES.length >> 1 : <i32>prog.clsCnt[used[ci]];
      const off = word ? 0 : <i32>prog.clsOff[used[ci]];
      for (let r = 0; r < cnt; r++) {
        const lo = word ? WORD_RANGES[r << 1] : prog.ranges[(off + r) << 1];
        const hi = word ? WORD_RANGES[(r << 1) + 1] : prog.ranges[((off + r) << 1) + 1];
        if (hi < 0x80) continue;
        while (j < m && bps.get(j) < lo) j++;
        while (j < m && bps.get(j) <= hi) {
          isig[j * words + (ci >> 5)] |= 1 << (ci & 31);
          j++;
        }
      }
    }
    const ws = new Array<u32>();
    const wc = new Array<u16>();
    for (let j = 0; j < m; j++) {
      for (let w = 0; w < words; w++) sig[w] = isig[j * words + w];
      const k = <u16>sigs.intern(sig);
      if (wc.length > 0 && wc[wc.length - 1] == k) continue;
      ws.push(bps.get(j));
      wc.push(k);
    }
    heap.free(bps.ptr);
    heap.free(scratch.ptr);
    out.wideStart = toStaticU32(ws);
    out.wideClass = new StaticArray<u16>(wc.length);
    for (let j = 0; j < wc.length; j++) out.wideClass[j] = wc[j];
    out.k = sigs.count;
    return out;
  }

  /** Appends the stored form (meta/serial.ts). */
  write(w: ByteWriter): void {
    w.vu(<u32>this.k);
    for (let c = 0; c < 128; c++) w.vu(this.ascii[c]);
    w.vu(<u32>this.wideStart.length);
    for (let j = 0; j < this.wideStart.length; j++) {
      w.vu(this.wideStart[j]);
      w.vu(this.wideClass[j]);
    }
  }

  /** Reads the stored form at p (within [p, end)); null when malformed. Sets `readEnd`. */
  static read(p: usize, end: usize): CodeClasses | null {
    const r = new VarReader(p, end);
    const out = new CodeClasses();
    out.k = <i32>r.vu();
    for (let c = 0; c < 128; c++) out.ascii[c] = <u16>r.vu();
    const m = <i32>r.vu();
    if (!r.ok || m > <i32>(end - p) || out.k > 0xffff) return null;
    out.wideStart = new StaticArray<u32>(m);
    out.wideClass = new StaticArray<u16>(m);
    for (let j = 0; j < m; j++) {
      out.wideStart[j] = r.vu();
      out.wideClass[j] = <u16>r.vu();
    }
    if (!r.ok || m == 0 || out.wideStart[0] != 0x80) return null;
    for (let c = 0; c < 128; c++) if (<i32>out.ascii[c] >= out.k) return null;
    for (let j = 0; j < m; j++) if (<i32>out.wideClass[j] >= out.k || (j > 0 && out.wideStart[j] <= out.wideStart[j - 1])) return null;
    readEnd = r.p;
    return out;
  }
}

/** Where CodeClasses.read() stopped. */
export let readEnd: usize = 0;

/** LEB128 varints from [p, end). */
class VarReader {
  p: usize;
  end: usize;
  ok: bool = true;

  constructor(p: usize, end: usize) {
    this.p = p;
    this.end = end;
  }

  vu(): u32 {
    let v: u32 = 0;
    let shift: u32 = 0;
    while (true) {
      if (this.p >= this.end || shift > 28) {
        this.ok = false;
        return 0;
      }
      const b = <u32>load<u8>(this.p++);
      v |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
      shift += 7;
    }
  }
}

/** Interns bit signatures (open addressing over their hashes). */
class SigTable {
  words: i32;
  store: Array<u32> = new Array<u32>();
  slots: StaticArray<i32> = new StaticArray<i32>(1024);
  count: i32 = 0;

  constructor(words: i32) {
    this.words = words;
  }

  intern(sig: StaticArray<u32>): i32 {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    let h: u32 = 2166136261;
    for (let w = 0; w < this.words; w++) h = (h ^ sig[w]) * 16777619;
    const mask = this.slots.length - 1;
    let at = <i32>(h & <u32>mask);
    while (true) {
      const id = this.slots[at];
      if (id == 0) break;
      if (this.same(id - 1, sig)) return id - 1;
      at = (at + 1) & mask;
    }
    const id = this.count++;
    for (let w = 0; w < this.words; w++) this.store.push(sig[w]);
    this.slots[at] = id + 1;
    return id;
  }

  private same(id: i32, sig: StaticArray<u32>): bool {
    const base = id * this.words;
    for (let w = 0; w < this.words; w++) if (this.store[base + w] != sig[w]) return false;
    return true;
  }

  private grow(): void {
    const old = this.count;
    this.slots = new StaticArray<i32>(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 0; id < old; id++) {
      let h: u32 = 2166136261;
      for (let w = 0; w < this.words; w++) h = (h ^ this.store[id * this.words + w]) * 16777619;
      let at = <i32>(h & <u32>mask);
      while (this.slots[at] != 0) at = (at + 1) & mask;
      this.slots[at] = id + 1;
    }
  }
}

function toStaticU32(a: Array<u32>): StaticArray<u32> {
  const s = new StaticArray<u32>(a.length);
  for (let i = 0; i < a.length; i++) unchecked((s[i] = a[i]));
  return s;
}
