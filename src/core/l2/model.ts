/**
 * The L2 model's metadata (models/raxe-l2.json beside the ONNX file): what
 * the model reads, how it was trained and calibrated, on what, and how well
 * it did on sources it never saw. The runtime (classifier.ts) reads the
 * feature settings, window settings, families and thresholds from here.
 *
 * Model inputs by kind:
 *   - "linear", "mlp": hashed n-gram features per window, padded to a batch:
 *       indices int32 [B, K], values float [B, K]  (padding: index 0, value 0)
 *   - "cnn": UTF-8 bytes per window, padded with 0: bytes int32 [B, W]
 * Outputs: threat float [B, 1] (probability), and for models with a family
 * head family float [B, F] (softmax over `families`).
 */
import { z } from 'zod';

export const ModelMetadataSchema = z.object({
  format: z.literal('raxe-l2'),
  version: z.literal('2'),
  created: z.string(),
  model: z.object({
    kind: z.enum(['linear', 'mlp', 'cnn']),
    /** hidden units (mlp), channels (cnn) */
    hidden: z.number().int().nonnegative(),
  }),
  features: z.object({
    kind: z.enum(['hashed-ngrams', 'bytes']),
    /** the featuriser's FEATURES_VERSION (hashed-ngrams) */
    version: z.number().int(),
    dim: z.number().int().positive(),
    /** feature families, assembly/features/hashing.ts F_* flags */
    mode: z.number().int().nonnegative(),
    /** LEXICON_VERSION of src/core/l2/lexicon.ts when mode has concept features */
    lexicon: z.number().int().optional(),
    normalization: z.string(),
  }),
  windows: z.object({ bytes: z.number().int().positive(), stride: z.number().int().positive(), dense_limit: z.number().int().positive() }),
  /** threat families the family head names (detection rule id: l2-<family>) */
  families: z.array(z.string()).min(1),
  /** threat probability at or above which L2 reports a detection (severity high) */
  threshold: z.number().min(0).max(1),
  /** at or above this, severity critical */
  threshold_critical: z.number().min(0).max(1),
  calibration: z.object({ target_fpr: z.number(), critical_fpr: z.number(), method: z.string(), benign_sources: z.number().int(), benign_rows: z.number().int() }),
  training: z.record(z.string(), z.unknown()),
  sources: z.array(z.object({ file: z.string(), rows: z.number().int(), sha256: z.string(), licence: z.string(), origin: z.string() })),
  evaluation: z.record(z.string(), z.unknown()),
  onnx: z.object({ file: z.string(), sha256: z.string(), bytes: z.number().int(), opset: z.number().int() }),
});
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;
