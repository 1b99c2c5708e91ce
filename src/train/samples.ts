/**
 * Training samples for L2: rows -> windows -> sparse features, stored flat
 * (CSR) so that a fold of leave-one-source-out training is a list of sample
 * numbers, not a copy.
 *
 * L2 scores a text by its most suspicious window (src/core/l2/windows.ts), so
 * it learns from windows:
 *   - a benign row gives every window as a benign sample (at most
 *     MAX_WINDOWS_PER_ROW, evenly spaced);
 *   - a threat row that fits in one window is one threat sample;
 *   - a long threat row with a clean twin (the same document without the
 *     injection, `ctx=` in its source) gives the windows that hold the
 *     injected span (found by diffing the twins) as threat samples; windows
 *     that do not touch it are the twin's benign windows already;
 *   - a long threat row without a twin (a jailbreak prompt, an email with an
 *     attack somewhere) gives every window as a threat sample: such texts are
 *     attack text throughout, or short enough that most windows hold the attack.
 */
import type { Featurizer } from '../core/engine/index.js';
import { normalizeText } from '../core/normalize/normalize.js';
import { planWindows, STRIDE_BYTES, WINDOW_BYTES } from '../core/l2/windows.js';
import type { Row } from './data.js';

/** Benign documents are long and repetitive: a few windows of each teach as much as all of them. */
export const MAX_WINDOWS_PER_ROW = 24;

export interface SampleSet {
  /** CSR over every window of every row: window w has features idx/val[off[w] .. off[w+1]) */
  off: Int32Array;
  idx: Int32Array;
  val: Float32Array;
  /** windows of row r: rowStart[r] .. rowStart[r+1] (all of them, for scoring the row) */
  rowStart: Int32Array;
  /** training samples: window numbers and their labels (1 threat, 0 benign) */
  sample: Int32Array;
  y: Uint8Array;
  /** the row of each training sample */
  sampleRow: Int32Array;
  /** threat families (sorted), and each training sample's index into them (-1 benign) */
  families: string[];
  fam: Int32Array;
}

const encoder = new TextEncoder();

/** A row's own attack span (UTF-16 units of the raw text) as UTF-8 bytes of its normalised text. */
export function spanBytes(raw: string, [s, e]: [number, number]): [number, number] {
  const a = encoder.encode(normalizeText(raw.slice(0, s))).length;
  return [a, a + encoder.encode(normalizeText(raw.slice(s, e))).length];
}

