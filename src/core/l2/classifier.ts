/**
 * L2 in the scan core: features from the WASM featuriser, inference with
 * onnxruntime-web (wasm backend; injected by the caller so the core stays
 * free of loading concerns). The session is created lazily, once.
 */
import type { Engine, Featurizer } from '../engine/index.js';
import type { Detection, L2Classifier } from '../scan/types.js';
import type { Severity } from '../rules/schema.js';
import { ModelMetadataSchema, type ModelMetadata } from './model.js';

/** The part of onnxruntime-web's API we use. */
export interface OrtLike {
  env: { wasm: { numThreads?: number; wasmPaths?: unknown } };
  Tensor: new (type: 'int32' | 'float32', data: Int32Array | Float32Array, dims: number[]) => unknown;
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<{ run(feeds: Record<string, unknown>): Promise<Record<string, { data: ArrayLike<number> }>> }> };
}

export interface L2Options {
  ort: OrtLike;
  engine: Engine;
  model: Uint8Array;
  metadata: unknown;
  /** onnxruntime-web wasm threads (default 1). */
  threads?: number;
  /** Override the calibrated threshold. */
  threshold?: number;
}

export interface L2Prediction {
  /** 1 - p(benign) */
  threat: number;
  /** probability per label */
  probs: Record<string, number>;
}

export interface L2Runtime extends L2Classifier {
  readonly metadata: ModelMetadata;
  /** Probabilities of one text (normalised by the caller). */
  predict(text: string): Promise<L2Prediction>;
  /** Milliseconds the ONNX session took to create (0 before the first call). */
  sessionMs(): number;
}

/** Severity from probability: the more certain, the more severe. */
export function severityFor(p: number): Severity {
  if (p >= 0.98) return 'critical';
  if (p >= 0.9) return 'high';
  return 'medium';
}

export function createL2(opts: L2Options): L2Runtime {
  const metadata = ModelMetadataSchema.parse(opts.metadata);
  const threshold = opts.threshold ?? metadata.threshold;
  let featurizer: Featurizer | null = null;
  let session: Awaited<ReturnType<OrtLike['InferenceSession']['create']>> | null = null;
  let creating: Promise<void> | null = null;
  let sessionMs = 0;
  const ort = opts.ort;

  async function ensure(): Promise<void> {
    if (session) return;
    creating ??= (async () => {
      const t0 = performance.now();
      ort.env.wasm.numThreads = opts.threads ?? 1;
      session = await ort.InferenceSession.create(opts.model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
      featurizer = opts.engine.featurizer(metadata.features.dim);
      if (featurizer.version !== metadata.features.version) {
        throw new Error(`L2 model expects features v${metadata.features.version}, the engine has v${featurizer.version}: retrain the model`);
      }
      sessionMs = performance.now() - t0;
    })();
    await creating;
  }

  async function predict(text: string): Promise<L2Prediction> {
    await ensure();
    const f = featurizer!.featurize(text);
    const probs: Record<string, number> = {};
    if (f.indices.length === 0) {
      metadata.labels.forEach((l, i) => (probs[l] = i === metadata.benign_index ? 1 : 0));
      return { threat: 0, probs };
    }
    const out = await session!.run({
      indices: new ort.Tensor('int32', f.indices, [f.indices.length]),
      values: new ort.Tensor('float32', f.values, [f.values.length]),
    });
    const p = out.probs.data;
    metadata.labels.forEach((l, i) => (probs[l] = p[i]));
    return { threat: 1 - p[metadata.benign_index], probs };
  }

  return {
    metadata,
    predict,
    sessionMs: () => sessionMs,
    async classify(text) {
      const { threat, probs } = await predict(text);
      if (threat < threshold) return [];
      let family = '';
      let best = -1;
      for (const [l, p] of Object.entries(probs)) {
        if (l !== metadata.labels[metadata.benign_index] && p > best) {
          best = p;
          family = l;
        }
      }
      const d: Detection = {
        rule_id: `l2-${family.toLowerCase()}`,
        family,
        sub_family: 'ml',
        severity: severityFor(threat),
        confidence: Math.round(threat * 1000) / 1000,
        message: `ML classifier: likely ${family} (${Math.round(threat * 100)}% threat probability)`,
        layer: 'L2',
      };
      return [d];
    },
  };
}
