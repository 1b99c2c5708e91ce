// A compiled pattern set: every pattern's NFA in one program, a literal
// prefilter over all of them, and the scratch memory a scan needs.
//
// scan(): one Aho-Corasick pass marks candidate patterns; only candidates
// (and patterns without a usable literal) run in the Pike VM. Each runs at
// most once over the input, so a scan is O(patterns run x program x input)
// and never backtracks.
import * as E from '../errors';
import { Parser } from '../syntax/parser';
import { Program, OP_CLASS, OP_SPLIT, OP_JMP, OP_MATCH, OP_BACK } from '../nfa/program';
import { compilePattern, sizeOf, MAX_PATTERN_INSTS } from '../nfa/compile';
import { requiredLiteralSets } from '../prefilter/literals';
import { AhoCorasick } from '../prefilter/aho';
import { VmProgram, PikeCache, search, matchStart, matchEnd } from '../pikevm/pikevm';
import * as vm from '../pikevm/pikevm';
import { LazyDfa } from '../dfa/lazy';
import * as lazy from '../dfa/lazy';

/** Largest program (in instructions) that joins the union DFA. */
const UNION_MAX_PROGRAM: u32 = 32;

/** Most instructions a whole set may hold. */
const MAX_SET_INSTS: i32 = 4000000;

export class PatternSet {
  prog: Program = new Program();
  starts: Array<u32> = new Array<u32>();
  lens: Array<u32> = new Array<u32>();
  firsts: Array<StaticArray<u8> | null> = new Array<StaticArray<u8> | null>();
  lits: Array<string> = new Array<string>();
  litIds: Array<u32> = new Array<u32>();
  always: StaticArray<u8> = new StaticArray<u8>(0);
  alwaysList: Array<u8> = new Array<u8>();
  /** per pattern: bit k set when literal set k is required (all must occur) */
  fullMaskList: Array<u8> = new Array<u8>();
  fullMask: StaticArray<u8> = new StaticArray<u8>(0);
  candMask: StaticArray<u8> = new StaticArray<u8>(0);

  // after finish()
  vmProg: VmProgram | null = null;
  cache: PikeCache | null = null;
  ac: AhoCorasick | null = null;
  candStamp: StaticArray<u32> = new StaticArray<u32>(0);
  results: StaticArray<u32> = new StaticArray<u32>(0);
  scanId: u32 = 0;
  lastWork: u32 = 0;
  /** one lazy DFA over every pattern without a literal prefilter */
  unionDfa: LazyDfa | null = null;
  /** per-pattern lazy DFAs for prefilter candidates, made on first use */
  dfas: Array<LazyDfa | null> = new Array<LazyDfa | null>();
  maybe: StaticArray<u32> = new StaticArray<u32>(0);
  /** diagnostics of the last scan: candidates, DFA "maybe"s, Pike VM runs */
  statCand: u32 = 0;
  statMaybe: u32 = 0;
  statPike: u32 = 0;

  errCode: i32 = 0;
  errDetail: i32 = 0;
  errPos: i32 = 0;

  get count(): i32 {
    return this.starts.length;
  }

  /** Parses and compiles one pattern; returns an E.ERR_* code (0 = ok). */
  add(cps: Array<u32>, flags: u32): i32 {
    const p = new Parser(cps, flags);
    const root = p.parse();
    if (root == null) {
      const e = p.err!;
      return this.fail(e.code, e.detail, e.pos);
    }
    const size = sizeOf(root);
    if (size > MAX_PATTERN_INSTS) return this.fail(E.ERR_TOO_LARGE, E.S_PROGRAM, 0);
    if (<f64>this.prog.length + size > <f64>MAX_SET_INSTS) return this.fail(E.ERR_TOO_LARGE, E.S_SET, 0);
    const id = <u32>this.starts.length;
    const start = compilePattern(this.prog, root);
    this.starts.push(<u32>start);
    this.lens.push(<u32>(this.prog.length - start));
    this.firsts.push(this.firstBytes(start));
    const sets = requiredLiteralSets(root);
    if (sets.length == 0) {
      this.alwaysList.push(1);
      this.fullMaskList.push(0);
    } else {
      this.alwaysList.push(0);
      this.fullMaskList.push(<u8>((<u32>1 << <u32>sets.length) - 1));
      for (let k = 0; k < sets.length; k++) {
        const lits = sets[k];
        for (let i = 0; i < lits.length; i++) {
          this.lits.push(lits[i]);
          this.litIds.push((id << 2) | <u32>k);
        }
      }
    }
    return E.ERR_NONE;
  }

  private fail(code: i32, detail: i32, pos: i32): i32 {
    this.errCode = code;
    this.errDetail = detail;
    this.errPos = pos;
    return code;
  }

  /**
   * Bytes a match can start with (ASCII members, plus every UTF-8 lead byte
   * when a first class has non-ASCII members), or null when the pattern can
   * match the empty string or the table would hold nearly every byte.
   */
  private firstBytes(start: i32): StaticArray<u8> | null {
    const prog = this.prog;
    const t = new StaticArray<u8>(256);
    const seen = new Set<i32>();
    const stack = new Array<i32>();
    stack.push(start);
    while (stack.length > 0) {
      const pc = stack.pop();
      if (seen.has(pc)) continue;
      seen.add(pc);
      const op = prog.op(pc);
      if (op == OP_MATCH) return null;
      if (op == OP_JMP) stack.push(<i32>prog.a(pc));
      else if (op == OP_SPLIT || op == OP_BACK) {
        stack.push(<i32>prog.a(pc));
        stack.push(<i32>prog.b(pc));
      } else if (op != OP_CLASS) stack.push(pc + 1); // ASSERT, ENTER
      else {
        const ci = <i32>prog.a(pc);
        const cl = prog.classes;
        for (let c = 0; c < 128; c++) {
          if (((cl.ascii[(ci << 2) + (c >> 5)] >>> (c & 31)) & 1) != 0) t[c] = 1;
        }
        if (cl.cnt[ci] > 0) for (let c = 0xc0; c < 0x100; c++) t[c] = 1;
      }
    }
    let n = 0;
    for (let c = 0; c < 256; c++) n += t[c];
    return n > 200 ? null : t;
  }