/** [start, end) of the part where `a` (poisoned) differs from `b` (clean), in UTF-8 bytes of `a`. */
export function injectedSpan(a: Uint8Array, b: Uint8Array): [number, number] {
  let p = 0;
  const n = Math.min(a.length, b.length);
  while (p < n && a[p] === b[p]) p++;
  let s = 0;
  while (s < n - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return [p, a.length - s];
}

/**
 * Clean twins: for each threat row, the benign row of the same file that is
 * the same document without the injection — named by `ctx=X` in the threat
 * row's source, or else found as the benign row that shares the threat row's
 * first or last 48 characters and covers at least 60% of its own text with
 * the common prefix and suffix.
 */
export function twins(rows: Row[], normalized: string[]): Map<number, number> {
  const bySource = new Map<string, number>();
  const byHead = new Map<string, number[]>();
  const byTail = new Map<string, number[]>();
  const K = 48;
  const push = (m: Map<string, number[]>, k: string, i: number) => {
    const a = m.get(k);
    if (a) a.push(i);
    else m.set(k, [i]);
  };
  rows.forEach((r, i) => {
    if (r.label !== 0) return;
    bySource.set(`${r.file}\u0000${r.source}`, i);
    const t = normalized[i];
    if (t.length < K * 2) return;
    push(byHead, `${r.file}\u0000${t.slice(0, K)}`, i);
    push(byTail, `${r.file}\u0000${t.slice(-K)}`, i);
  });
  const out = new Map<number, number>();
  rows.forEach((r, i) => {
    if (r.label !== 1) return;
    const m = /;ctx=(.+)$/.exec(r.source);
    const named = m ? bySource.get(`${r.file}\u0000${m[1]}`) : undefined;
    if (named !== undefined) {
      out.set(i, named);
      return;
    }
    const t = normalized[i];
    const cands = [...(byHead.get(`${r.file}\u0000${t.slice(0, K)}`) ?? []), ...(byTail.get(`${r.file}\u0000${t.slice(-K)}`) ?? [])];
    let best = -1;
    let bestCover = 0;
    for (const j of cands) {
      const b = normalized[j];
      if (b.length >= t.length) continue;
      let p = 0;
      while (p < b.length && t.charCodeAt(p) === b.charCodeAt(p)) p++;
      let q = 0;
      while (q < b.length - p && t.charCodeAt(t.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++;
      const cover = (p + q) / b.length;
      if (cover > bestCover) {
        bestCover = cover;
        best = j;
      }
    }
    if (best >= 0 && bestCover >= 0.6) out.set(i, best);
  });
  return out;
}

class Growable {
  idx = new Int32Array(1 << 20);
  val = new Float32Array(1 << 20);
  n = 0;
  push(i: Int32Array, v: Float32Array): void {
    while (this.n + i.length > this.idx.length) {
      const ni = new Int32Array(this.idx.length * 2);
      ni.set(this.idx.subarray(0, this.n));
      this.idx = ni;
      const nv = new Float32Array(this.val.length * 2);
      nv.set(this.val.subarray(0, this.n));
      this.val = nv;
    }
    this.idx.set(i, this.n);
    this.val.set(v, this.n);
    this.n += i.length;
  }
}

/** Every row's windows, and the training samples among them (see the header for labels). */
export function buildSamples(rows: Row[], fz: Featurizer, excludeFamilies: readonly string[] = [], window = WINDOW_BYTES, stride = STRIDE_BYTES): SampleSet {
  const normalized = rows.map((r) => normalizeText(r.text));
  const tw = twins(rows, normalized);
  const g = new Growable();
  const off: number[] = [0];
  const rowStart: number[] = [0];
  const sample: number[] = [];
  const y: number[] = [];
  const sampleRow: number[] = [];
  rows.forEach((r, ri) => {
    const text = normalized[ri];
    const bytes = encoder.encode(text);
    const spans = planWindows(bytes, bytes.length, window, stride);
    const feats = fz.featurizeWindows(text, () => spans);
    const first = off.length - 1;
    for (const f of feats) {
      g.push(f.indices, f.values);
      off.push(g.n);
    }
    rowStart.push(off.length - 1);
    const nw = feats.length;
    if (r.label === 1 && (excludeFamilies.includes(r.family!) || r.contextOnly)) return; // scored, never learned from
    const add = (k: number, label: number) => {
      sample.push(first + k);
      y.push(label);
      sampleRow.push(ri);
    };
    if (r.label === 0) {
      if (nw <= MAX_WINDOWS_PER_ROW) for (let k = 0; k < nw; k++) add(k, 0);
      else for (let k = 0; k < MAX_WINDOWS_PER_ROW; k++) add(Math.floor((k * nw) / MAX_WINDOWS_PER_ROW), 0);
    } else if (nw === 1) {
      add(0, 1);
    } else {
      const twin = tw.get(ri);
      const span = r.span ? spanBytes(r.text, r.span) : twin !== undefined ? injectedSpan(bytes, encoder.encode(normalized[twin])) : null;
      if (span) {
        const [a, b] = span;
        const need = Math.max(1, Math.min(b - a, 128) >> 1);
        let any = false;
        for (let k = 0; k < nw; k++) {
          const ov = Math.min(b, spans[2 * k + 1]) - Math.max(a, spans[2 * k]);
          if (ov >= need) {
            add(k, 1);
            any = true;
          }
        }
        if (!any) for (let k = 0; k < nw; k++) add(k, 1); // never drop a threat
      } else {
        for (let k = 0; k < nw; k++) add(k, 1);
      }
    }
  });
  const families = [...new Set(rows.filter((r) => r.label === 1 && !excludeFamilies.includes(r.family!)).map((r) => r.family!))].sort();
  const fam = Int32Array.from(sampleRow, (ri, i) => (y[i] ? families.indexOf(rows[ri].family!) : -1));
  return {
    off: Int32Array.from(off), idx: g.idx.slice(0, g.n), val: g.val.slice(0, g.n), rowStart: Int32Array.from(rowStart),
    sample: Int32Array.from(sample), y: Uint8Array.from(y), sampleRow: Int32Array.from(sampleRow), families, fam,
  };
}
