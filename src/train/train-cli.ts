/**
 * npm run train -- --data DIR_OR_FILE [--data ...] [--model mlp|linear|cnn] [--out models/raxe-l2.onnx]
 *   [--seed 7] [--exclude-family HC ...]
 *
 * Harmful-content requests (HC: "how do I make ...") are left out by default:
 * raxe detects attacks on an agent (injection, jailbreak, exfiltration, tool
 * poisoning), not requests a model's own safety training refuses, and
 * teaching L2 that every "how do I ..." is a threat costs precision on
 * ordinary questions. `--exclude-family ''` keeps them.
 *
 * Trains the shipped L2 model and calibrates it honestly:
 *   1. leave-one-source-out (src/train/loso.ts): for every source file, a
 *      model trained on the others scores it — out-of-source scores for every
 *      row, and the per-source evaluation that goes into the metadata;
 *   2. the thresholds: the lowest at which L1-or-L2 flags at most 1% (high)
 *      and 0.1% (critical) of each benign source's rows on average, computed
 *      on those out-of-source scores — what unseen benign text looks like;
 *   3. the final model on every row, exported to ONNX with its metadata.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEngine, ModelMetadataSchema, WINDOW_BYTES, STRIDE_BYTES, DENSE_LIMIT_BYTES, type ModelMetadata } from '../core/index.js';
import { listFiles, readRows } from './data.js';
import { buildSamples } from './samples.js';
import { calibrateMacro, macro, perSource, MIN_BENIGN_ROWS } from './loso.js';
import { DEFAULTS, MODEL_KINDS, finalModel, outOfSourceScores, type KindConfig, type ModelKind } from './models.js';
import { lexiconFor } from '../core/l2/classifier.js';
import { LEXICON_VERSION } from '../core/l2/lexicon.js';
import { l1Flags } from './l1.js';
import { OPSET } from './onnx.js';
import { ROOT } from './paths.js';

export interface TrainConfig {
  data: string[];
  out: string;
  kind: ModelKind;
  seed: number;
  targetFpr: number;
  criticalFpr: number;
  /** threat families never learned from (their rows are still scored and reported, outside the macro) */
  excludeFamilies?: string[];
  /** false: skip leave-one-source-out (thresholds 0.5, no evaluation): for timing and size comparisons only, never to ship */
  loso?: boolean;
  /** settings other than the kind's defaults (tests train tiny models) */
  overrides?: Partial<KindConfig>;
  quiet?: boolean;
}

const metadataPath = (onnx: string) => onnx.replace(/\.onnx$/, '') + '.json';

