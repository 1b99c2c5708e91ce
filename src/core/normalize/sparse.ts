/**
 * Sparse layers: a transformed text reduced to the lines around its changes,
 * so a disguise layer costs the matcher time in proportion to what changed,
 * not to the whole document.
 *
 * Contract: every change is kept with its own line, the line before and the
 * line after (each capped at SPARSE_CONTEXT chars from the change and snapped
 * to a word boundary); windows that touch are merged; windows are joined with
 * "\n". Work is linear in the text (each search is bounded by the cap).
 */

/** Context kept on each side of a change, in chars: longer than any rule's match in practice. */
export const SPARSE_CONTEXT = 512;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** Start of the window for a change at `s`: the line before, at most SPARSE_CONTEXT back. */
function windowStart(t: string, s: number): number {
  const floor = Math.max(0, s - SPARSE_CONTEXT);
  let newlines = 0;
  let i = s - 1;
  for (; i >= floor; i--) {
    if (t.charCodeAt(i) === 0x0a && ++newlines === 2) return i + 1;
  }
  let w = floor;
  if (w > 0) while (w < s && !isSpace(t.charCodeAt(w - 1))) w++; // do not start inside a word
  return w;
}

/** End of the window for a change ending at `e`: the line after, at most SPARSE_CONTEXT on. */
function windowEnd(t: string, e: number): number {
  const ceil = Math.min(t.length, e + SPARSE_CONTEXT);
  let newlines = 0;
  for (let i = e; i < ceil; i++) {
    if (t.charCodeAt(i) === 0x0a && ++newlines === 2) return i;
  }
  let w = ceil;
  if (w < t.length) while (w > e && !isSpace(t.charCodeAt(w))) w--;
  return w;
}

/**
 * The parts of `t` around the changed ranges `changed` ([start, end, start,
 * end, ...] ascending, positions in `t`); `t` itself when the windows cover it.
 */
export function sparseLayer(t: string, changed: readonly number[]): string {
  if (changed.length === 0) return '';
  const parts: string[] = [];
  let ws = windowStart(t, changed[0]);
  let we = windowEnd(t, changed[1]);
  for (let k = 2; k < changed.length; k += 2) {
    if (changed[k] <= we) {
      we = Math.max(we, windowEnd(t, changed[k + 1]));
      continue;
    }
    const s = windowStart(t, changed[k]);
    if (s <= we) {
      we = Math.max(we, windowEnd(t, changed[k + 1]));
      continue;
    }
    parts.push(t.slice(ws, we));
    ws = s;
    we = windowEnd(t, changed[k + 1]);
  }
  if (parts.length === 0 && ws === 0 && we === t.length) return t;
  parts.push(t.slice(ws, we));
  return parts.join('\n');
}

/** Accumulates a rewritten text and where it differs from the source. */
export class Rewriter {
  private parts: string[] = [];
  private len = 0;
  private from = 0;
  /** Each replacement as [srcEnd, outEnd] (for mapRanges). */
  private ends: number[] = [];
  /** Changed ranges in the output, [start, end, ...]. */
  readonly changed: number[] = [];
  constructor(private readonly src: string) {}

  /** Replaces src[start, end) with `text` (calls in ascending, non-overlapping order). */
  replace(start: number, end: number, text: string): void {
    if (start > this.from) {
      this.parts.push(this.src.slice(this.from, start));
      this.len += start - this.from;
    }
    const last = this.changed.length;
    if (last && this.changed[last - 1] === this.len) this.changed[last - 1] = this.len + text.length;
    else this.changed.push(this.len, this.len + text.length);
    this.parts.push(text);
    this.len += text.length;
    this.from = end;
    this.ends.push(end, this.len);
  }

  /** Ascending ranges of the source, moved to output positions (ranges inside a replacement cover it). */
  mapRanges(ranges: readonly number[]): number[] {
    const out: number[] = [];
    let k = 0;
    let shift = 0;
    const at = (p: number) => {
      while (k < this.ends.length && this.ends[k] <= p) {
        shift = this.ends[k + 1] - this.ends[k];
        k += 2;
      }
      return p + shift;
    };
    for (let i = 0; i < ranges.length; i += 2) {
      const s = at(ranges[i]);
      out.push(s, Math.max(s, at(ranges[i + 1])));
    }
    return out;
  }

  /** Output changes plus `earlier` (source ranges of a previous pass), merged ascending. */
  mergedChanges(earlier: readonly number[]): number[] {
    const a = this.mapRanges(earlier);
    const b = this.changed;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const takeA = j >= b.length || (i < a.length && a[i] <= b[j]);
      const s = takeA ? a[i] : b[j];
      const e = takeA ? a[i + 1] : b[j + 1];
      if (takeA) i += 2;
      else j += 2;
      const n = out.length;
      if (n && s <= out[n - 1]) out[n - 1] = Math.max(out[n - 1], e);
      else out.push(s, e);
    }
    return out;
  }

  get dirty(): boolean {
    return this.changed.length > 0;
  }

  /** The whole rewritten text. */
  text(): string {
    if (!this.dirty) return this.src;
    return this.parts.join('') + this.src.slice(this.from);
  }

  /** Only the windows around the changes (see sparseLayer); '' when nothing changed. */
  sparse(): string {
    return this.dirty ? sparseLayer(this.text(), this.changed) : '';
  }
}
