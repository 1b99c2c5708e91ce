/**
 * Leave-one-source-out: for every source file, a model trained on all the
 * other files scores that file's rows. Every row thus gets an out-of-source
 * score — what the detector would say about text from a place it has never
 * seen — and every figure built from these scores is honest about
 * generalisation (no source is tuned on and then reported as unseen).
 *
 * The decision threshold is the one the shipped model would use, found the
 * same way: the lowest threshold at which L1 or L2 flags at most `targetFpr`
 * of the benign rows of each benign source on average (macro), computed on
 * out-of-source scores. For a fold, the rows of the held-out source are left
 * out of that calibration, so its FPR is measured, not chosen.
 */
import type { Row } from './data.js';
import type { SampleSet } from './samples.js';

/** Scores one window (a probability that it is a threat). */
export type WindowScorer = (win: number) => number;

/** Trains on the picked training samples (with their weights) and returns a window scorer. */
export type Fit = (set: SampleSet, picked: Int32Array, weights: Float32Array) => WindowScorer;

/** Files with fewer benign rows than this are not benign sources for calibration or the FPR macro. */
export const MIN_BENIGN_ROWS = 20;
/** Files with fewer threat rows than this are not threat sources for the TPR macro. */
export const MIN_THREAT_ROWS = 10;

export interface Fold {
  file: string;
  /** row numbers of the held-out file */
  rows: number[];
}

export function foldsOf(rows: Row[]): Fold[] {
  const by = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const a = by.get(r.file) ?? [];
    a.push(i);
    by.set(r.file, a);
  });
  return [...by.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([file, rs]) => ({ file, rows: rs }));
}

/** Score of a row: its most suspicious window. */
export function rowScore(set: SampleSet, r: number, score: WindowScorer): number {
  let best = 0;
  for (let w = set.rowStart[r]; w < set.rowStart[r + 1]; w++) {
    const p = score(w);
    if (p > best) best = p;
  }
  return best;
}

/**
 * Out-of-source scores: scores[r] comes from a model that never saw row r's
 * file. `fileOfRow` numbers the folds. Logs a line per fold.
 */
export function leaveOneSourceOut(set: SampleSet, rows: Row[], fit: Fit, weightsOf: (picked: Int32Array) => Float32Array, log: (s: string) => void = () => {}): Float32Array {
  const scores = new Float32Array(rows.length);
  const folds = foldsOf(rows);
  for (const f of folds) {
    const t0 = performance.now();
    const held = new Set(f.rows);
    const picked: number[] = [];
    for (let s = 0; s < set.sample.length; s++) if (!held.has(set.sampleRow[s])) picked.push(s);
    const p = Int32Array.from(picked);
    const scorer = fit(set, p, weightsOf(p));
    for (const r of f.rows) scores[r] = rowScore(set, r, scorer);
    log(`  fold ${f.file}: trained on ${p.length} windows, ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  }
  return scores;
}

export interface SourceRates {
  file: string;
  /** false when every threat of the file is of a family left out of training (reported, not in the macro) */
  inScope: boolean;
  threats: number;
  benign: number;
  /** NaN when the file has no threats / no benign rows */
  tpr: number;
  fpr: number;
  /** TPR over the threats that are not context-only (data.ts isContextOnly); equals tpr when there are none */
  tprOwn: number;
  contextOnly: number;
}

/** Per-file TPR and FPR of a decision (one boolean per row); `excluded` families are out of scope. */
export function perSource(rows: Row[], flagged: ArrayLike<boolean>, excluded: readonly string[] = []): SourceRates[] {
  return foldsOf(rows).map((f) => {
    const threats = f.rows.filter((r) => rows[r].label === 1);
    const inScope = threats.length === 0 || threats.some((r) => !excluded.includes(rows[r].family!));
    let tp = 0;
    let pos = 0;
    let fp = 0;
    let neg = 0;
    let ctx = 0;
    let ctxTp = 0;
    for (const r of f.rows) {
      if (rows[r].label === 1) {
        pos++;
        if (flagged[r]) tp++;
        if (rows[r].contextOnly) {
          ctx++;
          if (flagged[r]) ctxTp++;
        }
      } else {
        neg++;
        if (flagged[r]) fp++;
      }
    }
    const own = pos - ctx;
    return { file: f.file, inScope, threats: pos, benign: neg, tpr: pos ? tp / pos : NaN, fpr: neg ? fp / neg : NaN, tprOwn: own ? (tp - ctxTp) / own : NaN, contextOnly: ctx };
  });
}

/**
 * Macro averages: TPR over in-scope threat sources, FPR over benign sources;
 * tprOwn counts only threats that are attacks on their own (no context-only rows).
 */
export function macro(rates: SourceRates[]): { tpr: number; fpr: number; minTpr: number; maxFpr: number; tprOwn: number } {
  const inScope = rates.filter((r) => r.threats >= MIN_THREAT_ROWS && r.inScope);
  const t = inScope.map((r) => r.tpr);
  const own = inScope.filter((r) => r.threats - r.contextOnly >= MIN_THREAT_ROWS).map((r) => r.tprOwn);
  const f = rates.filter((r) => r.benign >= MIN_BENIGN_ROWS).map((r) => r.fpr);
  const mean = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN);
  return { tpr: mean(t), fpr: mean(f), minTpr: Math.min(...t), maxFpr: Math.max(...f), tprOwn: mean(own) };
}

/**
 * The lowest threshold t at which "L1 flagged or score >= t" has a macro FPR
 * (mean over benign sources with at least MIN_BENIGN_ROWS rows) of at most
 * `target`. Rows of `exclude` (a file) are ignored.
 */
export function calibrateMacro(rows: Row[], scores: ArrayLike<number>, l1: ArrayLike<boolean>, target: number, exclude?: string): number {
  const byFile = new Map<string, { l1: number; s: number[] }>();
  rows.forEach((r, i) => {
    if (r.label !== 0 || r.file === exclude) return;
    const e = byFile.get(r.file) ?? { l1: 0, s: [] };
    if (l1[i]) e.l1++;
    else e.s.push(scores[i]);
    byFile.set(r.file, e);
  });
  const files = [...byFile.values()].filter((e) => e.l1 + e.s.length >= MIN_BENIGN_ROWS).map((e) => ({ n: e.l1 + e.s.length, l1: e.l1, s: Float64Array.from(e.s).sort() }));
  if (files.length === 0) return 0.5;
  const fprAt = (t: number) => {
    let sum = 0;
    for (const f of files) {
      // rows with score >= t: s is ascending
      let lo = 0;
      let hi = f.s.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (f.s[mid] >= t) hi = mid;
        else lo = mid + 1;
      }
      sum += (f.l1 + f.s.length - lo) / f.n;
    }
    return sum / files.length;
  };
  const cands = Float64Array.from(new Set(files.flatMap((f) => Array.from(f.s)))).sort();
  // smallest candidate c with fprAt(just above c) <= target; thresholds sit just above a benign score
  let lo = 0;
  let hi = cands.length; // hi = "above every benign score"
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fprAt(cands[mid] + 1e-7) <= target) hi = mid;
    else lo = mid + 1;
  }
  const t = lo < cands.length ? cands[lo] + 1e-7 : (cands[cands.length - 1] ?? 0.5) + 1e-7;
  // the smallest threshold: between the previous candidate and this one
  return Math.min(0.999999, t);
}