export async function trainModel(c: TrainConfig): Promise<ModelMetadata> {
  const t0 = performance.now();
  const log = (s: string) => c.quiet || console.error(s);
  const files = listFiles(c.data);
  if (files.length === 0) throw new Error(`no .jsonl files under ${c.data.join(', ')}`);
  const { rows, sources } = readRows(files);
  const excluded = c.excludeFamilies ?? [];
  const cfg = { ...DEFAULTS[c.kind], ...c.overrides, seed: c.seed };
  const engine = await loadEngine(readFileSync(`${ROOT}/build/raxe.wasm`));
  const fz = engine.featurizer(cfg.dim, cfg.mode, lexiconFor(cfg.mode));
  const set = buildSamples(rows, fz, excluded);
  const fileNames = [...new Set(rows.map((r) => r.file))].sort();
  log(`${rows.length} rows from ${fileNames.length} sources, ${set.rowStart[rows.length]} windows, ${set.sample.length} training samples; model ${c.kind}`);
  const l1 = await l1Flags(engine, rows);
  const loso = c.loso !== false;
  if (loso) log('leave-one-source-out:');
  const scores = loso ? outOfSourceScores(c.kind, cfg, set, rows, fileNames, log) : new Float32Array(rows.length);
  const threshold = loso ? calibrateMacro(rows, scores, l1, c.targetFpr) : 0.5;
  const thresholdCritical = loso ? calibrateMacro(rows, scores, l1, c.criticalFpr) : 0.9;
  // the evaluation: each source at the threshold calibrated without it
  const foldThr = new Map(fileNames.map((f) => [f, calibrateMacro(rows, scores, l1, c.targetFpr, f)]));
  const l2 = rows.map((r, i) => scores[i] >= foldThr.get(r.file)!);
  const both = rows.map((_, i) => l1[i] || l2[i]);
  const [e1, e2, e12] = [l1, l2, both].map((f) => perSource(rows, f, excluded));
  const evaluation = !loso ? { method: 'none (--no-loso: a model for timing and size comparisons, not calibrated)' } : { method: 'leave-one-source-out (src/train/loso.ts); each source at the threshold calibrated without it', excluded_families: excluded, L1: e1, L2: e2, 'L1+L2': e12, macro: { L1: macro(e1), L2: macro(e2), 'L1+L2': macro(e12) } };
  if (loso) log(`thresholds: ${threshold.toFixed(4)} (high), ${thresholdCritical.toFixed(4)} (critical); LOSO macro L1+L2 TPR ${(macro(e12).tpr * 100).toFixed(1)}% FPR ${(macro(e12).fpr * 100).toFixed(2)}%`);
  log('final model on every source...');
  const model = finalModel(c.kind, cfg, set, rows, fileNames, `raxe L2 ${c.kind} over ${WINDOW_BYTES}-byte windows; families: ${set.families.join(',')}`);
  const onnxBytes = model.onnx;
  mkdirSync(dirname(c.out), { recursive: true });
  writeFileSync(c.out, onnxBytes);
  const benignSources = e1.filter((r) => r.benign >= MIN_BENIGN_ROWS).length;
  const meta: ModelMetadata = {
    format: 'raxe-l2',
    version: '2',
    created: new Date().toISOString(),
    model: { kind: c.kind, hidden: model.hidden },
    features: c.kind === 'cnn'
      ? { kind: 'bytes', version: 1, dim: 257, mode: 0, normalization: 'raxe normalizeText (NFKC, invisibles removed, confusables, whitespace); UTF-8 bytes + 1, 0 pads' }
      : { kind: 'hashed-ngrams', version: fz.version, dim: cfg.dim, mode: cfg.mode, ...(cfg.mode & 32 ? { lexicon: LEXICON_VERSION } : {}), normalization: 'raxe normalizeText (NFKC, invisibles removed, confusables, whitespace), ASCII lower-case in the featuriser' },
    windows: { bytes: WINDOW_BYTES, stride: STRIDE_BYTES, dense_limit: DENSE_LIMIT_BYTES },
    families: set.families,
    threshold,
    threshold_critical: thresholdCritical,
    calibration: { target_fpr: c.targetFpr, critical_fpr: c.criticalFpr, method: 'lowest threshold at which L1 or L2 flags at most target_fpr of the rows of each benign source on average (macro), on leave-one-source-out scores', benign_sources: benignSources, benign_rows: rows.filter((r) => r.label === 0).length },
    training: { ...cfg, kind: c.kind, excluded_families: excluded, rows: rows.length, samples: set.sample.length, seconds: (performance.now() - t0) / 1000 },
    sources,
    evaluation,
    onnx: { file: basename(c.out), sha256: createHash('sha256').update(onnxBytes).digest('hex'), bytes: onnxBytes.length, opset: OPSET },
  };
  ModelMetadataSchema.parse(meta);
  writeFileSync(metadataPath(c.out), JSON.stringify(meta, null, 2) + '\n');
  log(`wrote ${c.out} (${(onnxBytes.length / 1e6).toFixed(1)} MB) and its metadata; ${((performance.now() - t0) / 1000).toFixed(0)}s`);
  return meta;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', multiple: true },
      out: { type: 'string', default: 'models/raxe-l2.onnx' },
      model: { type: 'string', default: 'mlp' },
      seed: { type: 'string', default: '7' },
      'target-fpr': { type: 'string', default: '0.01' },
      'critical-fpr': { type: 'string', default: '0.001' },
      'exclude-family': { type: 'string', multiple: true, default: ['HC'] },
      'no-loso': { type: 'boolean', default: false },
    },
  });
  if (!values.data?.length) throw new Error('give --data DIR_OR_FILE (repeatable), e.g. --data ../shared/datasets/train --data data/l2');
  const kind = values.model as ModelKind;
  if (!MODEL_KINDS.includes(kind)) throw new Error(`--model must be one of ${MODEL_KINDS.join(', ')}`);
  await trainModel({ data: values.data, out: values.out!, kind, seed: Number(values.seed), targetFpr: Number(values['target-fpr']), criticalFpr: Number(values['critical-fpr']), excludeFamilies: values['exclude-family'], loso: !values['no-loso'] });
}

// run as `node dist/train.js` (the bundle), not when imported by a test
if (process.argv[1] && /train(-cli)?\.(js|ts)$/.test(process.argv[1])) {
  main().catch((e) => {
    console.error(`raxe train: ${e instanceof Error ? e.message : e}`);
    process.exit(2);
  });
}
