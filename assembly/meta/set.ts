// A compiled pattern set: every pattern's NFA in one program, a literal
// prefilter over all of them, the DFA tree that answers which patterns match,
// and the scratch memory a scan needs.
//
// scanIds(): the DFA tree (meta/tree.ts) -- one lazy DFA over the whole set,
// with a bounded cache and slices of the set to fall back on -- reports
// exactly which patterns match, in one pass over ordinary text. scan() then
// runs the Pike VM for the spans, only for the patterns that matched. Nothing
// backtracks; work is linear in the input.
import * as E from '../errors';
import { Parser } from '../syntax/parser';
import { Program, OP_CLASS, OP_SPLIT, OP_JMP, OP_MATCH, OP_BACK } from '../nfa/program';
import { compilePattern, sizeOf, encode, ByteWriter, MAX_PATTERN_INSTS, codeEnd, markCodeBad } from '../nfa/compile';
import { requiredLiteralSets } from '../prefilter/literals';
import { VmProgram, PikeCache, search, matchStart, matchEnd } from '../pikevm/pikevm';
import * as vm from '../pikevm/pikevm';
import * as lazy from '../dfa/lazy';
import { DfaTree } from './tree';
import { Candidates } from '../prefilter/candidates';
import { FirstSets } from '../prefilter/first';
import { canMatchEmpty, probeDfa } from './cost';

/**
 * Most instructions a whole set may hold: the sum bounds the work per byte of
 * a scan whose DFAs all gave up. 1,000,000 is about 8x the built-in pack
 * (127,000), room for large custom packs beside it.
 */
const MAX_SET_INSTS: i32 = 1000000;

export class PatternSet {
  prog: Program = new Program();
  starts: Array<u32> = new Array<u32>();
  lens: Array<u32> = new Array<u32>();
  firsts: FirstSets = new FirstSets();
  lits: Array<string> = new Array<string>();
  litIds: Array<u32> = new Array<u32>();
  always: StaticArray<u8> = new StaticArray<u8>(0);
  alwaysList: Array<u8> = new Array<u8>();
  /** per pattern: bit k set when literal set k is required (all must occur) */
  fullMaskList: Array<u8> = new Array<u8>();

  // after finish()
  vmProg: VmProgram | null = null;
  cache: PikeCache | null = null;
  /** every pattern's parsed tree, as byte code (nfa/compile.ts), in order */
  code: ByteWriter = new ByteWriter();
  results: StaticArray<u32> = new StaticArray<u32>(0);
  scanId: u32 = 0;
  lastWork: u32 = 0;
  tree: DfaTree | null = null;
  cands: Candidates | null = null;
  found: StaticArray<u32> = new StaticArray<u32>(0);
  /** diagnostics of the last scan: Pike VM runs for spans */
  statPike: u32 = 0;

  /** rule-pack policy: refuse patterns that can match the empty string (they flag every input) */
  refuseEmpty: bool = false;

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
    if (this.refuseEmpty && canMatchEmpty(root)) return this.fail(E.ERR_UNSUPPORTED, E.U_MATCHES_EMPTY, 0);
    const size = sizeOf(root);
    if (size > MAX_PATTERN_INSTS) return this.fail(E.ERR_TOO_LARGE, E.S_PROGRAM, 0);
    if (<f64>this.prog.length + size > <f64>MAX_SET_INSTS) return this.fail(E.ERR_TOO_LARGE, E.S_SET, 0);
    const id = <u32>this.starts.length;
    const at = this.code.b.length;
    encode(this.prog, this.code, root);
    const start = this.compileCode(this.code.b.dataStart + <usize>at);
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

  /** Compiles the byte code at `at` as the next pattern; returns its entry point. */
  private compileCode(at: usize): i32 {
    const start = compilePattern(this.prog, at);
    this.starts.push(<u32>start);
    this.lens.push(<u32>(this.prog.length - start));
    return start;
  }

  /**
   * deserialize(): the next `n` patterns from the byte code in [at, end)
   * (their first-byte sets and literals are the caller's). Damaged code sets
   * nfa/compile.ts's codeBad.
   */
  addCodes(at: usize, end: usize, n: i32): void {
    const b = this.code.b;
    const o = b.length;
    b.length = o + <i32>(end - at);
    memory.copy(b.dataStart + <usize>o, at, end - at);
    let p = b.dataStart + <usize>o;
    const stop = b.dataStart + <usize>b.length;
    for (let i = 0; i < n; i++) {
      if (p >= stop) {
        markCodeBad();
        return;
      }
      const start = compilePattern(this.prog, p);
      this.starts.push(<u32>start);
      this.lens.push(<u32>(this.prog.length - start));
      p = codeEnd;
    }
    if (p != stop) markCodeBad();
  }