  /**
   * Scan-time structures shared by finish() and deserialize(). Patterns
   * without a literal share one union DFA, except large ones (counted
   * repetitions): their counters would multiply in a union, so each gets a
   * DFA of its own (always[p] == 2).
   */
  prepare(): void {
    const n = this.starts.length;
    this.maybe = new StaticArray<u32>(n);
    this.candMask = new StaticArray<u8>(n);
    this.fullMask = new StaticArray<u8>(n);
    for (let i = 0; i < n; i++) this.fullMask[i] = this.fullMaskList[i];
    this.dfas = new Array<LazyDfa | null>(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      if (this.alwaysList[i] == 0) continue;
      if (this.lens[i] > UNION_MAX_PROGRAM) this.always[i] = 2;
      else k++;
    }
    if (k == 0) return;
    const roots = new StaticArray<u32>(k);
    const ids = new StaticArray<u32>(k);
    let j = 0;
    let last: u32 = 0;
    for (let i = 0; i < n; i++) {
      if (this.always[i] != 1) continue;
      roots[j] = this.starts[i];
      ids[j] = <u32>i;
      last = this.starts[i] + this.lens[i];
      j++;
    }
    // the union's first bytes: any root's (none when some root can start anywhere)
    let first: StaticArray<u8> | null = new StaticArray<u8>(256);
    for (let r = 0; r < k && first != null; r++) {
      const f = this.firsts[ids[r]];
      if (f == null) first = null;
      else for (let b = 0; b < 256; b++) first![b] |= f[b];
    }
    this.unionDfa = new LazyDfa(this.vmProg!, roots, ids, roots[0], last - roots[0], first, 16384);
  }

  /** Freezes the set: flat program arrays, the prefilter and scratch memory. */
  finish(): void {
    const prog = this.prog;
    const cl = prog.classes;
    this.vmProg = new VmProgram(toStatic(prog.insts), toStatic(cl.ascii), toStatic(cl.off), toStatic(cl.cnt), toStatic(cl.ranges));
    let maxLen: u32 = 1;
    for (let i = 0; i < this.lens.length; i++) if (this.lens[i] > maxLen) maxLen = this.lens[i];
    this.cache = new PikeCache(<i32>maxLen, <i32>prog.maxLoops);
    const n = this.starts.length;
    this.always = new StaticArray<u8>(n);
    for (let i = 0; i < n; i++) this.always[i] = this.alwaysList[i];
    this.candStamp = new StaticArray<u32>(n);
    this.results = new StaticArray<u32>(n * 3 + 3);
    if (this.lits.length > 0) {
      const ac = new AhoCorasick();
      ac.build(this.lits, this.litIds);
      this.ac = ac;
    }
    this.prepare();
  }

  /** Scans [inp, inp+len); writes (id, start, end) triples to `results`; returns how many. */
  scan(inp: usize, len: u32): u32 {
    let id = this.scanId + 1;
    if (id == 0) id = 1;
    this.scanId = id;
    vm.work = 0;
    lazy.dfaWork = 0;
    let w: u32 = 0;
    const ac = this.ac;
    if (ac != null) w += ac.scan(inp, len, id, this.candStamp, this.candMask);
    const maybe = this.maybe;
    const union = this.unionDfa;
    if (union != null) union.scan(inp, len, maybe, id, false);
    const n = <u32>this.starts.length;
    const always = this.always;
    const cand = this.candStamp;
    const res = this.results;
    const prog = this.vmProg!;
    const cache = this.cache!;
    let count: u32 = 0;
    this.statCand = 0;
    this.statPike = 0;
    for (let p: u32 = 0; p < n; p++) {
      const a = unchecked(always[p]);
      if (a == 1) {
        if (unchecked(maybe[p]) != id) continue;
      } else {
        if (a == 0 && (unchecked(cand[p]) != id || unchecked(this.candMask[p]) != unchecked(this.fullMask[p]))) continue;
        this.statCand++;
        let d = unchecked(this.dfas[p]);
        if (d == null) {
          const roots = new StaticArray<u32>(1);
          roots[0] = unchecked(this.starts[p]);
          const ids = new StaticArray<u32>(1);
          ids[0] = p;
          d = new LazyDfa(prog, roots, ids, roots[0], unchecked(this.lens[p]), unchecked(this.firsts[p]));
          this.dfas[p] = d;
        }
        d.scan(inp, len, maybe, id, true);
        if (unchecked(maybe[p]) != id) continue;
      }
      this.statPike++;
      if (search(prog, unchecked(this.starts[p]), unchecked(this.firsts[p]), cache, inp, len)) {
        const at = count * 3;
        unchecked((res[at] = p));
        unchecked((res[at + 1] = matchStart));
        unchecked((res[at + 2] = matchEnd));
        count++;
      }
    }
    this.lastWork = w + vm.work + lazy.dfaWork;
    return count;
  }

  prefiltered(): i32 {
    let k = 0;
    for (let i = 0; i < this.alwaysList.length; i++) if (this.alwaysList[i] == 0) k++;
    return k;
  }
}

function toStatic(a: Array<u32>): StaticArray<u32> {
  const s = new StaticArray<u32>(a.length);
  for (let i = 0; i < a.length; i++) unchecked((s[i] = a[i]));
  return s;
}
