// Serialisation of a finished PatternSet, so a pack can be compiled ahead of
// time and loaded without parsing, case folding or literal analysis.
//
// The stored form is compact: each pattern is its parsed tree's byte code
// (nfa/compile.ts: a counted repetition x{1,40} is one node, not 40 copies),
// plus the class table, each pattern's first-byte set and its prefilter
// literals. Loading reads the blob where it lies in linear memory (the host
// writes the file there) and re-runs only the Thompson emitter, which
// expands the repetitions -- a few milliseconds for the built-in pack. The
// Aho-Corasick automaton is not stored: it is built on the first scan that
// needs it (prefilter/candidates.ts), which ordinary scans never do.
//
// Format: MAGIC, VERSION (u32 LE), then sections of LEB128 varints and raw
// bytes, then MAGIC and a checksum of everything before it. The caller pairs a blob with the engine build that wrote
// it (src/core checks a hash of the wasm).
import { PatternSet } from './set';
import { ByteWriter, codeBad, clearCodeBad } from '../nfa/compile';
import { CodeClasses, readEnd } from '../dfa/classes';

const MAGIC: u32 = 0x344d5852; // "RXM4"
const VERSION: u32 = 4;

class ByteReader {
  p: usize;
  end: usize;
  ok: bool = true;

  constructor(p: usize, len: u32) {
    this.p = p;
    this.end = p + <usize>len;
  }

  u8(): u32 {
    if (this.p >= this.end) {
      this.ok = false;
      return 0;
    }
    return <u32>load<u8>(this.p++);
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

  vu(): u32 {
    let v: u32 = 0;
    let shift: u32 = 0;
    while (this.ok) {
      const b = this.u8();
      v |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
      shift += 7;
      if (shift > 28) this.ok = false;
    }
    return v;
  }
}

/** FNV-1a over 32-bit words (and the tail bytes): catches a truncated or damaged blob. */
function checksum(p: usize, len: u32): u32 {
  let h: u32 = 2166136261;
  let i: u32 = 0;
  for (; i + 4 <= len; i += 4) h = (h ^ load<u32>(p + i)) * 16777619;
  for (; i < len; i++) h = (h ^ <u32>load<u8>(p + i)) * 16777619;
  return h;
}

/** The set's bytes; the set must be finished. */
export function serialize(s: PatternSet): StaticArray<u8> {
  const w = new ByteWriter();
  w.u32(MAGIC);
  w.u32(VERSION);
  const cl = s.prog.classes;
  w.vu(<u32>cl.length);
  for (let i = 0; i < cl.ascii.length; i++) w.u32(cl.ascii[i]);
  for (let i = 0; i < cl.length; i++) {
    w.vu(cl.off[i]);
    w.vu(cl.cnt[i]);
  }
  w.vu(<u32>cl.ranges.length);
  for (let i = 0; i < cl.ranges.length; i++) w.vu(cl.ranges[i]);
  w.vu(s.prog.maxLoops);
  w.vu(<u32>s.prog.length);
  const n = s.starts.length;
  w.vu(<u32>n);
  for (let i = 0; i < n; i++) {
    w.u8(s.alwaysList[i]);
    w.u8(s.fullMaskList[i]);
  }
  const fs = s.firsts;
  for (let i = 0; i < n; i++) {
    w.u8(fs.has[i]);
    if (fs.has[i] != 0) for (let k = 0; k < 32; k++) w.u8(fs.bits[i * 32 + k]);
  }
  const trees = s.code.b;
  w.vu(<u32>trees.length);
  for (let i = 0; i < trees.length; i++) w.u8(trees[i]);
  w.vu(<u32>s.lits.length);
  for (let i = 0; i < s.lits.length; i++) {
    w.vu(s.litIds[i]);
    const lit = s.lits[i];
    w.vu(<u32>lit.length);
    for (let j = 0; j < lit.length; j++) w.u8(<u32>lit.charCodeAt(j));
  }
  // the root DFA's code point classes (empty set: none)
  if (n > 0) s.tree!.rootClasses().write(w);
  w.u32(MAGIC);
  w.u32(checksum(w.b.dataStart, <u32>w.b.length));
  const out = new StaticArray<u8>(w.b.length);
  memory.copy(changetype<usize>(out), w.b.dataStart, <usize>w.b.length);
  return out;
}

/** Rebuilds a finished set from `len` bytes at p (read in place); false if the blob is malformed. */
export function deserialize(s: PatternSet, p: usize, len: u32): bool {
  if (len < 16 || load<u32>(p + <usize>len - 4) != checksum(p, len - 4)) return false;
  const r = new ByteReader(p, len - 4);
  if (r.u32() != MAGIC || r.u32() != VERSION) return false;
  const cl = s.prog.classes;
  const nc = <i32>r.vu();
  if (!r.ok || nc > 1 << 20) return false;
  for (let i = 0; i < nc * 4; i++) cl.ascii.push(r.u32());
  for (let i = 0; i < nc; i++) {
    cl.off.push(r.vu());
    cl.cnt.push(r.vu());
  }
  const nr = <i32>r.vu();
  if (!r.ok || <usize>nr > <usize>len) return false;
  for (let i = 0; i < nr; i++) cl.ranges.push(r.vu());
  s.prog.maxLoops = r.vu();
  const insts = r.vu();
  if (!r.ok || insts > 4000000) return false;
  s.prog.reserve(<i32>insts);
  const n = <i32>r.vu();
  if (!r.ok || <usize>n > <usize>len) return false;
  for (let i = 0; i < n; i++) {
    s.alwaysList.push(<u8>r.u8());
    s.fullMaskList.push(<u8>r.u8());
  }
  if (r.p + <usize>n * 33 > r.end && r.p + <usize>n > r.end) return false;
  r.p = s.firsts.read(r.p, n);
  if (r.p > r.end) return false;
  const tl = r.vu();
  if (!r.ok || r.p + <usize>tl > r.end) return false;
  const end = r.p + <usize>tl;
  clearCodeBad();
  s.addCodes(r.p, end, n);
  if (codeBad || s.prog.length != <i32>insts) return false;
  r.p = end;
  const nl = <i32>r.vu();
  if (!r.ok || <usize>nl > <usize>len) return false;
  for (let i = 0; i < nl && r.ok; i++) {
    s.litIds.push(r.vu());
    const m = r.vu();
    if (r.p + <usize>m > r.end) return false;
    s.lits.push(String.UTF8.decodeUnsafe(r.p, <usize>m));
    r.p += <usize>m;
  }
  let classes: CodeClasses | null = null;
  if (n > 0) {
    classes = CodeClasses.read(r.p, r.end);
    if (classes == null) return false;
    r.p = readEnd;
  }
  if (r.u32() != MAGIC || !r.ok) return false;
  for (let i = 0; i < cl.off.length; i++) if (cl.off[i] + cl.cnt[i] > <u32>(cl.ranges.length >> 1)) return false;
  s.freeze();
  if (classes != null) s.tree!.classes = classes;
  return true;
}
