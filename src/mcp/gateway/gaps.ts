/**
 * Linear-time matching of "literal parts with anything in between": tool
 * allow/deny globs (`read_*`) and RFC 6570 URI templates
 * (`db://{a}/{b}/{c}.json`, each expression standing for any run of
 * characters). Upstreams choose templates and tool names and hosts choose
 * URIs, so this must not backtrack: a regex `^db://.*\/.*\/.*\.json$` takes
 * cubic time on a URI of slashes (7.9 s for 2.5 KB). Here the first part is
 * matched at the start, the last at the end, and each one between at its
 * leftmost place after the previous one (leftmost is always right when the
 * gaps accept anything), each found by Knuth-Morris-Pratt: O(text + parts).
 */

/** A compiled pattern: test(text) in time linear in text and pattern. */
export interface GapPattern {
  test(text: string): boolean;
}

/** Compiles `parts` (literal, in order; the gaps between them match any run of characters, also empty). */
export function gapPattern(parts: readonly string[]): GapPattern {
  if (parts.length === 1) {
    const only = parts[0];
    return { test: (t) => t === only };
  }
  const first = parts[0];
  const last = parts[parts.length - 1];
  const middle = parts.slice(1, -1).filter((p) => p !== '').map((p) => ({ p, fail: failureTable(p) }));
  return {
    test(text) {
      if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
      let at = first.length;
      const end = text.length - last.length;
      for (const m of middle) {
        const k = kmpIndexOf(text, m.p, m.fail, at, end);
        if (k < 0) return false;
        at = k + m.p.length;
      }
      return true;
    },
  };
}

/** A tool glob: "*" matches any run of characters. */
export function globPattern(glob: string): GapPattern {
  return gapPattern(glob.split('*'));
}

/** An RFC 6570 URI template: each {expression} matches any run of characters. */
export function templatePattern(template: string): GapPattern {
  return gapPattern(template.split(/\{[^}]*\}/));
}

function failureTable(p: string): Int32Array {
  const f = new Int32Array(p.length);
  let k = 0;
  for (let i = 1; i < p.length; i++) {
    while (k > 0 && p.charCodeAt(i) !== p.charCodeAt(k)) k = f[k - 1];
    if (p.charCodeAt(i) === p.charCodeAt(k)) k++;
    f[i] = k;
  }
  return f;
}

/** The first index >= from where `p` occurs wholly before `end`, or -1. */
function kmpIndexOf(text: string, p: string, f: Int32Array, from: number, end: number): number {
  let k = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    while (k > 0 && c !== p.charCodeAt(k)) k = f[k - 1];
    if (c === p.charCodeAt(k)) k++;
    if (k === p.length) return i - p.length + 1;
  }
  return -1;
}
