// What a pattern costs to scan, for rule authors (raxe rules validate).
//
// Every pattern is linear in the text. Its worst case per byte is the
// number of NFA instructions of its program: the Pike VM (and a DFA that
// gave up) visit each at most once per code point. Whether it usually runs
// at DFA speed -- one table lookup per byte -- depends on how many DFA states
// it needs, which can be exponential in the pattern ([ab]*a[ab]{25}c needs
// up to 2^26): probeDfa() runs the pattern's DFA, with a small budget, over
// deterministic pseudo-random text drawn from the pattern's own alphabet
// (the text an adversary would choose) and reports the states it needed, or
// -1 when it gave up.
//
// canMatchEmpty(): can the pattern match the empty string somewhere? (Then
// it flags every input; rule packs refuse such patterns.)
import { VmProgram } from '../pikevm/pikevm';
import { OP_CLASS } from '../nfa/program';
import { Node, K_EMPTY, K_CLASS, K_ASSERT, K_CONCAT, K_ALT, K_REPEAT } from '../syntax/ast';
import { LazyDfa } from '../dfa/lazy';

/** Cache budget of the probe's DFA: a pattern that needs more on its own alphabet is "exponential". */
export const PROBE_BYTES: i32 = 256 << 10;
/** Length of the probe text. */
export const PROBE_TEXT: i32 = 32 << 10;

/** Can the parsed pattern match the empty string (anywhere: assertions may hold)? */
export function canMatchEmpty(n: Node): bool {
  switch (n.kind) {
    case K_EMPTY:
    case K_ASSERT: return true;
    case K_CLASS: return false;
    case K_CONCAT: {
      for (let i = 0; i < n.children.length; i++) if (!canMatchEmpty(n.children[i])) return false;
      return true;
    }
    case K_ALT: {
      for (let i = 0; i < n.children.length; i++) if (canMatchEmpty(n.children[i])) return true;
      return false;
    }
    case K_REPEAT: return n.min == 0 || canMatchEmpty(n.children[0]);
  }
  return false;
}

/**
 * States the DFA of one pattern (program [start, start + len)) needs on
 * PROBE_TEXT bytes of its own alphabet, or -1 when it gave up (or had to
 * clear its cache). The probe is a run of the whole alphabet, then one run
 * per class of the pattern drawn from that class alone -- the text that keeps
 * a repetition's threads alive ([ab]*a[ab]{25}c blows up on a run of a/b).
 */
export function probeDfa(prog: VmProgram, start: u32, len: u32): i32 {
  const classes = new Array<u32>();
  for (let pc = start; pc < start + len; pc++) {
    if ((prog.insts[pc * 3] & 0xf) != OP_CLASS) continue;
    const ci = prog.insts[pc * 3 + 1];
    if (!classes.includes(ci)) classes.push(ci);
  }
  const all = new Array<u8>();
  const seen = new StaticArray<u8>(128);
  let wide = false;
  for (let j = 0; j < classes.length; j++) {
    const m = sample(prog, classes[j]);
    for (let i = 0; i < m.length; i++) if (seen[m[i]] == 0) {
      seen[m[i]] = 1;
      all.push(m[i]);
    }
    if (prog.clsCnt[classes[j]] > 0) wide = true;
  }
  if (all.length == 0) all.push(0x20);
  const buf = heap.alloc(<usize>PROBE_TEXT);
  let n = 0;
  rng = 0x9e3779b9;
  n = fill(buf, n, PROBE_TEXT / 4, all, wide);
  const segs = min(classes.length, MAX_PROBE_CLASSES);
  const per = segs > 0 ? (PROBE_TEXT - n) / segs : 0;
  for (let j = 0; j < segs; j++) {
    const m = sample(prog, classes[j]);
    if (m.length > 0) n = fill(buf, n, per, m, false);
  }
  const roots = new StaticArray<u32>(1);
  roots[0] = start;
  const mpcs = new StaticArray<u32>(1);
  mpcs[0] = start + len - 1;
  const ids = new StaticArray<u32>(1);
  const dfa = new LazyDfa(prog, roots, mpcs, ids, start, len, null, PROBE_BYTES, null);
  const found = new StaticArray<u32>(1);
  const at = dfa.scan(buf, 0, <u32>n, found, 1, 0, null);
  heap.free(buf);
  const states = dfa.states;
  const blew = at < <u32>n || dfa.clears > 0;
  dfa.dispose();
  return blew ? -1 : states;
}

/** Classes the probe gives a run of their own (the first ones in the pattern). */
const MAX_PROBE_CLASSES: i32 = 24;

let rng: u32 = 0;

/** Appends about `count` pseudo-random bytes from `alpha` (and an occasional é when `wide`) at buf + n. */
function fill(buf: usize, n0: i32, count: i32, alpha: Array<u8>, wide: bool): i32 {
  let n = n0;
  const end = min(n0 + count, PROBE_TEXT - 2);
  while (n < end) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    if (wide && rng % 61 == 0) {
      store<u8>(buf + n, 0xc3);
      store<u8>(buf + n + 1, 0xa9);
      n += 2;
    } else {
      store<u8>(buf + n, alpha[<i32>(rng % <u32>alpha.length)]);
      n++;
    }
  }
  return n;
}

/** Up to 16 ASCII members of class ci, spread over the class (a broad class like . or \w gives a sample). */
function sample(prog: VmProgram, ci: u32): Array<u8> {
  let members = 0;
  for (let c: u32 = 0; c < 128; c++) if (prog.classHas(ci, c)) members++;
  const step = members > 16 ? members / 16 : 1;
  const out = new Array<u8>();
  let k = 0;
  for (let c: u32 = 0; c < 128; c++) {
    if (!prog.classHas(ci, c)) continue;
    if (k++ % step == 0) out.push(<u8>c);
  }
  return out;
}
