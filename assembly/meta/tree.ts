// How the meta layer answers "which patterns match": a tree of lazy DFAs.
//
// The root is one lazy DFA over every pattern of the set. On ordinary text it
// answers in one pass, at one table lookup per byte once its cache is warm.
// Its cache is bounded; when it thrashes -- a text keeps creating states, as
// text made of rule vocabulary does when hundreds of partial matches combine
// -- it gives up at some position and hands its state there to its children:
// DFAs over FANOUT contiguous slices of the patterns (fewer patterns, far
// fewer combinations), which continue from that position. A child that also
// thrashes hands over to its own children, down to DFAs over one pattern;
// one of those that still thrashes (an exponential pattern such as
// [ab]*a[ab]{25}c) is answered by the Pike VM over the whole text.
//
// Below the root, a slice is skipped when every pattern in it has matched
// already or none is a prefilter candidate (prefilter/candidates.ts: it never
// misses, so the answer stays exact). Each node keeps its cache across scans.
// Work is linear in the text: a scan runs each node at most once, each node
// reads each byte at most once, and the tree has fewer than 2n nodes.
import { VmProgram, PikeCache, search } from '../pikevm/pikevm';
import { LazyDfa, F_START } from '../dfa/lazy';
import { Candidates } from '../prefilter/candidates';
import { FirstSets } from '../prefilter/first';
import { CodeClasses } from '../dfa/classes';

/** Children per node when a node's DFA gives up. */
export const FANOUT: i32 = 8;
/**
 * After the root gives up on a text, it is bypassed (its children start at
 * the beginning) for this many scans of texts longer than twice what it
 * managed: a stream of such texts then does not pay for filling the root's
 * cache again each time, and shorter texts keep the one-pass root.
 */
export const ROOT_BACKOFF: i32 = 32;
/**
 * Cache budget of the root DFA, the one that runs on every scan, in bytes:
 * about 22,000 states of the built-in pack, which a 1 MB document of mixed
 * prose, code and logs needs without clearing (see bench/run.js).
 */
export const ROOT_MAX_BYTES: i32 = 16 << 20;
/**
 * Cache budget of every other DFA, per pattern it covers, and its bounds: they
 * run only on texts the root gave up on, and a slice of few patterns needs
 * few states.
 */
export const NODE_BYTES_PER_PATTERN: i32 = 32 << 10;
export const NODE_MIN_BYTES: i32 = 128 << 10;
export const NODE_MAX_BYTES: i32 = 2 << 20;

/** Budgets in force (tests shrink them to drive every fallback path). */
export let rootMaxBytes: i32 = ROOT_MAX_BYTES;
export let nodeMaxBytes: i32 = 0;

/** Sets the cache budgets of DFAs made from now on (0: the defaults). */
export function setBudgets(root: i32, slice: i32): void {
  rootMaxBytes = root > 0 ? root : ROOT_MAX_BYTES;
  nodeMaxBytes = slice;
}

function nodeBudget(patterns: i32): i32 {
  if (nodeMaxBytes > 0) return nodeMaxBytes;
  return min(NODE_MAX_BYTES, max(NODE_MIN_BYTES, patterns * NODE_BYTES_PER_PATTERN));
}

export class DfaNode {
  /** pattern ids [lo, hi) */
  lo: i32;
  hi: i32;
  maxBytes: i32;
  dfa: LazyDfa | null = null;
  kids: Array<DfaNode> | null = null;

  constructor(lo: i32, hi: i32, maxBytes: i32) {
    this.lo = lo;
    this.hi = hi;
    this.maxBytes = maxBytes;
  }
}

export class DfaTree {
  prog: VmProgram;
  starts: StaticArray<u32>;
  lens: StaticArray<u32>;
  firsts: FirstSets;
  cache: PikeCache;
  root: DfaNode;
  /** the root DFA's code point classes (stored with a precompiled set: computing them is most of a cold start's first scan) */
  classes: CodeClasses | null = null;

  /** The root DFA's code point classes (computed once when not loaded). */
  rootClasses(): CodeClasses {
    let c = this.classes;
    if (c == null) {
      const last = this.starts.length - 1;
      c = CodeClasses.forProgram(this.prog, this.starts[0], this.starts[last] + this.lens[last] - this.starts[0]);
      this.classes = c;
    }
    return c;
  }

  /** bytes the root managed before it last gave up, and scans left to bypass it */
  rootGaveAfter: u32 = 0;
  rootBackoff: i32 = 0;
  /** diagnostics of the last scan: DFA nodes run, give-ups, Pike VM runs */
  nodesRun: i32 = 0;
  giveUps: i32 = 0;
  pikeRuns: i32 = 0;

  constructor(prog: VmProgram, starts: StaticArray<u32>, lens: StaticArray<u32>, firsts: FirstSets, cache: PikeCache) {
    this.prog = prog;
    this.starts = starts;
    this.lens = lens;
    this.firsts = firsts;
    this.cache = cache;
    this.root = new DfaNode(0, starts.length, rootMaxBytes);
  }

