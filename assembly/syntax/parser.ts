// Pattern parser: Python 3 `re` syntax (str patterns) -> AST.
//
// This follows CPython's Lib/re/_parser.py step by step, so that we accept
// exactly what Python accepts, and it refuses (with a position) every
// construct that needs backtracking. Flags are resolved while parsing:
// the nodes it returns already carry case-folded sets and anchor variants.
import * as E from '../errors';
import { Node, K_EMPTY, K_CONCAT, K_ALT, A_BEGIN, A_BEGIN_LINE, A_END, A_END_LINE, A_END_STRING, A_WORD, A_NOT_WORD, INF } from './ast';
import { RangeSet, MAX_CP } from '../unicode/ranges';
import { categorySet, CAT_WORD, CAT_DIGIT, CAT_SPACE, isWord } from '../unicode/props';
import { isCased, fixupRange, preimage, upperOfLowerIn, literalFolded } from '../unicode/case';

export const F_IGNORECASE: u32 = 2;
export const F_MULTILINE: u32 = 8;
export const F_DOTALL: u32 = 16;
export const F_UNICODE: u32 = 32;
export const F_VERBOSE: u32 = 64;
export const F_ASCII: u32 = 256;

const MAXREPEAT: u64 = 4294967295;
/**
 * Largest count a counted repetition may use (RE2's limit too). The engine
 * expands x{m,n} into n copies of x, and a scan's worst-case work per byte
 * grows with the program: past this, x+ or x* say the same in a few
 * instructions (the engine is linear-time for them as for everything).
 */
export const MAX_REPEAT_COUNT: u64 = 1000;

// item kinds, for "nothing to repeat" / "multiple repeat"
const T_OTHER: u8 = 0;
const T_AT: u8 = 1;
const T_REPEAT: u8 = 2;

// class items
const I_LIT: u8 = 0;
const I_RANGE: u8 = 1;
const I_CAT: u8 = 2;

class ParseError {
  constructor(public code: i32, public detail: i32, public pos: i32) {}
}

export class Parser {
  cps: Array<u32>;
  i: i32 = 0;
  groups: i32 = 1;
  names: Array<string> = new Array<string>();
  globalFlags: u32;
  err: ParseError | null = null;

  constructor(cps: Array<u32>, flags: u32) {
    this.cps = cps;
    this.globalFlags = flags;
  }

  // ---- tokenizer (a token is one char, or a backslash and the next char) ----

  atEnd(): bool {
    return this.i >= this.cps.length;
  }

  /** The next token's first char (-1 at end). */
  peek(): i32 {
    return this.i < this.cps.length ? <i32>this.cps[this.i] : -1;
  }

  isEscape(): bool {
    return this.i < this.cps.length && this.cps[this.i] == 0x5c;
  }

  /** The char after the backslash of an escape token. */
  escChar(): i32 {
    if (this.i + 1 >= this.cps.length) {
      this.fail(E.ERR_SYNTAX, E.E_BAD_ESCAPE, this.cps.length - 1);
      return -1;
    }
    return <i32>this.cps[this.i + 1];
  }

  /** Is the next token the plain char c? */
  nextIs(c: i32): bool {
    return !this.isEscape() && this.peek() == c;
  }

  match(c: i32): bool {
    if (this.nextIs(c)) {
      this.i++;
      return true;
    }
    return false;
  }

  fail(code: i32, detail: i32, pos: i32): void {
    if (this.err == null) this.err = new ParseError(code, detail, pos);
  }

  get failed(): bool {
    return this.err != null;
  }

  // ---- entry ----

  parse(): Node | null {
    const flags = this.globalFlags;
    const n = this.parseAlt(flags, (flags & F_VERBOSE) != 0, 0);
    if (this.failed) return null;
    if (!this.atEnd()) {
      this.fail(E.ERR_SYNTAX, E.E_UNBALANCED_PAREN, this.i);
      return null;
    }
    return n;
  }

