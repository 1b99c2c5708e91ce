// Required-literal extraction.
//
// Contract: for a pattern P, `requiredLiterals(P)` returns a set L of ASCII
// strings (lower-case, "folded") such that every match of P, once folded,
// contains some member of L — or null when no such useful set exists. The
// prefilter may over-report (a literal occurs but P does not match), never
// miss. Folding maps ASCII letters to lower case and the four non-ASCII code
// points that Python's IGNORECASE equates with ASCII letters (K KELVIN SIGN,
// LATIN CAPITAL/SMALL I WITH/WITHOUT DOT, LONG S) to those letters; aho.ts
// folds the text the same way.
import { Node, K_EMPTY, K_CLASS, K_ASSERT, K_CONCAT, K_ALT, K_REPEAT } from '../syntax/ast';
import { RangeSet } from '../unicode/ranges';

const MAX_SET: i32 = 64;
const MAX_LEN: i32 = 24;
const MAX_CLASS_BYTES: i32 = 4;
/** Shortest literal worth a prefilter; shorter ones match too often to help. */
export const MIN_USEFUL_LEN: i32 = 2;

/** The folded ASCII byte of code point c, or -1 when c has none. */
export function foldByte(c: u32): i32 {
  if (c < 128) return c >= 0x41 && c <= 0x5a ? <i32>(c + 32) : <i32>c;
  if (c == 0x212a) return 0x6b; // K KELVIN SIGN -> k
  if (c == 0x130 || c == 0x131) return 0x69; // İ ı -> i
  if (c == 0x17f) return 0x73; // ſ -> s
  return -1;
}

class Info {
  exact: Array<string> | null = null; // the node matches exactly one of these (folded)
  req: Array<string> | null = null;   // every match contains one of these
}

function minLen(s: Array<string> | null): i32 {
  if (s == null) return -1;
  let m = 1 << 30;
  for (let i = 0; i < s.length; i++) if (s[i].length < m) m = s[i].length;
  return s.length == 0 ? -1 : m;
}

/** Is a better than b? Longer shortest member first, then fewer members. */
function better(a: Array<string> | null, b: Array<string> | null): bool {
  const la = minLen(a);
  const lb = minLen(b);
  if (la <= 0) return false;
  if (lb <= 0) return true;
  if (la != lb) return la > lb;
  return a!.length < b!.length;
}

function best(i: Info): Array<string> | null {
  return better(i.exact, i.req) ? i.exact : (minLen(i.req) > 0 ? i.req : null);
}

function cross(a: Array<string>, b: Array<string>): Array<string> | null {
  if (a.length * b.length > MAX_SET) return null;
  const out = new Array<string>();
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const s = a[i] + b[j];
      if (s.length > MAX_LEN) return null;
      if (!out.includes(s)) out.push(s);
    }
  }
  return out;
}

function classBytes(s: RangeSet): Array<string> | null {
  if (s.size() > 64) return null;
  const out = new Array<string>();
  for (let i = 0; i < s.r.length; i += 2) {
    for (let c = s.r[i]; c <= s.r[i + 1]; c++) {
      const b = foldByte(c);
      if (b < 0) return null;
      const ch = String.fromCharCode(b);
      if (!out.includes(ch)) out.push(ch);
      if (out.length > MAX_CLASS_BYTES) return null;
    }
  }
  return out;
}

class Parts {
  /** literal sets each match must contain one member of (one per mandatory part) */
  sets: Array<Array<string>> = new Array<Array<string>>();
  /** every child was exact: sets[0] is then the whole concatenation's exact set */
  allExact: bool = true;
}

/**
 * The required literal sets of a concatenation's parts: runs of adjacent
 * exact children (crossed into one set while it stays small), and the best
 * set of each other child. Every match contains a member of each set.
 */
