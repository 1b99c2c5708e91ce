/** The human-readable scan report, in the spec's style (CLI and MCP server share it). */
import { familyName } from '../scan/families.js';
import type { Detection, ScanResult } from '../scan/types.js';

const ms = (v: number) => `${v.toFixed(1)}ms`;

function section(title: string, ds: Detection[]): string[] {
  const out = [`━━━ ${title} (${ds.length}) ━━━`];
  for (const d of ds) {
    out.push(`  [${d.severity.toUpperCase()}] ${d.rule_id} (${d.family})`);
    out.push(`      Category: ${familyName(d.family)}`);
    out.push(`      Message: ${d.message}${d.via ? ` (found in ${d.via}-decoded content)` : ''}`);
    out.push(`      Confidence: ${Math.round(d.confidence * 100)}%`);
  }
  out.push('');
  return out;
}

/** Formats a result; with `explain` (local use only) adds the matched spans. */
export function formatScanText(r: ScanResult, opts: { l2Enabled?: boolean } = {}): string {
  const t = r.timings;
  if (r.safe) {
    const lines = ['✓ SAFE: No threats detected', '', `Scan completed in ${ms(t.total_ms)}`, `  L1 (rules): ${ms(t.l1_ms)}`];
    lines.push(opts.l2Enabled ? `  L2 (ML):    ${ms(t.l2_ms)}` : '  L2 (ML):    off');
    return lines.join('\n') + explainLines(r);
  }
  const l1 = r.detections.filter((d) => d.layer === 'L1');
  const l2 = r.detections.filter((d) => d.layer === 'L2');
  const lines = ['⚠ THREATS DETECTED', ''];
  if (l1.length) lines.push(...section('L1 Rule Detections', l1));
  if (l2.length) lines.push(...section('L2 ML Detections', l2));
  lines.push('━━━ Summary ━━━');
  lines.push(`  Total threats: ${l1.length} L1 + ${l2.length} L2`);
  lines.push(`  Highest severity: ${r.severity.toUpperCase()}`);
  lines.push(`  Scan time: ${ms(t.total_ms)} (L1: ${ms(t.l1_ms)}, L2: ${opts.l2Enabled ? ms(t.l2_ms) : 'off'})`);
  return lines.join('\n') + explainLines(r);
}

function explainLines(r: ScanResult): string {
  if (!r.explain) return '';
  const out = ['', '━━━ Explain (local only) ━━━'];
  for (const m of r.explain.matches) {
    out.push(`  ${m.rule_id} pattern ${m.pattern_index} in ${m.text_layer} text [${m.span[0]}, ${m.span[1]}): ${JSON.stringify(m.matched)}`);
  }
  if (r.explain.matches.length === 0) out.push('  (no matches)');
  return '\n' + out.join('\n');
}
