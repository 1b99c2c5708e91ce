/**
 * Training of the linear softmax model (model.ts) with Adagrad on weighted
 * cross-entropy. Deterministic: a seeded shuffle, fixed epochs, float32
 * parameters. Classes are weighted so each carries the same total weight
 * (the benign class twice that, which keeps false positives down).
 */
import type { Features } from '../core/engine/index.js';
import { forward, type LinearModel } from '../core/l2/model.js';

export interface TrainOptions {
  dim: number;
  classes: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty applied to the rows a sample touches. */
  l2: number;
  seed: number;
  benignIndex: number;
  benignWeight: number;
}

/** mulberry32 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function train(samples: Features[], labels: Int32Array, o: TrainOptions): LinearModel {
  const C = o.classes;
  const W = new Float32Array(o.dim * C);
  const b = new Float32Array(C);
  const gW = new Float32Array(o.dim * C);
  const gb = new Float32Array(C);
  const counts = new Float64Array(C);
  for (const y of labels) counts[y]++;
  const weight = new Float64Array(C);
  for (let c = 0; c < C; c++) weight[c] = counts[c] > 0 ? samples.length / (C * counts[c]) : 0;
  weight[o.benignIndex] *= o.benignWeight;
  const order = Int32Array.from(samples.keys());
  const rand = prng(o.seed);
  const z = new Float64Array(C);
  const model: LinearModel = { dim: o.dim, classes: C, W, b }; // W and b are updated in place
  const eps = 1e-8;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (const s of order) {
      const f = samples[s];
      const y = labels[s];
      forward(model, f.indices, f.values, z); // z = probabilities
      const w = weight[y];
      for (let c = 0; c < C; c++) z[c] = w * (z[c] - (c === y ? 1 : 0)); // dLoss/dlogit
      for (let c = 0; c < C; c++) {
        gb[c] += z[c] * z[c];
        b[c] -= (o.learningRate * z[c]) / Math.sqrt(gb[c] + eps);
      }
      for (let k = 0; k < f.indices.length; k++) {
        const row = f.indices[k] * C;
        const v = f.values[k];
        for (let c = 0; c < C; c++) {
          const g = v * z[c] + o.l2 * W[row + c];
          gW[row + c] += g * g;
          W[row + c] -= (o.learningRate * g) / Math.sqrt(gW[row + c] + eps);
        }
      }
    }
  }
  return model;
}
