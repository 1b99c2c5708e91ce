/**
 * The audit's data shapes, zod first: a client's server entry (as Claude
 * Desktop, Cursor and VS Code write it), a finding, and the JSON report.
 */
import { z } from 'zod';

export const AUDIT_SEVERITIES = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const AuditSeveritySchema = z.enum(AUDIT_SEVERITIES);
export type AuditSeverity = z.infer<typeof AuditSeveritySchema>;

export function auditRank(s: AuditSeverity): number {
  return AUDIT_SEVERITIES.indexOf(s);
}

/** The clients whose files we know; "mcp-json" is any other file in the `mcpServers` shape. */
export const ClientSchema = z.enum(['claude-desktop', 'cursor', 'vscode', 'mcp-json']);
export type Client = z.infer<typeof ClientSchema>;

const Scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/**
 * One server entry. Clients add keys of their own (`disabled`, `autoApprove`,
 * `envFile`, ...), so unknown keys are kept, not refused.
 */
export const ServerEntrySchema = z
  .looseObject({
    command: z.string().min(1, 'command must not be empty').optional(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), Scalar).default({}),
    cwd: z.string().optional(),
    type: z.enum(['stdio', 'http', 'sse', 'streamable-http', 'streamableHttp']).optional(),
    url: z.string().min(1).optional(),
    serverUrl: z.string().min(1).optional(),
    headers: z.record(z.string(), Scalar).default({}),
    disabled: z.boolean().optional(),
  })
  .refine((s) => s.command !== undefined || s.url !== undefined || s.serverUrl !== undefined, {
    message: 'a server needs "command" (stdio) or "url" (http/sse)',
  });
export type ServerEntryData = z.infer<typeof ServerEntrySchema>;

export const FindingSchema = z.strictObject({
  /** The check that found it (a SARIF rule id). */
  check: z.string(),
  severity: AuditSeveritySchema,
  server: z.string(),
  issue: z.string(),
  recommendation: z.string(),
  file: z.string(),
  /** Where the server entry starts (its key), 1-based. */
  line: z.number().int().min(1),
  column: z.number().int().min(1),
  /** Tool, prompt or resource the finding is about (tool scans). */
  tool: z.string().optional(),
  /** Rule ids and families behind it (secrets, tool poisoning); never the matched text. */
  rule_ids: z.array(z.string()).optional(),
  families: z.array(z.string()).optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const ToolScanStatusSchema = z.strictObject({
  server: z.string(),
  file: z.string(),
  status: z.enum(['scanned', 'failed', 'skipped']),
  reason: z.string().optional(),
  tools: z.number().int().min(0),
  prompts: z.number().int().min(0),
  resources: z.number().int().min(0),
});
export type ToolScanStatus = z.infer<typeof ToolScanStatusSchema>;

/** `raxe mcp audit --json`. */
export const AuditReportSchema = z.strictObject({
  version: z.literal(1),
  tool: z.strictObject({ name: z.literal('raxe'), version: z.string() }),
  /** The places looked at when no file was given (absent otherwise). */
  searched: z.array(z.strictObject({ path: z.string(), client: ClientSchema, found: z.boolean() })).optional(),
  files: z.array(z.strictObject({ path: z.string(), client: ClientSchema, servers: z.number().int().min(0) })),
  findings: z.array(FindingSchema),
  summary: z.strictObject({
    CRITICAL: z.number().int().min(0),
    HIGH: z.number().int().min(0),
    MEDIUM: z.number().int().min(0),
    LOW: z.number().int().min(0),
    INFO: z.number().int().min(0),
    total: z.number().int().min(0),
  }),
  tool_scan: z.array(ToolScanStatusSchema).optional(),
  fail_on: z.union([AuditSeveritySchema, z.literal('NONE')]),
  failed: z.boolean(),
});
export type AuditReport = z.infer<typeof AuditReportSchema>;