  /** Makes room for `n` bytes of byte code. */
  reserveCode(n: i32): void {
    const a = new Array<u8>(n);
    a.length = 0;
    this.code.b = a;
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

  /** Scan-time structures shared by finish() and deserialize(): the DFA tree and the prefilter's state. */
  prepare(): void {
    const n = this.starts.length;
    this.found = new StaticArray<u32>(n);
    const full = new StaticArray<u8>(n);
    for (let i = 0; i < n; i++) full[i] = this.fullMaskList[i];
    this.cands = new Candidates(this.lits, this.litIds, this.always, full);
    this.tree = new DfaTree(this.vmProg!, toStatic(this.starts), toStatic(this.lens), this.firsts, this.cache!);
  }

  /** Freezes the set: flat program arrays, scratch memory, the DFA tree. */
  finish(): void {
    this.freeze();
  }

  /** finish() and deserialize(): everything a scan needs (the prefilter's automaton is built on first use). */
  freeze(): void {
    const prog = this.prog;
    const cl = prog.classes;
    this.vmProg = new VmProgram(prog.insts, toStatic(cl.ascii), toStatic(cl.off), toStatic(cl.cnt), toStatic(cl.ranges));
    let maxLen: u32 = 1;
    for (let i = 0; i < this.lens.length; i++) if (this.lens[i] > maxLen) maxLen = this.lens[i];
    this.cache = new PikeCache(<i32>maxLen, <i32>prog.maxLoops);
    const n = this.starts.length;
    this.always = new StaticArray<u8>(n);
    for (let i = 0; i < n; i++) this.always[i] = this.alwaysList[i];
    this.results = new StaticArray<u32>(n * 3 + 3);
    this.prepare();
  }

  /**
   * Which patterns match [inp, inp+len): their ids, ascending, go to
   * `results` (one u32 each); returns how many. No spans (see scan()).
   */
  scanIds(inp: usize, len: u32): u32 {
    let id = this.scanId + 1;
    if (id == 0) id = 1;
    this.scanId = id;
    vm.work = 0;
    lazy.resetWork();
    const found = this.found;
    const cands = this.cands!;
    cands.begin(id);
    this.tree!.scan(inp, len, found, id, cands);
    const res = this.results;
    const n = <u32>this.starts.length;
    let count: u32 = 0;
    for (let p: u32 = 0; p < n; p++) if (unchecked(found[p]) == id) unchecked((res[count++] = p));
    this.lastWork = cands.work + vm.work + lazy.dfaWork;
    return count;
  }

  /**
   * Scans and finds each matching pattern's first span (Pike VM, only for the
   * patterns scanIds() reported): (id, start, end) triples in `results`.
   */
  scan(inp: usize, len: u32): u32 {
    const count = this.scanIds(inp, len);
    const res = this.results;
    const prog = this.vmProg!;
    const cache = this.cache!;
    this.statPike = 0;
    let out: u32 = 0;
    // the triples overwrite the ids: walk them from the back
    for (let j: u32 = 0; j < count; j++) unchecked((res[count * 2 + j] = res[j]));
    for (let j: u32 = 0; j < count; j++) {
      const p = unchecked(res[count * 2 + j]);
      this.statPike++;
      if (search(prog, unchecked(this.starts[p]), this.firsts.get(<i32>p), cache, inp, len)) {
        const at = out * 3;
        unchecked((res[at] = p));
        unchecked((res[at + 1] = matchStart));
        unchecked((res[at + 2] = matchEnd));
        out++;
      }
    }
    this.lastWork += vm.work;
    return out;
  }

  /** Pattern p's cost: 0 its NFA instructions (the worst-case steps per byte), 1 its DFA's states on a probe of its own alphabet (-1: it blew up; meta/cost.ts). */
  cost(p: i32, which: i32): i32 {
    if (p < 0 || p >= this.starts.length) return -2;
    if (which == 0) return <i32>this.lens[p];
    return probeDfa(this.vmProg!, this.starts[p], this.lens[p]);
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
