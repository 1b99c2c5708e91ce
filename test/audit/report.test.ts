// The three output formats: the table (the spec's layout), JSON (checked
// against its zod schema) and SARIF 2.1.0 (a zod schema of the subset we
// emit, and ajv against a hand-written JSON Schema of SARIF's required fields).
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { audit, AuditReportSchema, buildReport, buildSarif, CHECKS, renderTable, sarifLevel, type AuditReport } from '../../src/audit/index.js';
import { fileUri } from '../../src/audit/report/sarif.js';
import { cleanCell, columns, fit } from '../../src/audit/report/table.js';
import { fixture, secretScan } from './helpers.js';
import { SARIF_JSON_SCHEMA, SarifSchema } from './sarif-schemas.js';

async function report(names: string[]): Promise<AuditReport> {
  const files = names.map(fixture);
  const result = audit(files, { secrets: await secretScan() });
  return buildReport({ version: '0.1.0', files, result, failOn: 'HIGH', failed: true });
}

// The spec's example (docs: "Security Auditing"), borders and the rows that line up there.
const SPEC = [
  '┌──────────┬────────────┬──────────────────────────────────────┬─────────────────────────────────┐',
  '│ Severity │ Server     │ Issue                                │ Recommendation                  │',
  '├──────────┼────────────┼──────────────────────────────────────┼─────────────────────────────────┤',
  '│ CRITICAL │ shell      │ Server has shell execution capabili… │ Use RAXE gateway to monitor to… │',
  '└──────────┴────────────┴──────────────────────────────────────┴─────────────────────────────────┘',
];

describe('table', () => {
  it('has the spec layout for the spec example', async () => {
    const out = renderTable(await report(['claude-desktop.json']));
    const lines = out.split('\n');
    expect(lines[0]).toBe('MCP Configuration Audit: test/fixtures/audit/claude-desktop.json');
    expect(lines.slice(2, 6)).toEqual(SPEC.slice(0, 4));
    expect(lines).toContain(SPEC[4]);
    expect(lines).toContain('│ HIGH     │ filesystem │ Filesystem server has access to sen… │ Restrict to specific directori… │');
    expect(lines).toContain('│ INFO     │ git        │ Server is not protected by RAXE gat… │ Consider using: raxe mcp gatew… │');
    expect(out.trimEnd().split('\n').at(-1)).toBe('Found 1 CRITICAL issues that require immediate attention!');
    for (const l of lines.filter((x) => x.startsWith('│'))) expect([...l].length).toBe(98);
  });

  it('says so when there is nothing critical, or nothing at all', async () => {
    expect(renderTable(await report(['clean.json']))).toMatch(/\nFound 0 CRITICAL issues\.\n$/);
    const empty = renderTable({ ...(await report(['clean.json'])), files: [{ path: 'x.json', client: 'mcp-json', servers: 0 }], findings: [] });
    expect(empty).toContain('No MCP servers in this file.');
  });

  it('fits and cleans cells', () => {
    expect(fit('abc', 5)).toBe('abc  ');
    expect(fit('abcdef', 5)).toBe('abcd…');
    expect(cleanCell('a\nb\u001b[31mc\u202ed')).toBe('a b?[31mc?d');
    expect(columns(98, ['filesystem'])).toEqual([8, 10, 36, 31]);
    expect(columns(140, ['a']).reduce((a, b) => a + b) + 5 + 8).toBe(140);
  });
});

describe('json', () => {
  it('matches the report schema and round-trips through JSON', async () => {
    const r = await report(['secrets.json', 'remote.json']);
    const parsed = AuditReportSchema.parse(JSON.parse(JSON.stringify(r)));
    expect(parsed.summary.total).toBe(parsed.findings.length);
    expect(parsed.summary.CRITICAL + parsed.summary.HIGH + parsed.summary.MEDIUM + parsed.summary.LOW + parsed.summary.INFO).toBe(parsed.summary.total);
  });

  it('the schema refuses what the report must never have', () => {
    const good = { version: 1, tool: { name: 'raxe', version: '1' }, files: [], findings: [], summary: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0, total: 0 }, fail_on: 'HIGH', failed: false };
    expect(AuditReportSchema.safeParse(good).success).toBe(true);
    expect(AuditReportSchema.safeParse({ ...good, extra: 1 }).success).toBe(false);
    const finding = { check: 'x', severity: 'HIGH', server: 's', issue: 'i', recommendation: 'r', file: 'f', line: 1, column: 1 };
    expect(AuditReportSchema.safeParse({ ...good, findings: [finding] }).success).toBe(true);
    expect(AuditReportSchema.safeParse({ ...good, findings: [{ ...finding, severity: 'SEVERE' }] }).success).toBe(false);
    expect(AuditReportSchema.safeParse({ ...good, findings: [{ ...finding, matched: 'ghp_x' }] }).success).toBe(false);
  });
});

describe('sarif', () => {
  it('is valid SARIF 2.1.0 (zod subset and ajv), one rule per check', async () => {
    const r = await report(['claude-desktop.json', 'secrets.json', 'docker.json', 'clean.json']);
    const log = JSON.parse(JSON.stringify(buildSarif(r, { cwd: '/work/repo' })));
    SarifSchema.parse(log);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(SARIF_JSON_SCHEMA);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(CHECKS.map((c) => c.id));
    expect(run.results).toHaveLength(r.findings.length);
    for (const [k, res] of run.results.entries()) {
      const f = r.findings[k];
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(res.level).toBe(sarifLevel(f.severity));
      expect(res.locations[0].physicalLocation.artifactLocation).toEqual({ uri: f.file, uriBaseId: '%SRCROOT%' });
      expect(res.locations[0].physicalLocation.region).toEqual({ startLine: f.line, startColumn: f.column });
    }
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///work/repo/');
  });

  it('the ajv check fails on a broken log (control)', () => {
    const validate = new Ajv({ strict: false }).compile(SARIF_JSON_SCHEMA);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.0.0', runs: [] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'fatal', message: { text: 'x' } }] }] })).toBe(false);
  });

  it('maps severities to levels, and paths to file URIs', () => {
    expect(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'].map((s) => sarifLevel(s as 'HIGH'))).toEqual(['error', 'error', 'warning', 'note', 'note']);
    expect(fileUri('/a b/c.json')).toBe('file:///a%20b/c.json');
    expect(fileUri('C:\\Users\\a\\x.json')).toBe('file:///C:/Users/a/x.json');
  });
});
