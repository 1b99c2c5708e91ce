/**
 * npm run eval -- --data DIR_OR_FILE [--data ...] [--model linear|mlp] [--json FILE] [--markdown FILE] [--scores FILE] [--no-others]
 *
 * The honest evaluation: leave-one-source-out (src/train/loso.ts). For every
 * source file, an L2 model trained on all the other files scores it; L1 (the
 * rules) runs on every row; the threshold is the one the shipped model's
 * calibration would pick from out-of-source scores (macro FPR target over the
 * benign sources), leaving the held-out file out of the calibration.
 * Reported per source (TPR of its threats, FPR of its benign rows) and as
 * macro averages, for L1, L2 and L1+L2, with @andersmyrmel/vard and
 * llm_guardrail side by side on the same rows.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadEngine } from '../core/index.js';
import { listFiles, readRows, type Row } from './data.js';
import { buildSamples } from './samples.js';
import { calibrateMacro, macro, perSource, type SourceRates } from './loso.js';
import { DEFAULTS, MODEL_KINDS, outOfSourceScores, type ModelKind } from './models.js';
import { lexiconFor } from '../core/l2/classifier.js';
import { l1Flags } from './l1.js';
import { ROOT } from './paths.js';

type Others = { name: string; flag(rows: Row[]): Promise<boolean[]> };

async function otherScanners(): Promise<Others[]> {
  const list: Others[] = [];
  try {
    const vard = (await import('@andersmyrmel/vard')).default as unknown as (t: string) => unknown;
    list.push({ name: '@andersmyrmel/vard', flag: async (rows) => rows.map((r) => { try { vard(r.text); return false; } catch { return true; } }) });
  } catch {
    console.error('(@andersmyrmel/vard not installed: skipped)');
  }
  try {
    const g = (await import('llm_guardrail' as string)) as unknown as { checkAll(t: string): Promise<Record<string, { detected: boolean }>> };
    list.push({
      name: 'llm_guardrail',
      flag: async (rows) => {
        const out: boolean[] = [];
        for (const r of rows) out.push(Object.values(await g.checkAll(r.text)).some((x) => x?.detected));
        return out;
      },
    });
  } catch {
    console.error('(llm_guardrail not installed: skipped)');
  }
  return list;
}

const pct = (v: number) => (Number.isNaN(v) ? '-' : `${(v * 100).toFixed(1)}`);

/** A Markdown table: one row per source, a column pair (TPR, FPR) per detector. */
export function markdownTable(names: string[], results: SourceRates[][]): string {
  const head = `| source | threats | benign | ${names.map((n) => `${n} TPR | ${n} FPR`).join(' | ')} |`;
  const sep = `|---|---:|---:|${names.map(() => '---:|---:').join('|')}|`;
  const lines = results[0].map((r, i) => `| ${r.file}${r.inScope ? '' : ' (out of scope)'} | ${r.threats} | ${r.benign} | ${results.map((res) => `${pct(res[i].tpr)} | ${pct(res[i].fpr)}`).join(' | ')} |`);
  const m = results.map(macro);
  lines.push(`| **macro** | | | ${m.map((x) => `**${pct(x.tpr)}** | **${pct(x.fpr)}**`).join(' | ')} |`);
  lines.push(`| worst source | | | ${m.map((x) => `${pct(x.minTpr)} | ${pct(x.maxFpr)}`).join(' | ')} |`);
  return [head, sep, ...lines].join('\n');
}

export interface LosoReport {
  rows: Row[];
  l1: boolean[];
  scores: Float32Array;
  /** per-row decision threshold (its fold's) */
  thresholds: Map<string, number>;
  combined: boolean[];
  l2only: boolean[];
}