  /** a|b|c. At top level, global flags found in the first branch apply to the rest. */
  parseAlt(flags: u32, verbose: bool, nested: i32): Node {
    const items = new Array<Node>();
    let f = flags;
    let v = verbose;
    while (true) {
      items.push(this.parseSeq(f, v, nested + 1, nested == 0 && items.length == 0));
      if (this.failed) return new Node(K_EMPTY);
      if (nested == 0) {
        f = this.globalFlags;
        v = (this.globalFlags & F_VERBOSE) != 0;
      }
      if (!this.match(0x7c /* | */)) break;
    }
    if (items.length == 1) return items[0];
    // like Python: an alternation of single literals and non-negated sets is one set
    let allSets = true;
    for (let k = 0; k < items.length && allSets; k++) if (items[k].rawKinds == null) allSets = false;
    if (allSets) {
      const kinds = new Array<u8>();
      const a = new Array<u32>();
      const b = new Array<u32>();
      for (let k = 0; k < items.length; k++) {
        const it = items[k];
        for (let j = 0; j < it.rawKinds!.length; j++) {
          kinds.push(it.rawKinds![j]);
          a.push(it.rawA![j]);
          b.push(it.rawB![j]);
        }
      }
      // at top level, global flags found in the first branch ((?i)B|B) apply to the merged set too
      return this.setNode(kinds, a, b, false, nested == 0 ? this.globalFlags : flags);
    }
    const alt = new Node(K_ALT);
    alt.children = items;
    return alt;
  }

  /**
   * A set node from raw items. Like Python, a set of one distinct literal is
   * that literal ([a] is a, [^a] is "not a"), which matters for case folding.
   */
  setNode(kinds: Array<u8>, a: Array<u32>, b: Array<u32>, negate: bool, flags: u32): Node {
    let single = true;
    for (let k = 0; k < kinds.length; k++) {
      if (kinds[k] != I_LIT || a[k] != a[0]) {
        single = false;
        break;
      }
    }
    if (single && kinds.length > 0) {
      const lit = this.literal(a[0], flags);
      if (!negate) return lit;
      return Node.cls(lit.cls!.complement());
    }
    const n = Node.cls(buildClass(kinds, a, b, negate, flags));
    if (!negate) {
      n.rawKinds = kinds;
      n.rawA = a;
      n.rawB = b;
    }
    return n;
  }