  /** Sets found[p] = gen for every pattern p that matches [inp, inp+len). */
  scan(inp: usize, len: u32, found: StaticArray<u32>, gen: u32, cands: Candidates): void {
    this.nodesRun = 0;
    this.giveUps = 0;
    this.pikeRuns = 0;
    if (this.starts.length == 0) return;
    if (this.rootBackoff > 0) {
      this.rootBackoff--;
      if (len > this.rootGaveAfter * 2 && this.root.kids != null) {
        this.handOver(this.root, inp, 0, len, found, gen, F_START, new Array<u32>(), cands);
        return;
      }
    }
    this.run(this.root, inp, 0, len, found, gen, 0, null, cands);
  }

  private run(nd: DfaNode, inp: usize, from: u32, len: u32, found: StaticArray<u32>, gen: u32, flags: u32, kernel: Array<u32> | null, cands: Candidates): void {
    if (nd !== this.root) {
      let live = false;
      for (let p = nd.lo; p < nd.hi && !live; p++) {
        if (unchecked(found[p]) != gen && cands.may(p, inp, len)) live = true;
      }
      if (!live) return;
    }
    let d = nd.dfa;
    if (d == null) {
      d = this.dfaOf(nd);
      nd.dfa = d;
    }
    this.nodesRun++;
    const at = d.scan(inp, from, len, found, gen, flags, kernel);
    if (at >= len) return;
    this.giveUps++;
    if (nd === this.root) {
      this.rootGaveAfter = at;
      this.rootBackoff = ROOT_BACKOFF;
    }
    if (nd.hi - nd.lo == 1) {
      const p = nd.lo;
      this.pikeRuns++;
      if (search(this.prog, unchecked(this.starts[p]), this.firsts.get(p), this.cache, inp, len)) unchecked((found[p] = gen));
      return;
    }
    this.handOver(nd, inp, at, len, found, gen, d.outFlags, d.outKernel, cands);
  }

  /** Runs the node's children from position `at` in the state (flags, kernel), each on its own threads. */
  private handOver(nd: DfaNode, inp: usize, at: u32, len: u32, found: StaticArray<u32>, gen: u32, outFlags: u32, out: Array<u32>, cands: Candidates): void {
    let kids = nd.kids;
    if (kids == null) {
      kids = this.split(nd);
      nd.kids = kids;
    }
    for (let j = 0; j < kids.length; j++) {
      const kid = kids[j];
      const lo = this.starts[kid.lo];
      const hi = this.starts[kid.hi - 1] + this.lens[kid.hi - 1];
      const mine = new Array<u32>();
      for (let i = 0; i < out.length; i++) {
        const pc = out[i] & 0x7fffffff;
        if (pc >= lo && pc < hi) mine.push(out[i]);
      }
      this.run(kid, inp, at, len, found, gen, outFlags, mine, cands);
    }
  }

  /** FANOUT slices of the node's patterns with about equal program size (single patterns below that). */
  private split(nd: DfaNode): Array<DfaNode> {
    const out = new Array<DfaNode>();
    const m = nd.hi - nd.lo;
    if (m <= FANOUT) {
      for (let p = nd.lo; p < nd.hi; p++) out.push(new DfaNode(p, p + 1, nodeBudget(1)));
      return out;
    }
    let total: f64 = 0;
    for (let p = nd.lo; p < nd.hi; p++) total += <f64>this.lens[p];
    let lo = nd.lo;
    let acc: f64 = 0;
    for (let p = nd.lo; p < nd.hi; p++) {
      acc += <f64>this.lens[p];
      const after = nd.hi - p - 1; // patterns left for the later slices
      const later = FANOUT - out.length - 1; // slices still to make after this one
      if (later > 0 && after >= later && acc >= (total * <f64>(out.length + 1)) / <f64>FANOUT) {
        out.push(new DfaNode(lo, p + 1, nodeBudget(p + 1 - lo)));
        lo = p + 1;
      }
    }
    out.push(new DfaNode(lo, nd.hi, nodeBudget(nd.hi - lo)));
    if (out.length >= 2) return out;
    // sizes too skewed to cut by size (one huge pattern last): cut by count
    out.length = 0;
    const step = (m + FANOUT - 1) / FANOUT;
    for (let a = nd.lo; a < nd.hi; a += step) {
      const b = min(a + step, nd.hi);
      out.push(new DfaNode(a, b, nodeBudget(b - a)));
    }
    return out;
  }

  private dfaOf(nd: DfaNode): LazyDfa {
    const k = nd.hi - nd.lo;
    const roots = new StaticArray<u32>(k);
    const mpcs = new StaticArray<u32>(k);
    const mids = new StaticArray<u32>(k);
    let first: StaticArray<u8> | null = new StaticArray<u8>(256);
    for (let j = 0; j < k; j++) {
      const p = nd.lo + j;
      roots[j] = this.starts[p];
      mpcs[j] = this.starts[p] + this.lens[p] - 1;
      mids[j] = <u32>p;
      const f = this.firsts.get(p);
      if (f == null) first = null;
      else if (first != null) for (let b = 0; b < 256; b++) first[b] |= f[b];
    }
    const base = this.starts[nd.lo];
    const span = this.starts[nd.hi - 1] + this.lens[nd.hi - 1] - base;
    return new LazyDfa(this.prog, roots, mpcs, mids, base, span, first, nd.maxBytes, nd === this.root ? this.rootClasses() : null);
  }
}
