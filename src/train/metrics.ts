/** Detection metrics over labelled rows, overall and grouped. */

export interface Counts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export function counts(labels: ArrayLike<number>, predicted: ArrayLike<boolean>, pick?: (i: number) => boolean): Counts {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < labels.length; i++) {
    if (pick && !pick(i)) continue;
    if (labels[i] === 1) predicted[i] ? c.tp++ : c.fn++;
    else predicted[i] ? c.fp++ : c.tn++;
  }
  return c;
}

export function rates(c: Counts) {
  const tpr = c.tp + c.fn ? c.tp / (c.tp + c.fn) : NaN;
  const fpr = c.fp + c.tn ? c.fp / (c.fp + c.tn) : NaN;
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : NaN;
  const f1 = precision + tpr ? (2 * precision * tpr) / (precision + tpr) : NaN;
  return { tpr, fpr, precision, f1, positives: c.tp + c.fn, negatives: c.fp + c.tn };
}

/** Threshold so that at most `targetFpr` of benign scores are >= it. */
export function calibrate(benignScores: number[], targetFpr: number): { threshold: number; achieved: number } {
  const s = [...benignScores].sort((a, b) => b - a);
  const allowed = Math.floor(targetFpr * s.length);
  // just above the (allowed+1)-th highest benign score
  const threshold = s.length === 0 ? 0.5 : Math.min(0.999999, s[allowed] + 1e-6);
  const achieved = s.length ? s.filter((x) => x >= threshold).length / s.length : 0;
  return { threshold, achieved };
}

export const pct = (v: number) => (Number.isNaN(v) ? '   -  ' : `${(v * 100).toFixed(1).padStart(5)}%`);

/** models/x.onnx -> models/x.json (the metadata beside a model) */
export function metadataPath(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/, '') + '.json';
}
