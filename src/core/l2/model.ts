/**
 * The L2 model: a linear softmax classifier over hashed n-gram features
 *   probs = softmax(sum_i values[i] * W[indices[i], :] + b)
 * stored as ONNX (Gather -> Mul -> ReduceSum -> Add -> Softmax) with this
 * metadata beside it. `forward` is the plain TypeScript reference the tests
 * compare onnxruntime-web against.
 */
import { z } from 'zod';

export const ModelMetadataSchema = z.object({
  format: z.literal('raxe-l2'),
  version: z.string(),
  created: z.string(),
  features: z.object({
    kind: z.literal('hashed-ngrams'),
    version: z.number().int(),
    dim: z.number().int().positive(),
    word_ngrams: z.array(z.number().int()),
    char_ngrams: z.array(z.number().int()),
    max_bytes: z.number().int(),
    normalization: z.string(),
  }),
  labels: z.array(z.string()).min(2),
  /** Index of the benign class in `labels`. */
  benign_index: z.number().int().nonnegative(),
  /** Threat probability (1 - p(benign)) at or above which L2 reports a detection. */
  threshold: z.number().min(0).max(1),
  calibration: z.object({ target_fpr: z.number(), split: z.string(), benign_rows: z.number().int(), achieved_fpr: z.number() }),
  training: z.object({
    seed: z.number().int(),
    epochs: z.number().int(),
    learning_rate: z.number(),
    l2: z.number(),
    rows: z.number().int(),
    seconds: z.number(),
  }),
  sources: z.array(z.object({ file: z.string(), rows: z.number().int(), sha256: z.string(), licence: z.string(), origin: z.string() })),
  evaluation: z.record(z.string(), z.unknown()),
  onnx: z.object({ file: z.string(), sha256: z.string(), bytes: z.number().int(), opset: z.number().int() }),
});
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;

export interface LinearModel {
  dim: number;
  classes: number;
  /** row-major [dim, classes] */
  W: Float32Array;
  b: Float32Array;
}

/** The reference forward pass (float64 accumulation); writes into `out` when given (training reuses one buffer). */
export function forward(m: LinearModel, indices: Int32Array, values: Float32Array, out?: Float64Array): Float64Array {
  const C = m.classes;
  const z = out ?? new Float64Array(C);
  for (let c = 0; c < C; c++) z[c] = m.b[c];
  for (let k = 0; k < indices.length; k++) {
    const row = indices[k] * C;
    const v = values[k];
    for (let c = 0; c < C; c++) z[c] += v * m.W[row + c];
  }
  let max = -Infinity;
  for (let c = 0; c < C; c++) if (z[c] > max) max = z[c];
  let sum = 0;
  for (let c = 0; c < C; c++) {
    z[c] = Math.exp(z[c] - max);
    sum += z[c];
  }
  for (let c = 0; c < C; c++) z[c] /= sum;
  return z;
}