  parseSeq(flagsIn: u32, verboseIn: bool, nested: i32, first: bool): Node {
    let flags = flagsIn;
    let verbose = verboseIn;
    const items = new Array<Node>();
    const kinds = new Array<u8>();
    while (!this.failed) {
      if (this.atEnd()) break;
      if (!this.isEscape() && (this.peek() == 0x7c || this.peek() == 0x29)) break; // | )
      const here = this.i;
      if (this.isEscape()) {
        const c = this.escChar();
        if (this.failed) break;
        this.i += 2;
        const node = this.escape(c, here, flags);
        if (this.failed) break;
        items.push(node!);
        kinds.push(node!.kind == 2 /* K_ASSERT */ ? T_AT : T_OTHER);
        continue;
      }
      const c = <i32>this.cps[this.i];
      this.i++;
      if (verbose) {
        if (c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d || c == 0x0b || c == 0x0c) continue;
        if (c == 0x23 /* # */) {
          while (!this.atEnd()) {
            const d = this.cps[this.i];
            // a comment runs to the end of the line; an escape token inside it is skipped whole
            if (d == 0x5c) {
              if (this.i + 1 >= this.cps.length) {
                this.fail(E.ERR_SYNTAX, E.E_BAD_ESCAPE, this.cps.length - 1);
                break;
              }
              this.i += 2;
              continue;
            }
            this.i++;
            if (d == 0x0a) break;
          }
          continue;
        }
      }
      if (c == 0x5b /* [ */) {
        const node = this.parseClass(here, flags);
        if (this.failed) break;
        items.push(node);
        kinds.push(T_OTHER);
      } else if (c == 0x2a || c == 0x2b || c == 0x3f || c == 0x7b) { // * + ? {
        let min: u64 = 0;
        let max: u64 = MAXREPEAT;
        if (c == 0x3f) max = 1;
        else if (c == 0x2b) min = 1;
        else if (c == 0x7b) {
          if (this.nextIs(0x7d)) {
            items.push(this.literal(0x7b, flags));
            kinds.push(T_OTHER);
            continue;
          }
          const afterBrace = this.i;
          let lo: u64 = 0;
          let loDigits = 0;
          let hi: u64 = 0;
          let hiDigits = 0;
          while (this.isDigitNext()) {
            lo = lo * 10 + <u64>(this.cps[this.i] - 0x30);
            if (lo > MAXREPEAT) lo = MAXREPEAT + 1;
            loDigits++;
            this.i++;
          }
          if (this.match(0x2c /* , */)) {
            while (this.isDigitNext()) {
              hi = hi * 10 + <u64>(this.cps[this.i] - 0x30);
              if (hi > MAXREPEAT) hi = MAXREPEAT + 1;
              hiDigits++;
              this.i++;
            }
          } else {
            hi = lo;
            hiDigits = loDigits;
          }
          if (!this.match(0x7d /* } */)) {
            items.push(this.literal(0x7b, flags));
            kinds.push(T_OTHER);
            this.i = afterBrace;
            continue;
          }
          if (loDigits > 0) {
            min = lo;
            if (min >= MAXREPEAT) {
              this.fail(E.ERR_SYNTAX, E.E_REPEAT_TOO_BIG, here);
              break;
            }
          }
          if (hiDigits > 0) {
            max = hi;
            if (max >= MAXREPEAT) {
              this.fail(E.ERR_SYNTAX, E.E_REPEAT_TOO_BIG, here);
              break;
            }
            if (max < min) {
              this.fail(E.ERR_SYNTAX, E.E_MIN_GT_MAX, afterBrace);
              break;
            }
          }
        }
        if (items.length == 0 || kinds[kinds.length - 1] == T_AT) {
          this.fail(E.ERR_SYNTAX, E.E_NOTHING_TO_REPEAT, here);
          break;
        }
        if (kinds[kinds.length - 1] == T_REPEAT) {
          this.fail(E.ERR_SYNTAX, E.E_MULTIPLE_REPEAT, here);
          break;
        }
        let greedy = true;
        if (this.match(0x3f /* ? */)) greedy = false;
        else if (this.nextIs(0x2b /* + */)) {
          // Python parses a possessive repeat; another quantifier after it is its "multiple repeat"
          const nx = this.i + 1 < this.cps.length ? this.cps[this.i + 1] : 0;
          if (nx == 0x2a || nx == 0x2b || nx == 0x3f || nx == 0x7b) this.fail(E.ERR_SYNTAX, E.E_MULTIPLE_REPEAT, this.i + 1);
          else this.fail(E.ERR_UNSUPPORTED, E.U_POSSESSIVE, this.i);
          break;
        }
        if (min > MAX_REPEAT_COUNT || (max != MAXREPEAT && max > MAX_REPEAT_COUNT)) {
          this.fail(E.ERR_TOO_LARGE, E.S_REPEAT, here);
          break;
        }
        const last = items.length - 1;
        items[last] = Node.repeat(items[last], <u32>min, max == MAXREPEAT ? INF : <u32>max, greedy);
        kinds[last] = T_REPEAT;
      } else if (c == 0x2e /* . */) {
        items.push(Node.cls((flags & F_DOTALL) != 0 ? RangeSet.of(0, MAX_CP) : RangeSet.of(0x0a, 0x0a).complement()));
        kinds.push(T_OTHER);
      } else if (c == 0x28 /* ( */) {
        let capture = true;
        let add: u32 = 0;
        let del: u32 = 0;
        if (this.match(0x3f /* ? */)) {
          if (this.atEnd()) {
            this.fail(E.ERR_SYNTAX, E.E_UNEXPECTED_END, this.i);
            break;
          }
          const isEsc = this.isEscape();
          const ch = this.peek();
          this.i += isEsc ? 2 : 1;
          if (isEsc) {
            this.fail(E.ERR_SYNTAX, E.E_UNKNOWN_EXTENSION, this.i - 2);
            break;
          }
          if (ch == 0x50 /* P */) {
            if (this.match(0x3c /* < */)) {
              const name = this.groupName(0x3e /* > */);
              if (this.failed) break;
              for (let k = 0; k < this.names.length; k++) {
                if (this.names[k] == name) {
                  this.fail(E.ERR_SYNTAX, E.E_DUP_GROUP_NAME, here);
                  break;
                }
              }
              if (this.failed) break;
              this.names.push(name);
            } else if (this.match(0x3d /* = */)) {
              // a named backreference: refused, unless the name is unknown (then Python's syntax error)
              const name = this.groupName(0x29 /* ) */);
              if (this.failed) break;
              if (this.names.includes(name)) this.fail(E.ERR_UNSUPPORTED, E.U_BACKREF, here);
              else this.fail(E.ERR_SYNTAX, E.E_INVALID_GROUP_REF, here);
              break;
            } else {
              this.fail(E.ERR_SYNTAX, E.E_UNKNOWN_EXTENSION, here);
              break;
            }
          } else if (ch == 0x3a /* : */) {
            capture = false;
          } else if (ch == 0x23 /* # */) {
            // comment group: skip to the first ')'
            let closed = false;
            while (!this.atEnd()) {
              const esc = this.isEscape();
              if (esc && this.i + 1 >= this.cps.length) {
                this.fail(E.ERR_SYNTAX, E.E_BAD_ESCAPE, this.cps.length - 1);
                break;
              }
              const d = this.cps[this.i];
              this.i += esc ? 2 : 1;
              if (!esc && d == 0x29) {
                closed = true;
                break;
              }
            }
            if (this.failed) break;
            if (!closed) {
              this.fail(E.ERR_SYNTAX, E.E_MISSING_COMMENT_END, here);
              break;
            }
            continue;
          } else if (ch == 0x3d || ch == 0x21 || ch == 0x3e || ch == 0x3c) {
            // lookaround and atomic groups: parsed (so syntax errors inside are
            // Python's), then refused — they need backtracking
            let behind = false;
            if (ch == 0x3c /* < */) {
              if (!(this.nextIs(0x3d) || this.nextIs(0x21))) {
                this.fail(E.ERR_SYNTAX, E.E_UNKNOWN_EXTENSION, here);
                break;
              }
              this.i++;
              behind = true;
            }
            const inner = this.parseAlt(flags, verbose, nested + 1);
            if (this.failed) break;
            if (!this.match(0x29 /* ) */)) {
              this.fail(E.ERR_SYNTAX, E.E_MISSING_PAREN, here);
              break;
            }
            if (behind && !fixedWidth(inner)) this.fail(E.ERR_SYNTAX, E.E_LOOKBEHIND_WIDTH, here);
            else this.fail(E.ERR_UNSUPPORTED, ch == 0x3e ? E.U_ATOMIC : behind ? E.U_LOOKBEHIND : E.U_LOOKAHEAD, here);
            break;
          } else if (ch == 0x28 /* ( */) {
            // conditional: a valid reference is refused, a malformed one is Python's syntax error
            const start = this.i;
            while (!this.atEnd() && !this.nextIs(0x29)) this.i++;
            const name = this.cps.slice(start, this.i);
            let ref = '';
            for (let k = 0; k < name.length; k++) ref += String.fromCodePoint(name[k]);
            const isNum = ref.length > 0 && name.every((c: u32) => c >= 0x30 && c <= 0x39);
            if (this.atEnd() || ref.length == 0 || (isNum && I32.parseInt(ref) == 0) || (!isNum && !this.names.includes(ref))) {
              this.fail(E.ERR_SYNTAX, E.E_MISSING_GROUP_NAME, here);
            } else this.fail(E.ERR_UNSUPPORTED, E.U_CONDITIONAL, here);
            break;
          } else if (isFlagChar(ch) || ch == 0x2d /* - */) {
            const res = this.parseFlags(ch, here);
            if (this.failed) break;
            if ((res.add & F_ASCII) != 0) {
              this.fail(E.ERR_UNSUPPORTED, E.U_ASCII_FLAG, here);
              break;
            }
            if (res.global) {
              if (!first || items.length > 0) {
                this.fail(E.ERR_SYNTAX, E.E_GLOBAL_FLAGS_NOT_AT_START, here);
                break;
              }
              this.globalFlags |= res.add;
              flags = this.globalFlags;
              verbose = (this.globalFlags & F_VERBOSE) != 0;
              continue;
            }
            add = res.add;
            del = res.del;
            capture = false;
          } else {
            this.fail(E.ERR_SYNTAX, E.E_UNKNOWN_EXTENSION, here);
            break;
          }
        }
        if (capture) this.groups++;
        const subFlags = (flags | add) & ~del;
        const subVerbose = (verbose || (add & F_VERBOSE) != 0) && (del & F_VERBOSE) == 0;
        const inner = this.parseAlt(subFlags, subVerbose, nested + 1);
        if (this.failed) break;
        if (!this.match(0x29 /* ) */)) {
          this.fail(E.ERR_SYNTAX, E.E_MISSING_PAREN, here);
          break;
        }
        // a group is never merged into a set with its neighbours' branches (Python
        // keeps it a SUBPATTERN): its items were folded under its own flags
        inner.rawKinds = null;
        inner.rawA = null;
        inner.rawB = null;
        items.push(inner);
        kinds.push(T_OTHER);
      } else if (c == 0x5e /* ^ */) {
        items.push(Node.assertion((flags & F_MULTILINE) != 0 ? A_BEGIN_LINE : A_BEGIN));
        kinds.push(T_AT);
      } else if (c == 0x24 /* $ */) {
        items.push(Node.assertion((flags & F_MULTILINE) != 0 ? A_END_LINE : A_END));
        kinds.push(T_AT);
      } else {
        items.push(this.literal(<u32>c, flags));
        kinds.push(T_OTHER);
      }
    }
    if (items.length == 1) return items[0];
    if (items.length == 0) return new Node(K_EMPTY);
    const cat = new Node(K_CONCAT);
    cat.children = items;
    return cat;
  }

