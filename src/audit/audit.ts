/**
 * Runs every check over the parsed configs and orders the findings: by
 * file, then severity (worst first), then server order.
 */
import { CHECKS, type AuditInput, type SecretScan, type ToolInventory } from './checks/index.js';
import type { ConfigFile } from './config.js';
import { AUDIT_SEVERITIES, auditRank, type AuditSeverity, type Finding } from './schema.js';
import { viewServer, type ServerView } from './view.js';

export interface AuditResult {
  findings: Finding[];
  views: ServerView[];
  summary: Record<AuditSeverity, number> & { total: number };
}

/** The views of all servers of all files, in file order. */
export function viewsOf(files: readonly ConfigFile[]): ServerView[] {
  const views: ServerView[] = [];
  for (const f of files) for (const s of f.servers) views.push(viewServer(s, views.length));
  return views;
}

/**
 * Audits parsed config files. `secrets` finds credentials in values (SEC
 * rules); `inventories` are the servers' listings (--scan-tools).
 */
export function audit(files: ConfigFile[], opts: { secrets?: SecretScan; inventories?: ToolInventory[]; views?: ServerView[] } = {}): AuditResult {
  const views = opts.views ?? viewsOf(files);
  const input: AuditInput = { files, views, secrets: opts.secrets, inventories: opts.inventories };
  const checkOrder = new Map(CHECKS.map((c, k) => [c.id, k]));
  const fileOrder = new Map(files.map((f, k) => [f.path, k]));
  const serverOrder = new Map(views.map((v) => [`${v.entry.file}\u0000${v.entry.name}`, v.index]));
  const findings = CHECKS.flatMap((c) => c.run(input));
  findings.sort((a, b) =>
    (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0)
    || auditRank(b.severity) - auditRank(a.severity)
    || (serverOrder.get(`${a.file}\u0000${a.server}`) ?? -1) - (serverOrder.get(`${b.file}\u0000${b.server}`) ?? -1)
    || (checkOrder.get(a.check) ?? 0) - (checkOrder.get(b.check) ?? 0));
  return { findings, views, summary: summarize(findings) };
}

export function summarize(findings: readonly Finding[]): AuditResult['summary'] {
  const s = Object.fromEntries(AUDIT_SEVERITIES.map((x) => [x, 0])) as Record<AuditSeverity, number>;
  for (const f of findings) s[f.severity]++;
  return { ...s, total: findings.length };
}

/** Does any finding reach `failOn`? ("NONE" never fails.) */
export function fails(findings: readonly Finding[], failOn: AuditSeverity | 'NONE'): boolean {
  if (failOn === 'NONE') return false;
  return findings.some((f) => auditRank(f.severity) >= auditRank(failOn));
}
