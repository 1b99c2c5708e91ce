// Serialisation of a finished PatternSet, so a pack can be compiled ahead of
// time and loaded without parsing or compiling anything.
//
// Format: u32 words, little-endian. MAGIC, VERSION, then each array as
// (length, words...). The caller is responsible for pairing a blob with the
// engine build that wrote it (src/core checks a hash of the wasm).
import { PatternSet } from './set';
import { VmProgram, PikeCache } from '../pikevm/pikevm';
import { AhoCorasick } from '../prefilter/aho';

const MAGIC: u32 = 0x314d5852; // "RXM1"
const VERSION: u32 = 3;

class Writer {
  w: Array<u32> = new Array<u32>();
  u32(v: u32): void {
    this.w.push(v);
  }
  arr(a: StaticArray<u32>): void {
    this.w.push(<u32>a.length);
    for (let i = 0; i < a.length; i++) this.w.push(unchecked(a[i]));
  }
  list(a: Array<u32>): void {
    this.w.push(<u32>a.length);
    for (let i = 0; i < a.length; i++) this.w.push(a[i]);
  }
}

class Reader {
  p: usize;
  end: usize;
  ok: bool = true;
  constructor(p: usize, len: u32) {
    this.p = p;
    this.end = p + <usize>len;
  }
  u32(): u32 {
    if (this.p + 4 > this.end) {
      this.ok = false;
      return 0;
    }
    const v = load<u32>(this.p);
    this.p += 4;
    return v;
  }
  arr(): StaticArray<u32> {
    const n = this.u32();
    if (!this.ok || this.p + (<usize>n << 2) > this.end) {
      this.ok = false;
      return new StaticArray<u32>(0);
    }
    const a = new StaticArray<u32>(n);
    memory.copy(changetype<usize>(a), this.p, <usize>n << 2);
    this.p += <usize>n << 2;
    return a;
  }
}

/** The set's words; the set must be finished. */
export function serialize(s: PatternSet): StaticArray<u32> {
  const w = new Writer();
  w.u32(MAGIC);
  w.u32(VERSION);
  const vp = s.vmProg!;
  w.arr(vp.insts);
  w.arr(vp.clsAscii);
  w.arr(vp.clsOff);
  w.arr(vp.clsCnt);
  w.arr(vp.ranges);
  w.list(s.starts);
  w.list(s.lens);
  w.u32(s.prog.maxLoops);
  const n = s.starts.length;
  for (let i = 0; i < n; i++) {
    w.u32(s.alwaysList[i] | (<u32>s.fullMaskList[i] << 8));
    const f = s.firsts[i];
    if (f == null) w.u32(0);
    else {
      w.u32(1);
      for (let k = 0; k < 256; k += 4) w.u32(<u32>f[k] | (<u32>f[k + 1] << 8) | (<u32>f[k + 2] << 16) | (<u32>f[k + 3] << 24));
    }
  }
  const ac = s.ac;
  if (ac == null) w.u32(0);
  else {
    w.u32(1);
    w.u32(ac.nclasses);
    w.u32(ac.nstates);
    w.arr(ac.cmap);
    w.arr(ac.trans);
    w.arr(ac.outOff);
    w.arr(ac.outIds);
    w.arr(ac.dictLink);
  }
  w.u32(MAGIC);
  const out = new StaticArray<u32>(w.w.length);
  for (let i = 0; i < w.w.length; i++) unchecked((out[i] = w.w[i]));
  return out;
}

/** Rebuilds a finished set from `len` bytes at p; false if the blob is malformed. */
export function deserialize(s: PatternSet, p: usize, len: u32): bool {
  const r = new Reader(p, len);
  if (r.u32() != MAGIC || r.u32() != VERSION) return false;
  const insts = r.arr();
  const ascii = r.arr();
  const off = r.arr();
  const cnt = r.arr();
  const ranges = r.arr();
  const starts = r.arr();
  const lens = r.arr();
  const maxLoops = r.u32();
  if (!r.ok) return false;
  const n = starts.length;
  const always = new StaticArray<u8>(n);
  let maxLen: u32 = 1;
  for (let i = 0; i < n; i++) {
    s.starts.push(starts[i]);
    s.lens.push(lens[i]);
    if (lens[i] > maxLen) maxLen = lens[i];
    const word = r.u32();
    const a = <u8>(word & 0xff);
    always[i] = a;
    s.alwaysList.push(a);
    s.fullMaskList.push(<u8>(word >> 8));
    if (r.u32() == 0) s.firsts.push(null);
    else {
      const f = new StaticArray<u8>(256);
      for (let k = 0; k < 256; k += 4) {
        const v = r.u32();
        f[k] = <u8>v;
        f[k + 1] = <u8>(v >> 8);
        f[k + 2] = <u8>(v >> 16);
        f[k + 3] = <u8>(v >> 24);
      }
      s.firsts.push(f);
    }
  }
  if (r.u32() == 1) {
    const ac = new AhoCorasick();
    ac.nclasses = r.u32();
    ac.nstates = r.u32();
    const cmap = r.arr();
    if (cmap.length != 256) return false;
    ac.cmap = cmap;
    ac.trans = r.arr();
    ac.outOff = r.arr();
    ac.outIds = r.arr();
    ac.dictLink = r.arr();
    ac.stamp = new StaticArray<u32>(<i32>ac.nstates);
    s.ac = ac;
  }
  if (r.u32() != MAGIC || !r.ok) return false;
  s.vmProg = new VmProgram(insts, ascii, off, cnt, ranges);
  s.cache = new PikeCache(<i32>maxLen, <i32>maxLoops);
  s.always = always;
  s.results = new StaticArray<u32>(n * 3 + 3);
  s.prepare();
  return true;
}