  isDigitNext(): bool {
    const c = this.peek();
    return !this.isEscape() && c >= 0x30 && c <= 0x39;
  }

  isHexAt(k: i32): bool {
    if (k >= this.cps.length) return false;
    const c = this.cps[k];
    return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
  }

  /** Reads up to n hex digits (as raw chars, like Python's getwhile). */
  hexDigits(n: i32): i64 {
    let v: i64 = 0;
    let k = 0;
    while (k < n && this.isHexAt(this.i) && !this.isEscape()) {
      const c = this.cps[this.i];
      const d = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
      v = v * 16 + <i64>d;
      this.i++;
      k++;
    }
    return k == n ? v : -1;
  }

  isOctNext(): bool {
    const c = this.peek();
    return !this.isEscape() && c >= 0x30 && c <= 0x37;
  }

  /** A literal code point under the given flags. */
  literal(c: u32, flags: u32): Node {
    const n = Node.cls((flags & F_IGNORECASE) != 0 ? literalFolded(c) : RangeSet.of(c, c));
    n.rawKinds = [I_LIT];
    n.rawA = [c];
    n.rawB = [0];
    return n;
  }

  /** Escape outside a class; `here` is the backslash's index, the token is consumed. */
  escape(c: i32, here: i32, flags: u32): Node | null {
    switch (c) {
      case 0x41: return Node.assertion(A_BEGIN);        // \A
      case 0x5a: return Node.assertion(A_END_STRING);   // \Z
      case 0x62: return Node.assertion(A_WORD);         // \b
      case 0x42: return Node.assertion(A_NOT_WORD);     // \B
      case 0x64: return catNode(CAT_DIGIT, false);
      case 0x44: return catNode(CAT_DIGIT, true);
      case 0x73: return catNode(CAT_SPACE, false);
      case 0x53: return catNode(CAT_SPACE, true);
      case 0x77: return catNode(CAT_WORD, false);
      case 0x57: return catNode(CAT_WORD, true);
    }
    const v = this.escapeValue(c, here, false);
    if (v < 0) return null;
    return this.literal(<u32>v, flags);
  }

