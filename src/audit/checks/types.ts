/** The contract every check fulfils, and the inputs checks share. */
import type { Severity } from '../../core/index.js';
import type { ConfigFile } from '../config.js';
import type { AuditSeverity, Finding } from '../schema.js';
import type { ServerView } from '../view.js';
import type { Launch } from '../launch.js';

/** One SEC detection (no matched text, by design). */
export interface SecretHit {
  rule_id: string;
  family: string;
  severity: Severity;
  message: string;
}

/** Finds secrets in a text (the adapter builds it from the built-in SEC rules). */
export type SecretScan = (text: string) => SecretHit[];

export interface ListedItem {
  kind: 'tool' | 'prompt' | 'resource' | 'resource template';
  name: string;
  /** What the full scanner found in its title, description and schema descriptions. */
  detections: SecretHit[];
}

/** What one server offered when it was started (--scan-tools). */
export interface ToolInventory {
  /** ServerView.index of the server. */
  view: number;
  status: 'scanned' | 'failed' | 'skipped';
  reason?: string;
  items: ListedItem[];
}

export interface AuditInput {
  files: ConfigFile[];
  views: ServerView[];
  /** Absent: the secret check only uses variable names. */
  secrets?: SecretScan;
  /** Present with --scan-tools. */
  inventories?: ToolInventory[];
}

export interface Check {
  /** Stable id, also the SARIF rule id. */
  id: string;
  /** PascalCase SARIF rule name. */
  name: string;
  /** One line: what it looks for. */
  title: string;
  /** Why it matters and how to fix it. */
  help: string;
  /** The severity it usually reports (findings may differ). */
  severity: AuditSeverity;
  run(input: AuditInput): Finding[];
}

/** A finding located at a server entry. */
export function at(v: ServerView, check: string, severity: AuditSeverity, issue: string, recommendation: string, extra: Partial<Finding> = {}): Finding {
  return {
    check,
    severity,
    server: v.entry.name,
    issue,
    recommendation,
    file: v.entry.file,
    line: v.entry.pos.line,
    column: v.entry.pos.column,
    ...extra,
  };
}

/** The audit severity of a rule severity. */
export function fromRule(s: Severity): AuditSeverity {
  return s.toUpperCase() as AuditSeverity;
}

/** The findings of every launch of every server, each issue once per server. */
export function perLaunch(views: readonly ServerView[], findings: (v: ServerView, l: Launch) => Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const v of views) {
    const seen = new Set<string>();
    for (const l of v.launches) {
      for (const f of findings(v, l)) {
        if (seen.has(f.issue)) continue;
        seen.add(f.issue);
        out.push(f);
      }
    }
  }
  return out;
}
