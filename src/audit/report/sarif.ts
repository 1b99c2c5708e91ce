/**
 * `--format sarif`: SARIF 2.1.0 for code-scanning tools. One rule per check;
 * each finding is a result whose level follows its severity (CRITICAL/HIGH
 * error, MEDIUM warning, LOW/INFO note) and whose location is the config
 * file at the line of the server entry.
 */
import { CHECKS } from '../checks/index.js';
import type { AuditReport, AuditSeverity, Finding } from '../schema.js';

export type SarifLevel = 'error' | 'warning' | 'note';

export function sarifLevel(s: AuditSeverity): SarifLevel {
  return s === 'CRITICAL' || s === 'HIGH' ? 'error' : s === 'MEDIUM' ? 'warning' : 'note';
}

/** GitHub code scanning's 0-10 scale. */
const SECURITY_SEVERITY: Record<AuditSeverity, string> = { CRITICAL: '9.5', HIGH: '8.0', MEDIUM: '5.5', LOW: '3.0', INFO: '1.0' };

/** A file URI for an absolute path ("/a b/c.json" -> "file:///a%20b/c.json", "C:\\x.json" -> "file:///C:/x.json"). */
export function fileUri(abs: string): string {
  const p = abs.replace(/\\/g, '/');
  const withRoot = /^[A-Za-z]:\//.test(p) ? `/${p}` : p;
  return `file://${withRoot.split('/').map(encodeURIComponent).join('/').replace(/%3A/gi, ':')}`;
}

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

/** FNV-1a, 32 bits, hex: a stable fingerprint of a finding. */
function fingerprint(f: Finding): string {
  let h = 0x811c9dc5;
  for (const ch of `${f.check}\u0000${f.server}\u0000${f.tool ?? ''}\u0000${f.issue}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The SARIF log. `cwd` (absolute) anchors relative file paths through the
 * %SRCROOT% base id, so the log stays portable.
 */
export function buildSarif(r: AuditReport, opts: { cwd: string; informationUri?: string }) {
  const index = new Map(CHECKS.map((c, k) => [c.id, k]));
  const root = fileUri(opts.cwd.replace(/[\\/]*$/, '/'));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0' as const,
    runs: [{
      tool: {
        driver: {
          name: 'raxe',
          version: r.tool.version,
          ...(opts.informationUri ? { informationUri: opts.informationUri } : {}),
          rules: CHECKS.map((c) => ({
            id: c.id,
            name: c.name,
            shortDescription: { text: c.title },
            fullDescription: { text: c.help },
            help: { text: c.help },
            defaultConfiguration: { level: sarifLevel(c.severity) },
            properties: { tags: ['security', 'mcp'], 'security-severity': SECURITY_SEVERITY[c.severity] },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: root } },
      results: r.findings.map((f) => ({
        ruleId: f.check,
        ruleIndex: index.get(f.check) ?? 0,
        level: sarifLevel(f.severity),
        message: { text: `${f.issue} (server "${f.server}"). ${f.recommendation}` },
        locations: [{
          physicalLocation: {
            artifactLocation: isAbsolute(f.file)
              ? { uri: fileUri(f.file) }
              : { uri: f.file.replace(/\\/g, '/').split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column },
          },
        }],
        partialFingerprints: { 'raxeFinding/v1': fingerprint(f) },
        properties: {
          severity: f.severity,
          server: f.server,
          ...(f.tool ? { tool: f.tool } : {}),
          ...(f.rule_ids ? { rule_ids: f.rule_ids } : {}),
        },
      })),
    }],
  };
}

export function renderSarif(r: AuditReport, opts: { cwd: string }): string {
  return JSON.stringify(buildSarif(r, opts), null, 2) + '\n';
}