  /**
   * The code point of a literal escape (shared by both contexts), or -1 after
   * recording an error. In a class, \b is a backspace and digits are octal only.
   */
  escapeValue(c: i32, here: i32, inClass: bool): i64 {
    switch (c) {
      case 0x61: return 7;    // \a
      case 0x62: return 8;    // \b (class only; outside it is handled before)
      case 0x66: return 12;   // \f
      case 0x6e: return 10;   // \n
      case 0x72: return 13;   // \r
      case 0x74: return 9;    // \t
      case 0x76: return 11;   // \v
      case 0x5c: return 0x5c; // \\
    }
    if (c == 0x78 || c == 0x75 || c == 0x55) { // \x \u \U
      const n = c == 0x78 ? 2 : c == 0x75 ? 4 : 8;
      const v = this.hexDigits(n);
      if (v < 0) {
        this.fail(E.ERR_SYNTAX, E.E_INCOMPLETE_ESCAPE, here);
        return -1;
      }
      if (v > <i64>MAX_CP) {
        this.fail(E.ERR_SYNTAX, E.E_BAD_CODEPOINT, here);
        return -1;
      }
      return v;
    }
    if (c == 0x4e) { // \N{...}
      this.fail(E.ERR_UNSUPPORTED, E.U_NAMED_CHAR, here);
      return -1;
    }
    if (inClass) {
      if (c >= 0x30 && c <= 0x37) {
        let v: i64 = c - 0x30;
        for (let k = 0; k < 2 && this.isOctNext(); k++) {
          v = v * 8 + <i64>(this.cps[this.i] - 0x30);
          this.i++;
        }
        if (v > 0o377) {
          this.fail(E.ERR_SYNTAX, E.E_OCTAL_RANGE, here);
          return -1;
        }
        return v;
      }
      if (c == 0x38 || c == 0x39) {
        this.fail(E.ERR_SYNTAX, E.E_BAD_ESCAPE, here);
        return -1;
      }
    } else {
      if (c == 0x30) { // \0 plus up to two octal digits
        let v: i64 = 0;
        for (let k = 0; k < 2 && this.isOctNext(); k++) {
          v = v * 8 + <i64>(this.cps[this.i] - 0x30);
          this.i++;
        }
        return v;
      }
      if (c >= 0x31 && c <= 0x39) {
        // octal escape (three octal digits) or a group reference
        let digits = String.fromCharCode(c);
        if (this.isDigitNext()) {
          const d2 = <i32>this.cps[this.i];
          this.i++;
          digits += String.fromCharCode(d2);
          if (c <= 0x37 && d2 <= 0x37 && this.isOctNext()) {
            const d3 = <i32>this.cps[this.i];
            this.i++;
            const v: i64 = <i64>((c - 0x30) * 64 + (d2 - 0x30) * 8 + (d3 - 0x30));
            if (v > 0o377) {
              this.fail(E.ERR_SYNTAX, E.E_OCTAL_RANGE, here);
              return -1;
            }
            return v;
          }
        }
        const group = I32.parseInt(digits);
        if (group < this.groups) this.fail(E.ERR_UNSUPPORTED, E.U_BACKREF, here);
        else this.fail(E.ERR_SYNTAX, E.E_INVALID_GROUP_REF, here);
        return -1;
      }
    }
    const isAsciiLetter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (isAsciiLetter) {
      this.fail(E.ERR_SYNTAX, E.E_BAD_ESCAPE, here);
      return -1;
    }
    return c;
  }

