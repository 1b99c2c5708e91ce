/**
 * npm run train -- --data DIR_OR_FILE [--data ...] --out models/raxe-l2.onnx
 *   [--seed 7] [--epochs 8] [--dim 131072] [--target-fpr 0.01]
 * Trains the L2 model on JSONL data, calibrates its threshold, writes the
 * ONNX file and its metadata JSON (features, labels, threshold, sources with
 * licences and hashes, evaluation on sources held out from training).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadEngine, normalizeText, type Features } from '../core/index.js';
import { forward, ModelMetadataSchema, type ModelMetadata } from '../core/l2/model.js';
import { listFiles, readRows, type Row } from './data.js';
import { split } from './split.js';
import { train } from './softmax.js';
import { exportOnnx, OPSET } from './onnx.js';
import { calibrate, counts, rates, metadataPath } from './metrics.js';

// dist/train.js or src/train/train-cli.ts: the package root is the nearest folder with build/raxe.wasm
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = [resolve(HERE, '..'), resolve(HERE, '..', '..')].find((d) => existsSync(join(d, 'build', 'raxe.wasm'))) ?? resolve(HERE, '..');

export interface TrainConfig {
  data: string[];
  out: string;
  seed: number;
  epochs: number;
  dim: number;
  targetFpr: number;
  learningRate: number;
  l2: number;
  benignWeight: number;
  quiet?: boolean;
}

export async function trainModel(cfg: TrainConfig): Promise<ModelMetadata> {
  const t0 = performance.now();
  const log = (s: string) => cfg.quiet || console.error(s);
  const files = listFiles(cfg.data);
  if (files.length === 0) throw new Error(`no .jsonl files under ${cfg.data.join(', ')}`);
  const { rows, sources } = readRows(files);
  const families = [...new Set(rows.filter((r) => r.label === 1).map((r) => r.family!))].sort();
  const labels = ['benign', ...families];
  const labelOf = (r: Row) => (r.label === 0 ? 0 : labels.indexOf(r.family!));
  const engine = await loadEngine(readFileSync(join(ROOT, 'build', 'raxe.wasm')));
  const fz = engine.featurizer(cfg.dim);
  const feats = (rs: Row[]): Features[] => rs.map((r) => fz.featurize(normalizeText(r.text)));
  const parts = split(rows);
  log(`rows: ${rows.length} (train ${parts.train.length}, validation ${parts.val.length}); labels ${labels.join(', ')}`);
  const trainF = feats(parts.train);
  const model = train(trainF, Int32Array.from(parts.train, labelOf), {
    dim: cfg.dim, classes: labels.length, epochs: cfg.epochs, learningRate: cfg.learningRate, l2: cfg.l2, seed: cfg.seed, benignIndex: 0, benignWeight: cfg.benignWeight,
  });
  const threat = (fs: Features[]) => fs.map((f) => 1 - forward(model, f.indices, f.values)[0]);
  // threshold on the held-out sources' benign rows, for the target FPR; figures at that threshold
  const valScores = threat(feats(parts.val));
  const benignVal = valScores.filter((_, i) => parts.val[i].label === 0);
  const { threshold, achieved } = calibrate(benignVal, cfg.targetFpr);
  const valLabels = parts.val.map((r) => r.label);
  const pred = valScores.map((s) => s >= threshold);
  const overall = rates(counts(valLabels, pred));
  const perFamily: Record<string, ReturnType<typeof rates>> = {};
  for (const f of families) perFamily[f] = rates(counts(valLabels, pred, (i) => parts.val[i].family === f || parts.val[i].label === 0));
  const perSource: Record<string, ReturnType<typeof rates>> = {};
  for (const s of [...new Set(parts.val.map((r) => r.file))]) perSource[s] = rates(counts(valLabels, pred, (i) => parts.val[i].file === s));
  const onnxBytes = exportOnnx(model, `raxe L2 linear classifier over hashed n-grams; labels: ${labels.join(',')}`);
  mkdirSync(dirname(cfg.out), { recursive: true });
  writeFileSync(cfg.out, onnxBytes);
  const seconds = (performance.now() - t0) / 1000;
  const meta: ModelMetadata = {
    format: 'raxe-l2',
    version: '1',
    created: new Date().toISOString(),
    features: { kind: 'hashed-ngrams', version: fz.version, dim: cfg.dim, word_ngrams: [1, 2], char_ngrams: [4], max_bytes: 32768, normalization: 'raxe normalizeText (NFKC, invisibles removed, confusables, whitespace) then ASCII lower-case' },
    labels,
    benign_index: 0,
    threshold,
    calibration: { target_fpr: cfg.targetFpr, split: 'validation: sources held out from training (src/train/split.ts)', benign_rows: benignVal.length, achieved_fpr: achieved },
    training: { seed: cfg.seed, epochs: cfg.epochs, learning_rate: cfg.learningRate, l2: cfg.l2, rows: parts.train.length, seconds },
    sources,
    evaluation: {
      note: 'L2 alone at the calibrated threshold, on sources held out from training (src/train/split.ts); `npm run eval` adds L1, combined and other scanners',
      validation_rows: parts.val.length,
      overall,
      per_family: perFamily,
      per_source: perSource,
    },
    onnx: { file: basename(cfg.out), sha256: createHash('sha256').update(onnxBytes).digest('hex'), bytes: onnxBytes.length, opset: OPSET },
  };
  ModelMetadataSchema.parse(meta);
  writeFileSync(metadataPath(cfg.out), JSON.stringify(meta, null, 2) + '\n');
  log(`threshold ${threshold.toFixed(4)} (held-out FPR ${(achieved * 100).toFixed(2)}%); held-out: TPR ${(overall.tpr * 100).toFixed(1)}% FPR ${(overall.fpr * 100).toFixed(2)}%; ${seconds.toFixed(1)}s`);
  return meta;
}


async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', multiple: true },
      out: { type: 'string', default: 'models/raxe-l2.onnx' },
      seed: { type: 'string', default: '7' },
      epochs: { type: 'string', default: '8' },
      dim: { type: 'string', default: String(1 << 17) },
      'target-fpr': { type: 'string', default: '0.01' },
      lr: { type: 'string', default: '0.3' },
      l2: { type: 'string', default: '0.00001' },
      'benign-weight': { type: 'string', default: '2' },
    },
  });
  if (!values.data?.length) throw new Error('give --data DIR_OR_FILE (repeatable)');
  await trainModel({
    data: values.data,
    out: values.out!,
    seed: Number(values.seed),
    epochs: Number(values.epochs),
    dim: Number(values.dim),
    targetFpr: Number(values['target-fpr']),
    learningRate: Number(values.lr),
    l2: Number(values.l2),
    benignWeight: Number(values['benign-weight']),
  });
}

// run as `node dist/train.js` (the bundle), not when imported by a test
if (process.argv[1] && /train(-cli)?\.(js|ts)$/.test(process.argv[1])) {
  main().catch((e) => {
    console.error(`raxe train: ${e instanceof Error ? e.message : e}`);
    process.exit(2);
  });
}
