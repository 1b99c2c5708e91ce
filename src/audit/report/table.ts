/**
 * The terminal report: one box-drawing table per file (Severity, Server,
 * Issue, Recommendation; long cells end in "…"), then the counts and the
 * "Found N CRITICAL issues" line.
 */
import type { AuditReport } from '../schema.js';

const CLIENT_NAMES: Record<string, string> = { 'claude-desktop': 'Claude Desktop', cursor: 'Cursor', vscode: 'VS Code', 'mcp-json': 'mcpServers' };

/** Control, bidi and zero-width characters (a server picks its tool names) become "?"; line breaks become spaces. */
export function cleanCell(s: string): string {
  return s.replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '?');
}

/** Fits `s` into `w` columns: padded, or cut with "…". */
export function fit(s: string, w: number): string {
  const chars = [...s];
  if (chars.length <= w) return s + ' '.repeat(w - chars.length);
  return chars.slice(0, Math.max(0, w - 1)).join('') + '…';
}

/** Column widths for a total width (the spec's layout at 98 columns and a 10-character server column). */
export function columns(width: number, serverNames: string[]): [number, number, number, number] {
  const server = Math.min(24, Math.max(6, ...serverNames.map((n) => [...cleanCell(n)].length)));
  const avail = Math.max(30, width - 5 - 4 * 2 - 8 - server);
  const issue = Math.round((avail * 36) / 67);
  return [8, server, issue, avail - issue];
}

function table(rows: string[][], widths: number[]): string {
  const line = (l: string, m: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r;
  const row = (cells: string[]) => '│' + cells.map((c, k) => ` ${fit(cleanCell(c), widths[k])} `).join('│') + '│';
  return [line('┌', '┬', '┐'), row(['Severity', 'Server', 'Issue', 'Recommendation']), line('├', '┼', '┤'), ...rows.map(row), line('└', '┴', '┘')].join('\n');
}

export function renderTable(r: AuditReport, opts: { width?: number } = {}): string {
  const width = opts.width ?? 98;
  const out: string[] = [];
  if (r.searched) {
    out.push('MCP client configs:');
    for (const p of r.searched) out.push(`  ${p.found ? '✓' : '·'} ${p.path} (${CLIENT_NAMES[p.client]}${p.found ? '' : ', not found'})`);
    out.push('');
  }
  if (r.files.length === 0) {
    out.push('No MCP client config found.');
    return out.join('\n') + '\n';
  }
  let truncated = false;
  for (const f of r.files) {
    const findings = r.findings.filter((x) => x.file === f.path);
    out.push(`MCP Configuration Audit: ${f.path}`, '');
    if (f.servers === 0) out.push('No MCP servers in this file.', '');
    else if (findings.length === 0) out.push(`No issues found (${f.servers} server${f.servers === 1 ? '' : 's'}).`, '');
    else {
      const w = columns(width, findings.map((x) => x.server));
      const rows = findings.map((x) => [x.severity, x.server, x.issue, x.recommendation]);
      truncated ||= rows.some((cells) => cells.some((c, k) => [...cleanCell(c)].length > w[k]));
      out.push(table(rows, w), '');
    }
  }
  if (r.tool_scan) {
    const scanned = r.tool_scan.filter((t) => t.status === 'scanned');
    const sum = (k: 'tools' | 'prompts' | 'resources') => scanned.reduce((n, t) => n + t[k], 0);
    const failed = r.tool_scan.filter((t) => t.status === 'failed').length;
    const skipped = r.tool_scan.filter((t) => t.status === 'skipped').length;
    out.push(`Tool scan: ${scanned.length} server${scanned.length === 1 ? '' : 's'} listed (${sum('tools')} tools, ${sum('prompts')} prompts, ${sum('resources')} resources)${failed ? `, ${failed} failed` : ''}${skipped ? `, ${skipped} skipped` : ''}`);
  }
  if (truncated) out.push('Long cells are shortened; --json shows every finding in full, --fix shows the config behind the gateway.');
  const s = r.summary;
  out.push(`${s.total} finding${s.total === 1 ? '' : 's'}: ${s.CRITICAL} critical, ${s.HIGH} high, ${s.MEDIUM} medium, ${s.LOW} low, ${s.INFO} info`, '');
  out.push(s.CRITICAL > 0 ? `Found ${s.CRITICAL} CRITICAL issues that require immediate attention!` : 'Found 0 CRITICAL issues.');
  return out.join('\n') + '\n';
}