  /** Reads a group name up to `term`; validates it as an identifier. */
  groupName(term: i32): string {
    const start = this.i;
    let name = '';
    while (true) {
      if (this.atEnd()) {
        this.fail(E.ERR_SYNTAX, E.E_BAD_GROUP_NAME, start);
        return name;
      }
      const esc = this.isEscape();
      const c = <i32>this.cps[this.i];
      this.i += esc ? 2 : 1;
      if (!esc && c == term) break;
      if (esc) {
        this.fail(E.ERR_SYNTAX, E.E_BAD_GROUP_NAME, start);
        return name;
      }
      name += String.fromCodePoint(c);
    }
    // str.isidentifier(): XID_Start then XID_Continue; approximated with \w and not a leading digit
    if (name.length == 0) {
      this.fail(E.ERR_SYNTAX, E.E_BAD_GROUP_NAME, start);
      return name;
    }
    for (let k = 0; k < name.length; k++) {
      const ch = name.codePointAt(k);
      if (ch > 0xffff) k++;
      const ok = isWord(ch) && !(k == 0 && ch >= 0x30 && ch <= 0x39);
      if (!ok) {
        this.fail(E.ERR_SYNTAX, E.E_BAD_GROUP_NAME, start);
        return name;
      }
    }
    return name;
  }

  /** Inline flags after "(?" (first flag char already consumed as `first`). */
  parseFlags(firstCh: i32, here: i32): FlagsResult {
    const res = new FlagsResult();
    let ch = firstCh;
    if (ch != 0x2d) {
      while (true) {
        const f = this.flagValue(ch, here);
        if (this.failed) return res;
        res.add |= f;
        if (this.atEnd()) {
          this.fail(E.ERR_SYNTAX, E.E_BAD_FLAGS, this.i);
          return res;
        }
        const esc = this.isEscape();
        ch = esc ? -2 : this.peek();
        this.i += esc ? 2 : 1;
        if (ch == 0x29 || ch == 0x2d || ch == 0x3a) break;
        if (!isFlagChar(ch)) {
          this.fail(E.ERR_SYNTAX, E.E_BAD_FLAGS, this.i - 1);
          return res;
        }
      }
    }
    if (ch == 0x29) {
      res.global = true;
      return res;
    }
    if (ch == 0x2d) {
      if (this.atEnd()) {
        this.fail(E.ERR_SYNTAX, E.E_BAD_FLAGS, this.i);
        return res;
      }
      const esc = this.isEscape();
      ch = esc ? -2 : this.peek();
      this.i += esc ? 2 : 1;
      if (!isFlagChar(ch)) {
        this.fail(E.ERR_SYNTAX, E.E_BAD_FLAGS, this.i - 1);
        return res;
      }
      while (true) {
        if (ch == 0x61 || ch == 0x75 || ch == 0x4c) { // cannot turn off a, u, L
          this.fail(E.ERR_SYNTAX, E.E_BAD_FLAGS, this.i - 1);
          return res;
        }
        const f = this.flagValue(ch, here);
        if (this.failed) return res;
        res.del |= f;
        if (this.atEnd()) {
          this.fail(E.ERR_SYNTAX, E.E_BAD_FLAGS, this.i);
          return res;
        }
        const esc2 = this.isEscape();
        ch = esc2 ? -2 : this.peek();
        this.i += esc2 ? 2 : 1;
        if (ch == 0x3a) break;
        if (!isFlagChar(ch)) {
          this.fail(E.ERR_SYNTAX, E.E_BAD_FLAGS, this.i - 1);
          return res;
        }
      }
    }
    if ((res.add & res.del) != 0) this.fail(E.ERR_SYNTAX, E.E_BAD_FLAGS, this.i - 1);
    return res;
  }