/** Runs leave-one-source-out for one model kind and makes the L1/L2/L1+L2 decisions. */
export async function runLoso(rows: Row[], kind: ModelKind, targetFpr: number, excluded: string[], log: (s: string) => void): Promise<LosoReport> {
  const engine = await loadEngine(readFileSync(`${ROOT}/build/raxe.wasm`));
  const t0 = performance.now();
  const l1 = await l1Flags(engine, rows);
  log(`L1 over ${rows.length} rows: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  const cfg = DEFAULTS[kind];
  const fz = engine.featurizer(cfg.dim, cfg.mode, lexiconFor(cfg.mode));
  const t1 = performance.now();
  const set = buildSamples(rows, fz, excluded);
  log(`windows: ${set.rowStart[rows.length]} (${set.sample.length} training samples), ${((performance.now() - t1) / 1000).toFixed(1)}s`);
  const files = [...new Set(rows.map((r) => r.file))].sort();
  const scores = outOfSourceScores(kind, cfg, set, rows, files, log);
  const thresholds = new Map<string, number>();
  for (const f of files) thresholds.set(f, calibrateMacro(rows, scores, l1, targetFpr, f));
  const l2only = rows.map((r, i) => scores[i] >= thresholds.get(r.file)!);
  const combined = rows.map((_, i) => l1[i] || l2only[i]);
  return { rows, l1, scores, thresholds, combined, l2only };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', multiple: true },
      model: { type: 'string', default: 'mlp' },
      'target-fpr': { type: 'string', default: '0.01' },
      json: { type: 'string' },
      markdown: { type: 'string' },
      /** one JSON line per row: source file, label, family, L1 flag, out-of-source L2 score, its fold's threshold (no text) */
      scores: { type: 'string' },
      'no-others': { type: 'boolean', default: false },
      'exclude-family': { type: 'string', multiple: true, default: ['HC'] },
    },
  });
  if (!values.data?.length) throw new Error('give --data DIR_OR_FILE (repeatable), e.g. --data ../shared/datasets/train --data data/l2');
  const kind = values.model as ModelKind;
  if (!MODEL_KINDS.includes(kind)) throw new Error(`--model must be one of ${MODEL_KINDS.join(', ')}`);
  const { rows } = readRows(listFiles(values.data));
  const log = (s: string) => console.error(s);
  log(`${rows.length} rows, ${rows.filter((r) => r.label === 1).length} threats, ${new Set(rows.map((r) => r.file)).size} sources; model ${kind}`);
  const excluded = values['exclude-family']!.filter(Boolean);
  const rep = await runLoso(rows, kind, Number(values['target-fpr']), excluded, log);
  const names = ['L1', 'L2', 'L1+L2'];
  const results = [perSource(rows, rep.l1, excluded), perSource(rows, rep.l2only, excluded), perSource(rows, rep.combined, excluded)];
  if (!values['no-others']) {
    for (const o of await otherScanners()) {
      names.push(o.name);
      results.push(perSource(rows, await o.flag(rows), excluded));
    }
  }
  const md = markdownTable(names, results);
  console.log(md);
  const thr = [...rep.thresholds.values()];
  console.log(`\nthresholds per fold: ${Math.min(...thr).toFixed(4)}..${Math.max(...thr).toFixed(4)}; shipped calibration (all sources): ${calibrateMacro(rows, rep.scores, rep.l1, Number(values['target-fpr'])).toFixed(4)}`);
  if (values.markdown) writeFileSync(values.markdown, md + '\n');
  if (values.scores) {
    writeFileSync(values.scores, rows.map((r, i) => JSON.stringify({ file: r.file, label: r.label, family: r.family, l1: rep.l1[i], score: +rep.scores[i].toFixed(6), threshold: rep.thresholds.get(r.file) })).join('\n') + '\n');
  }
  if (values.json) writeFileSync(values.json, JSON.stringify({ model: kind, names, results: Object.fromEntries(names.map((n, i) => [n, { per_source: results[i], macro: macro(results[i]) }])) }, null, 2));
}

if (process.argv[1] && /eval(-cli)?\.(js|ts)$/.test(process.argv[1])) {
  main().catch((e) => {
    console.error(`raxe eval: ${e instanceof Error ? e.stack : e}`);
    process.exit(2);
  });
}