function concatParts(n: Node): Parts {
  const out = new Parts();
  let cur: Array<string> = [''];
  for (let i = 0; i < n.children.length; i++) {
    const ci = info(n.children[i]);
    const e = ci.exact;
    if (e != null) {
      const next = cross(cur, e);
      if (next != null) {
        cur = next;
        continue;
      }
      out.allExact = false;
      out.sets.push(cur);
      cur = e;
      continue;
    }
    out.allExact = false;
    out.sets.push(cur);
    const b = best(ci);
    if (b != null) out.sets.push(b);
    cur = [''];
  }
  out.sets.push(cur);
  if (out.allExact) out.sets = [cur];
  return out;
}

function info(n: Node): Info {
  const r = new Info();
  switch (n.kind) {
    case K_EMPTY:
    case K_ASSERT: {
      r.exact = [''];
      return r;
    }
    case K_CLASS: {
      r.exact = classBytes(n.cls!);
      return r;
    }
    case K_CONCAT: {
      const parts = concatParts(n);
      if (parts.allExact) r.exact = parts.sets[0];
      let pick: Array<string> | null = null;
      for (let i = 0; i < parts.sets.length; i++) if (better(parts.sets[i], pick)) pick = parts.sets[i];
      r.req = pick;
      return r;
    }
    case K_ALT: {
      let exact: Array<string> | null = new Array<string>();
      let req: Array<string> | null = new Array<string>();
      for (let i = 0; i < n.children.length; i++) {
        const ci = info(n.children[i]);
        if (exact != null) {
          if (ci.exact == null || exact.length + ci.exact!.length > MAX_SET) exact = null;
          else for (let k = 0; k < ci.exact!.length; k++) if (!exact.includes(ci.exact![k])) exact.push(ci.exact![k]);
        }
        if (req != null) {
          const b = best(ci);
          if (b == null || req.length + b.length > MAX_SET) req = null;
          else for (let k = 0; k < b.length; k++) if (!req.includes(b[k])) req.push(b[k]);
        }
      }
      r.exact = exact;
      r.req = req;
      return r;
    }
    case K_REPEAT: {
      if (n.max == 0) {
        r.exact = [''];
        return r;
      }
      if (n.min == 0) return r;
      const ci = info(n.children[0]);
      if (ci.exact != null && n.min == n.max && n.min <= 8) {
        let cur: Array<string> | null = [''];
        for (let k: u32 = 0; k < n.min && cur != null; k++) cur = cross(cur, ci.exact!);
        r.exact = cur;
      }
      r.req = best(ci);
      return r;
    }
  }
  return r;
}

/** The required literal set of a pattern (see the contract above), or null. */
export function requiredLiterals(root: Node): Array<string> | null {
  const b = best(info(root));
  if (b == null || minLen(b) < MIN_USEFUL_LEN) return null;
  return b;
}

/** Most literal sets a pattern may require together. */
export const MAX_SETS: i32 = 3;

/**
 * Several required literal sets: every match contains a member of EACH set
 * (they come from different mandatory parts of a concatenation). Requiring
 * all of them makes a pattern a candidate far less often than its single best
 * set would. Returns [] when no useful set exists.
 */
export function requiredLiteralSets(root: Node): Array<Array<string>> {
  const out = new Array<Array<string>>();
  const first = requiredLiterals(root);
  if (first == null) return out;
  out.push(first);
  // the mandatory parts of a top-level concatenation, each on its own
  if (root.kind != K_CONCAT) return out;
  const cands = concatParts(root).sets;
  // strongest first; skip weak sets and the one already chosen
  cands.sort((a: Array<string>, b: Array<string>): i32 => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  for (let i = 0; i < cands.length && out.length < MAX_SETS; i++) {
    const c = cands[i];
    if (minLen(c) < 3 || sameSet(c, first)) continue;
    out.push(c);
  }
  return out;
}

function sameSet(a: Array<string>, b: Array<string>): bool {
  if (a.length != b.length) return false;
  for (let i = 0; i < a.length; i++) if (!b.includes(a[i])) return false;
  return true;
}