  flagValue(ch: i32, here: i32): u32 {
    switch (ch) {
      case 0x69: return F_IGNORECASE;
      case 0x6d: return F_MULTILINE;
      case 0x73: return F_DOTALL;
      case 0x78: return F_VERBOSE;
      case 0x75: return F_UNICODE;
      case 0x61: return F_ASCII; // refused after the whole flag group parses (see parseSeq)
      case 0x4c: this.fail(E.ERR_SYNTAX, E.U_LOCALE_FLAG, here); return 0;
      case 0x74: this.fail(E.ERR_UNSUPPORTED, E.E_BAD_FLAGS, here); return 0;
    }
    this.fail(E.ERR_SYNTAX, E.E_BAD_FLAGS, here);
    return 0;
  }

  /** A [...] class; `here` is the index of '['. */
  parseClass(here: i32, flags: u32): Node {
    const kinds = new Array<u8>();
    const a = new Array<u32>();
    const b = new Array<u32>();
    const negate = this.match(0x5e /* ^ */);
    while (true) {
      if (this.atEnd()) {
        this.fail(E.ERR_SYNTAX, E.E_UNTERMINATED_SET, here);
        return new Node(K_EMPTY);
      }
      const tokStart = this.i;
      const esc = this.isEscape();
      let c = esc ? this.escChar() : this.peek();
      if (this.failed) return new Node(K_EMPTY);
      this.i += esc ? 2 : 1;
      if (!esc && c == 0x5d && kinds.length > 0) break;
      // first item: a literal, or a category escape
      let k1 = I_LIT;
      let v1: u32 = 0;
      let neg1: u32 = 0;
      if (esc) {
        const cat = classCategory(c);
        if (cat != 0) {
          k1 = I_CAT;
          v1 = <u32>(cat & 0xff);
          neg1 = <u32>(cat >> 8);
        } else {
          const v = this.escapeValue(c, tokStart, true);
          if (v < 0) return new Node(K_EMPTY);
          v1 = <u32>v;
        }
      } else {
        v1 = <u32>c;
      }
      if (this.match(0x2d /* - */)) {
        if (this.atEnd()) {
          this.fail(E.ERR_SYNTAX, E.E_UNTERMINATED_SET, here);
          return new Node(K_EMPTY);
        }
        const t2 = this.i;
        const esc2 = this.isEscape();
        const c2 = esc2 ? this.escChar() : this.peek();
        if (this.failed) return new Node(K_EMPTY);
        this.i += esc2 ? 2 : 1;
        if (!esc2 && c2 == 0x5d) {
          kinds.push(k1); a.push(v1); b.push(neg1);
          kinds.push(I_LIT); a.push(0x2d); b.push(0);
          break;
        }
        let v2: u32 = 0;
        if (esc2) {
          if (classCategory(c2) != 0) {
            this.fail(E.ERR_SYNTAX, E.E_BAD_RANGE, tokStart);
            return new Node(K_EMPTY);
          }
          const v = this.escapeValue(c2, t2, true);
          if (v < 0) return new Node(K_EMPTY);
          v2 = <u32>v;
        } else {
          v2 = <u32>c2;
        }
        if (k1 != I_LIT || v2 < v1) {
          this.fail(E.ERR_SYNTAX, E.E_BAD_RANGE, tokStart);
          return new Node(K_EMPTY);
        }
        kinds.push(I_RANGE); a.push(v1); b.push(v2);
      } else {
        kinds.push(k1); a.push(v1); b.push(neg1);
      }
    }
    return this.setNode(kinds, a, b, negate, flags);
  }
}

