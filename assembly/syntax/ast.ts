// The AST the parser produces. Flags are already applied: a class node holds
// the final set of code points it matches (case folding resolved), and
// anchors are already the MULTILINE or plain variant.
import { RangeSet } from '../unicode/ranges';

export const K_EMPTY: u8 = 0;
export const K_CLASS: u8 = 1;   // one code point from `cls`
export const K_ASSERT: u8 = 2;  // zero-width assertion `assertKind`
export const K_CONCAT: u8 = 3;
export const K_ALT: u8 = 4;     // children in priority order
export const K_REPEAT: u8 = 5;  // child{min,max}, greedy or lazy

export const A_BEGIN: i32 = 1;       // ^ (no MULTILINE) and \A
export const A_BEGIN_LINE: i32 = 2;  // ^ with MULTILINE
export const A_END: i32 = 3;         // $ (no MULTILINE): end, or before a final \n
export const A_END_LINE: i32 = 4;    // $ with MULTILINE
export const A_END_STRING: i32 = 5;  // \Z
export const A_WORD: i32 = 6;        // \b
export const A_NOT_WORD: i32 = 7;    // \B

export const INF: u32 = 0xFFFFFFFF;

export class Node {
  kind: u8;
  cls: RangeSet | null = null;
  assertKind: i32 = 0;
  children: Array<Node> = new Array<Node>();
  min: u32 = 0;
  max: u32 = 0;
  greedy: bool = true;
  /** K_CLASS: its index in the program's class table, once interned (-1 before). */
  classIdx: i32 = -1;
  /**
   * K_CLASS made from one literal or one non-negated [...] set: its raw items
   * (before case folding), so an alternation of such branches can become one
   * set, as Python's parser does. kinds/a/b as in parser.ts; null otherwise.
   */
  rawKinds: Array<u8> | null = null;
  rawA: Array<u32> | null = null;
  rawB: Array<u32> | null = null;

  constructor(kind: u8) {
    this.kind = kind;
  }

  static cls(s: RangeSet): Node {
    const n = new Node(K_CLASS);
    n.cls = s;
    return n;
  }

  static assertion(k: i32): Node {
    const n = new Node(K_ASSERT);
    n.assertKind = k;
    return n;
  }

  static repeat(child: Node, min: u32, max: u32, greedy: bool): Node {
    const n = new Node(K_REPEAT);
    n.children.push(child);
    n.min = min;
    n.max = max;
    n.greedy = greedy;
    return n;
  }
}
