/** `--json`: the whole audit as one object (AuditReportSchema), for CI. */
import type { ConfigFile } from '../config.js';
import type { ToolInventory } from '../checks/index.js';
import type { AuditResult } from '../audit.js';
import type { Place } from '../discover.js';
import { AuditReportSchema, type AuditReport, type AuditSeverity } from '../schema.js';

export interface ReportContext {
  version: string;
  files: ConfigFile[];
  result: AuditResult;
  failOn: AuditSeverity | 'NONE';
  failed: boolean;
  /** The places looked at (no file given). */
  searched?: Array<Place & { found: boolean }>;
  inventories?: ToolInventory[];
}

/** Builds the report; it is parsed with its schema, so a shape change fails here first. */
export function buildReport(c: ReportContext): AuditReport {
  const views = c.result.views;
  return AuditReportSchema.parse({
    version: 1,
    tool: { name: 'raxe', version: c.version },
    ...(c.searched ? { searched: c.searched.map((p) => ({ path: p.path, client: p.client, found: p.found })) } : {}),
    files: c.files.map((f) => ({ path: f.path, client: f.client, servers: f.servers.length })),
    findings: c.result.findings,
    summary: c.result.summary,
    ...(c.inventories ? {
      tool_scan: c.inventories.map((i) => {
        const count = (k: string) => i.items.filter((x) => x.kind === k || (k === 'resource' && x.kind === 'resource template')).length;
        return {
          server: views[i.view].entry.name,
          file: views[i.view].entry.file,
          status: i.status,
          ...(i.reason ? { reason: i.reason } : {}),
          tools: count('tool'),
          prompts: count('prompt'),
          resources: count('resource'),
        };
      }),
    } : {}),
    fail_on: c.failOn,
    failed: c.failed,
  });
}

export function renderJson(report: AuditReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