/** \d \w \s and their negations outside a set: a category, usable as a set item. */
function catNode(cat: i32, neg: bool): Node {
  const n = Node.cls(categorySet(cat, neg));
  n.rawKinds = [I_CAT];
  n.rawA = [<u32>cat];
  n.rawB = [neg ? 1 : 0];
  return n;
}

/** Does every match of n have the same length (Python's lookbehind rule)? */
function fixedWidth(n: Node): bool {
  return widthMin(n) == widthMax(n);
}

function widthMin(n: Node): f64 {
  switch (n.kind) {
    case 1: return 1; // K_CLASS
    case 3: { let s: f64 = 0; for (let i = 0; i < n.children.length; i++) s += widthMin(n.children[i]); return s; }
    case 4: { let m: f64 = Infinity; for (let i = 0; i < n.children.length; i++) m = Math.min(m, widthMin(n.children[i])); return m; }
    case 5: return <f64>n.min * widthMin(n.children[0]);
  }
  return 0;
}

function widthMax(n: Node): f64 {
  switch (n.kind) {
    case 1: return 1;
    case 3: { let s: f64 = 0; for (let i = 0; i < n.children.length; i++) s += widthMax(n.children[i]); return s; }
    case 4: { let m: f64 = 0; for (let i = 0; i < n.children.length; i++) m = Math.max(m, widthMax(n.children[i])); return m; }
    case 5: {
      const c = widthMax(n.children[0]);
      if (c == 0) return 0;
      return n.max == INF ? Infinity : <f64>n.max * c;
    }
  }
  return 0;
}

class FlagsResult {
  add: u32 = 0;
  del: u32 = 0;
  global: bool = false;
}

function isFlagChar(c: i32): bool {
  return c == 0x69 || c == 0x6d || c == 0x73 || c == 0x78 || c == 0x61 || c == 0x75 || c == 0x4c || c == 0x74;
}

/** \d \D \s \S \w \W inside a class: (negated << 8) | category, or 0. */
function classCategory(c: i32): i32 {
  switch (c) {
    case 0x64: return CAT_DIGIT;
    case 0x44: return (1 << 8) | CAT_DIGIT;
    case 0x73: return CAT_SPACE;
    case 0x53: return (1 << 8) | CAT_SPACE;
    case 0x77: return CAT_WORD;
    case 0x57: return (1 << 8) | CAT_WORD;
  }
  return 0;
}

/** The final code point set of a class, as sre decides membership (see unicode/case.ts). */
function buildClass(kinds: Array<u8>, a: Array<u32>, b: Array<u32>, negate: bool, flags: u32): RangeSet {
  let out = new RangeSet();
  let hascased = false;
  if ((flags & F_IGNORECASE) != 0) {
    for (let k = 0; k < kinds.length; k++) {
      if (kinds[k] == I_LIT) {
        if (a[k] > 0xffff || isCased(a[k])) hascased = true;
      } else if (kinds[k] == I_RANGE) {
        if (b[k] > 0xffff) hascased = true;
        else {
          for (let c = a[k]; c <= b[k]; c++) {
            if (isCased(c)) {
              hascased = true;
              break;
            }
          }
        }
      }
    }
  }
  if (hascased) {
    const s = new RangeSet();
    const extra = new RangeSet();
    for (let k = 0; k < kinds.length; k++) {
      if (kinds[k] == I_LIT) {
        if (a[k] > 0xffff) s.add(a[k], a[k]);
        else fixupRange(a[k], a[k], s);
      } else if (kinds[k] == I_RANGE) {
        const lo = a[k];
        const hi = b[k];
        if (lo <= 0xffff) fixupRange(lo, hi < 0xffff ? hi : 0xffff, s);
        if (hi > 0xffff) {
          s.add(lo, hi);
          upperOfLowerIn(lo, hi, extra);
        }
      } else {
        s.addSet(categorySet(<i32>a[k], b[k] != 0));
      }
    }
    out = preimage(s);
    out.addSet(extra);
  } else {
    for (let k = 0; k < kinds.length; k++) {
      if (kinds[k] == I_LIT) out.add(a[k], a[k]);
      else if (kinds[k] == I_RANGE) out.add(a[k], b[k]);
      else out.addSet(categorySet(<i32>a[k], b[k] != 0));
    }
  }
  return negate ? out.complement() : out;
}

export { ParseError };
