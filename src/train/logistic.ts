/**
 * The threat score's trainer for the linear model: binary logistic regression
 * over sparse window features, Adagrad with an L2 penalty on the weights a
 * sample touches. Deterministic (seeded shuffle). Threats and benign windows
 * carry the same total weight, benign times `benignWeight`, and every source
 * file carries weight proportional to its size^(1 - sourcePower) (sqrt by
 * default) rather than its size, so that no single large source defines the
 * boundary.
 */
import type { SampleSet } from './samples.js';
import { prng, shuffleInPlace } from './prng.js';

export interface LogisticOptions {
  dim: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  benignWeight: number;
}

export interface BinaryLinear {
  dim: number;
  w: Float32Array;
  b: number;
}

/** Per-sample weights: class balance times source balance (see the header). */
export function sampleWeights(set: SampleSet, picked: Int32Array, fileOfRow: Int32Array, benignWeight: number, sourcePower = 0.5): Float32Array {
  const perFileClass = new Map<number, number>();
  for (const s of picked) {
    const k = fileOfRow[set.sampleRow[s]] * 2 + set.y[s];
    perFileClass.set(k, (perFileClass.get(k) ?? 0) + 1);
  }
  const raw = new Float32Array(picked.length);
  let pos = 0;
  let neg = 0;
  picked.forEach((s, i) => {
    const k = fileOfRow[set.sampleRow[s]] * 2 + set.y[s];
    raw[i] = 1 / Math.pow(perFileClass.get(k)!, sourcePower);
    if (set.y[s]) pos += raw[i];
    else neg += raw[i];
  });
  const n = picked.length;
  picked.forEach((s, i) => {
    raw[i] *= set.y[s] ? n / (2 * pos) : (benignWeight * n) / (2 * neg);
  });
  return raw;
}

export function trainLogistic(set: SampleSet, picked: Int32Array, weights: Float32Array, o: LogisticOptions): BinaryLinear {
  const w = new Float32Array(o.dim);
  const gw = new Float32Array(o.dim);
  let b = 0;
  let gb = 0;
  const order = Int32Array.from(picked.keys());
  const rand = prng(o.seed);
  const eps = 1e-8;
  const { off, idx, val } = set;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, rand);
    for (const k of order) {
      const s = picked[k];
      const win = set.sample[s];
      const a = off[win];
      const e = off[win + 1];
      let z = b;
      for (let q = a; q < e; q++) z += w[idx[q]] * val[q];
      const p = 1 / (1 + Math.exp(-z));
      const g = weights[k] * (p - set.y[s]);
      gb += g * g;
      b -= (o.learningRate * g) / Math.sqrt(gb + eps);
      for (let q = a; q < e; q++) {
        const j = idx[q];
        const gj = g * val[q] + o.l2 * w[j];
        gw[j] += gj * gj;
        w[j] -= (o.learningRate * gj) / Math.sqrt(gw[j] + eps);
      }
    }
  }
  return { dim: o.dim, w, b };
}

/** Threat probability of one window. */
export function scoreWindow(m: BinaryLinear, set: SampleSet, win: number): number {
  let z = m.b;
  for (let q = set.off[win]; q < set.off[win + 1]; q++) z += m.w[set.idx[q]] * set.val[q];
  return 1 / (1 + Math.exp(-z));
}
