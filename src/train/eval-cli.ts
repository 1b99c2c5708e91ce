/**
 * npm run eval -- --data DIR_OR_FILE [--data ...] [--model models/raxe-l2.onnx] [--all] [--json FILE]
 * TPR, FPR, precision and F1 — overall, per family and per source — for L1
 * alone, L2 alone and combined, and, on the same rows, the offline npm
 * scanners a JavaScript user would otherwise pick (@andersmyrmel/vard,
 * llm_guardrail). By default only the validation split (sources held out
 * from training) is used; --all uses every row.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createL2, createScanner, loadEngine, normalizeText, type OrtLike } from '../core/index.js';
import { listFiles, readRows, type Row } from './data.js';
import { isValidation } from './split.js';
import { counts, metadataPath, pct, rates } from './metrics.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

type Detector = { name: string; predict(rows: Row[]): Promise<boolean[]> };

async function detectors(modelPath: string): Promise<Detector[]> {
  const wasm = readFileSync(join(ROOT, 'build', 'raxe.wasm'));
  const engine = await loadEngine(wasm);
  const pack = JSON.parse(readFileSync(join(ROOT, 'dist', 'builtin-pack.json'), 'utf8'));
  const l1 = await createScanner({ engine, rules: pack.rules });
  const ort = (await import('onnxruntime-web')) as unknown as OrtLike;
  const l2 = createL2({ ort, engine, model: readFileSync(modelPath), metadata: JSON.parse(readFileSync(metadataPath(modelPath), 'utf8')) });
  const l1Hits = new Map<Row, boolean>();
  const l2Hits = new Map<Row, boolean>();
  const runL1 = (rows: Row[]) => rows.map((r) => {
    if (!l1Hits.has(r)) l1Hits.set(r, l1.scanL1(r.text).detections.some((d) => d.severity !== 'info'));
    return l1Hits.get(r)!;
  });
  const runL2 = async (rows: Row[]) => {
    const out: boolean[] = [];
    for (const r of rows) {
      if (!l2Hits.has(r)) l2Hits.set(r, (await l2.classify(normalizeText(r.text))).length > 0);
      out.push(l2Hits.get(r)!);
    }
    return out;
  };
  const list: Detector[] = [
    { name: 'raxe L1 (rules)', predict: async (rows) => runL1(rows) },
    { name: 'raxe L2 (model)', predict: runL2 },
    { name: 'raxe L1+L2', predict: async (rows) => { const a = runL1(rows); const b = await runL2(rows); return a.map((x, i) => x || b[i]); } },
  ];
  try {
    const vard = (await import('@andersmyrmel/vard')).default as unknown as (t: string) => unknown;
    list.push({ name: '@andersmyrmel/vard', predict: async (rows) => rows.map((r) => { try { vard(r.text); return false; } catch { return true; } }) });
  } catch {
    console.error('(@andersmyrmel/vard not installed: skipped)');
  }
  try {
    const g = (await import('llm_guardrail' as string)) as unknown as { checkAll(t: string): Promise<Record<string, { detected: boolean }>> };
    list.push({
      name: 'llm_guardrail',
      predict: async (rows) => {
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

function table(title: string, header: string[], body: string[][]): string {
  const w = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [`\n${title}`, line(header), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { data: { type: 'string', multiple: true }, model: { type: 'string', default: join(ROOT, 'models', 'raxe-l2.onnx') }, all: { type: 'boolean', default: false }, json: { type: 'string' } } });
  if (!values.data?.length) throw new Error('give --data DIR_OR_FILE (repeatable)');
  const { rows: all } = readRows(listFiles(values.data));
  const rows = values.all ? all : all.filter(isValidation);
  if (rows.length === 0) throw new Error('no rows to evaluate (the validation split of this data is empty: try --all)');
  console.log(`${rows.length} rows (${values.all ? 'all' : 'validation split: sources held out from training'}); ${rows.filter((r) => r.label === 1).length} threats`);
  const labels = rows.map((r) => r.label);
  const families = [...new Set(rows.filter((r) => r.label === 1).map((r) => r.family!))].sort();
  const files = [...new Set(rows.map((r) => r.file))].sort();
  const report: Record<string, unknown> = {};
  const overall: string[][] = [];
  const fam: string[][] = [];
  const src: string[][] = [];
  for (const d of await detectors(values.model!)) {
    const t0 = performance.now();
    const pred = await d.predict(rows);
    const ms = (performance.now() - t0) / rows.length;
    const o = rates(counts(labels, pred));
    overall.push([d.name, pct(o.tpr), pct(o.fpr), pct(o.precision), pct(o.f1), `${ms.toFixed(2)}ms`]);
    const perFamily = Object.fromEntries(families.map((f) => [f, rates(counts(labels, pred, (i) => rows[i].family === f))]));
    fam.push([d.name, ...families.map((f) => pct(perFamily[f].tpr))]);
    const perSource = Object.fromEntries(files.map((f) => [f, rates(counts(labels, pred, (i) => rows[i].file === f))]));
    src.push([d.name, ...files.map((f) => `${pct(perSource[f].tpr)}/${pct(perSource[f].fpr)}`)]);
    report[d.name] = { overall: o, per_family: perFamily, per_source: perSource, ms_per_row: ms };
  }
  console.log(table('Overall', ['detector', 'TPR', 'FPR', 'precision', 'F1', 'time/row'], overall));
  console.log(table('TPR per family', ['detector', ...families], fam));
  console.log(table('TPR/FPR per source file', ['detector', ...files.map((f) => f.replace(/\.jsonl$/, ''))], src));
  if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
}

main().catch((e) => {
  console.error(`raxe eval: ${e instanceof Error ? e.message : e}`);
  process.exit(2);
});
