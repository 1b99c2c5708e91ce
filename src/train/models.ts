/**
 * The L2 model families compared by leave-one-source-out, the settings each
 * is trained with, and for each: a window scorer (evaluation) and its ONNX
 * export (shipping).
 */
import { scoreWindow, trainLogistic } from './logistic.js';
import { mlpScore, trainMlp } from './mlp.js';
import { exportLinearOnnx, exportMlpOnnx, dequantized } from './onnx.js';
import { leaveOneSourceOut, type Fit, type WindowScorer } from './loso.js';
import type { SampleSet } from './samples.js';
import type { Row } from './data.js';
import { sampleWeights } from './logistic.js';
import { cnnFinal, cnnLoso } from './cnn.js';

export type ModelKind = 'linear' | 'mlp' | 'cnn';
export const MODEL_KINDS: ModelKind[] = ['linear', 'mlp', 'cnn'];

export interface KindConfig {
  dim: number;
  /** feature families (assembly/features/hashing.ts F_* flags) */
  mode: number;
  epochs: number;
  learningRate: number;
  l2: number;
  benignWeight: number;
  seed: number;
  hidden: number;
  dropout: number;
}

export const DEFAULTS: Record<ModelKind, KindConfig> = {
  linear: { dim: 1 << 18, mode: 35, epochs: 6, learningRate: 0.2, l2: 1e-6, benignWeight: 2, seed: 7, hidden: 0, dropout: 0 },
  mlp: { dim: 1 << 18, mode: 35, epochs: 4, learningRate: 0.05, l2: 1e-6, benignWeight: 2, seed: 7, hidden: 32, dropout: 0.2 },
  // settings live in scripts/train_cnn.py; dim/mode only shape the (unused) n-gram sample set
  cnn: { dim: 1 << 10, mode: 3, epochs: 3, learningRate: 2e-3, l2: 0, benignWeight: 2, seed: 7, hidden: 64, dropout: 0.2 },
};

export interface Trained {
  /** threat probability of a window of the training SampleSet (as the ONNX model computes it) */
  score: WindowScorer;
  /** the ONNX model */
  onnx(doc: string): Uint8Array;
  hidden: number;
}

export function trainKind(kind: Exclude<ModelKind, 'cnn'>, cfg: KindConfig, set: SampleSet, picked: Int32Array, weights: Float32Array): Trained {
  switch (kind) {
    case 'linear': {
      const m = trainLogistic(set, picked, weights, cfg);
      return { score: (w) => scoreWindow(m, set, w), onnx: (doc) => exportLinearOnnx(m, doc), hidden: 0 };
    }
    case 'mlp': {
      const m = trainMlp(set, picked, weights, { dim: cfg.dim, hidden: cfg.hidden, epochs: cfg.epochs, learningRate: cfg.learningRate, l2: cfg.l2, dropout: cfg.dropout, seed: cfg.seed });
      const q = dequantized(m); // score what ONNX will compute (int8 embeddings)
      const scratch = new Float32Array(m.hidden);
      return { score: (w) => mlpScore(q, set, w, scratch), onnx: (doc) => exportMlpOnnx(m, doc), hidden: m.hidden };
    }
  }
}

export function fitter(kind: Exclude<ModelKind, 'cnn'>, cfg: KindConfig = DEFAULTS[kind]): Fit {
  return (set, picked, weights) => trainKind(kind, cfg, set, picked, weights).score;
}

/** Every row's out-of-source score (leave-one-source-out), for any kind. */
export function outOfSourceScores(kind: ModelKind, cfg: KindConfig, set: SampleSet, rows: Row[], files: string[], log: (s: string) => void): Float32Array {
  if (kind === 'cnn') return cnnLoso(rows, set, files);
  const fileOfRow = Int32Array.from(rows, (r) => files.indexOf(r.file));
  return leaveOneSourceOut(set, rows, fitter(kind, cfg), (p) => sampleWeights(set, p, fileOfRow, cfg.benignWeight), log);
}

/** The model trained on every row: its ONNX bytes and width. */
export function finalModel(kind: ModelKind, cfg: KindConfig, set: SampleSet, rows: Row[], files: string[], doc: string): { onnx: Uint8Array; hidden: number } {
  if (kind === 'cnn') return { onnx: cnnFinal(rows, set, files), hidden: cfg.hidden };
  const fileOfRow = Int32Array.from(rows, (r) => files.indexOf(r.file));
  const all = Int32Array.from(set.sample.keys());
  const m = trainKind(kind, cfg, set, all, sampleWeights(set, all, fileOfRow, cfg.benignWeight));
  return { onnx: m.onnx(doc), hidden: m.hidden };
}
