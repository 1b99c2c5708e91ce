/**
 * L2 in the scan core: the text is cut into windows (windows.ts), each
 * window is featurised by the WASM core (or, for byte models, taken as
 * bytes), the windows go through the ONNX model in batches with
 * onnxruntime-web (wasm backend; injected by the caller so the core stays
 * free of loading concerns), and the text's score is its most suspicious
 * window's. The session is created lazily, once; `warm()` starts it early.
 */
import type { Engine, Features, Featurizer } from '../engine/index.js';
import type { Detection, L2Classifier } from '../scan/types.js';
import type { Severity } from '../rules/schema.js';
import { ModelMetadataSchema, type ModelMetadata } from './model.js';
import { planWindows } from './windows.js';
import { encodeLexicon, LEXICON_VERSION } from './lexicon.js';

/** Feature family flag of concept features (assembly/features/hashing.ts F_CONCEPT). */
export const F_CONCEPT = 32;

/** The encoded lexicon when `mode` asks for concept features. */
export function lexiconFor(mode: number): Uint8Array | undefined {
  return mode & F_CONCEPT ? encodeLexicon() : undefined;
}

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
  /** threat probability of the most suspicious window */
  threat: number;
  /** family probabilities of that window */
  probs: Record<string, number>;
  /** how many windows were scored */
  windows: number;
}

export interface L2Runtime extends L2Classifier {
  readonly metadata: ModelMetadata;
  /** Scores one text (normalised by the caller). */
  predict(text: string): Promise<L2Prediction>;
  /** Creates the ONNX session now (idempotent). */
  warm(): Promise<void>;
  /** Milliseconds the ONNX session took to create (0 before it exists). */
  sessionMs(): number;
}

/** Windows per ONNX run: bounds the batch tensors (B x K x hidden floats) for long texts. */
export const MAX_BATCH = 64;

type Session = Awaited<ReturnType<OrtLike['InferenceSession']['create']>>;

const encoder = new TextEncoder();

/** Pads window features into [B, K] index/value tensors (index 0, value 0 add nothing). */
export function packFeatures(ws: Features[]): { indices: Int32Array; values: Float32Array; k: number } {
  let k = 1;
  for (const w of ws) if (w.indices.length > k) k = w.indices.length;
  const indices = new Int32Array(ws.length * k);
  const values = new Float32Array(ws.length * k);
  ws.forEach((w, b) => {
    indices.set(w.indices, b * k);
    values.set(w.values, b * k);
  });
  return { indices, values, k };
}

export function createL2(opts: L2Options): L2Runtime {
  const metadata = ModelMetadataSchema.parse(opts.metadata);
  const threshold = opts.threshold ?? metadata.threshold;
  const critical = Math.max(threshold, metadata.threshold_critical);
  const win = metadata.windows;
  const plan = (bytes: Uint8Array, len: number) => planWindows(bytes, len, win.bytes, win.stride, win.dense_limit);
  const fams = metadata.families;
  const ort = opts.ort;
  let featurizer: Featurizer | null = null;
  let session: Session | null = null;
  let creating: Promise<void> | null = null;
  let sessionMs = 0;

  function warm(): Promise<void> {
    creating ??= (async () => {
      const t0 = performance.now();
      ort.env.wasm.numThreads = opts.threads ?? 1;
      session = await ort.InferenceSession.create(opts.model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
      if (metadata.features.kind === 'hashed-ngrams') {
        featurizer = opts.engine.featurizer(metadata.features.dim, metadata.features.mode, lexiconFor(metadata.features.mode));
        if (featurizer.version !== metadata.features.version) {
          throw new Error(`L2 model expects features v${metadata.features.version}, the engine has v${featurizer.version}: retrain the model`);
        }
        if (metadata.features.mode & F_CONCEPT && metadata.features.lexicon !== LEXICON_VERSION) {
          throw new Error(`L2 model was trained with lexicon v${metadata.features.lexicon}, this build has v${LEXICON_VERSION}: retrain the model`);
        }
      }
      sessionMs = performance.now() - t0;
    })();
    return creating;
  }

  /** The model's feeds for a batch of windows. */
  function feeds(text: string): Array<() => Record<string, unknown>> {
    const out: Array<() => Record<string, unknown>> = [];
    if (featurizer) {
      const ws = featurizer.featurizeWindows(text, plan);
      for (let i = 0; i < ws.length; i += MAX_BATCH) {
        const part = ws.slice(i, i + MAX_BATCH);
        out.push(() => {
          const { indices, values, k } = packFeatures(part);
          return { indices: new ort.Tensor('int32', indices, [part.length, k]), values: new ort.Tensor('float32', values, [part.length, k]) };
        });
      }
      return out;
    }
    const bytes = encoder.encode(text);
    const spans = plan(bytes, bytes.length);
    for (let i = 0; i < spans.length; i += 2 * MAX_BATCH) {
      const part = spans.slice(i, i + 2 * MAX_BATCH);
      out.push(() => {
        const b = part.length / 2;
        const ids = new Int32Array(b * win.bytes);
        for (let w = 0; w < b; w++) {
          const [s, e] = [part[2 * w], part[2 * w + 1]];
          for (let j = s; j < e && j - s < win.bytes; j++) ids[w * win.bytes + j - s] = bytes[j] + 1; // 0 is padding
        }
        return { bytes: new ort.Tensor('int32', ids, [b, win.bytes]) };
      });
    }
    return out;
  }

  async function predict(text: string): Promise<L2Prediction> {
    await warm();
    let best = 0;
    let bestFam: ArrayLike<number> | null = null;
    let n = 0;
    if (text.length > 0) {
      for (const make of feeds(text)) {
        const out = await session!.run(make());
        const t = out.threat.data;
        const f = out.family?.data;
        for (let b = 0; b < t.length; b++) {
          if (t[b] > best || bestFam === null) {
            best = t[b];
            bestFam = f ? Array.prototype.slice.call(f, b * fams.length, (b + 1) * fams.length) : null;
          }
        }
        n += t.length;
      }
    }
    const probs: Record<string, number> = {};
    fams.forEach((name, i) => (probs[name] = bestFam ? bestFam[i] : 1 / fams.length));
    return { threat: best, probs, windows: n };
  }

  return {
    metadata,
    predict,
    warm,
    sessionMs: () => sessionMs,
    async classify(text) {
      const { threat, probs } = await predict(text);
      if (threat < threshold) return [];
      let family = fams[0];
      for (const f of fams) if (probs[f] > probs[family]) family = f;
      const severity: Severity = threat >= critical ? 'critical' : 'high';
      const d: Detection = {
        rule_id: `l2-${family.toLowerCase()}`,
        family,
        sub_family: 'ml',
        severity,
        confidence: Math.round(threat * 1000) / 1000,
        message: `ML classifier: likely ${family} (${Math.round(threat * 100)}% threat probability)`,
        layer: 'L2',
      };
      return [d];
    },
  };
}
