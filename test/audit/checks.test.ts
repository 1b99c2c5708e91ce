// The checks, as pure functions over parsed fixture configs: each case of the
// corpus must give exactly its findings (no more, no fewer).
import { describe, expect, it } from 'vitest';
import { audit, CHECKS, fails, parseClientConfig, viewsOf, type ListedItem, type ToolInventory } from '../../src/audit/index.js';
import { CASES } from './cases.js';
import { expectCase, fixture, secretScan } from './helpers.js';

describe('checks over the fixture corpus', async () => {
  const secrets = await secretScan();
  for (const [name, c] of Object.entries(CASES)) {
    it(name, () => {
      const { findings } = audit(c.fixtures.map(fixture), { secrets });
      expectCase(findings, c);
      for (const f of findings) {
        expect(CHECKS.some((k) => k.id === f.check), f.check).toBe(true);
        expect(f.line).toBeGreaterThan(0);
      }
    });
  }

  it('the clean config has nothing above INFO, so it passes even --fail-on low', () => {
    const { findings } = audit([fixture('clean.json')], { secrets });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.severity === 'INFO')).toBe(true);
    expect(fails(findings, 'LOW')).toBe(false);
    expect(fails(findings, 'INFO')).toBe(true);
  });

  it('findings never carry the secret values', () => {
    const { findings } = audit([fixture('secrets.json'), fixture('vscode-mcp.json'), fixture('remote.json')], { secrets });
    const text = JSON.stringify(findings);
    for (const secret of ['ghp_R8aVq2LmN4xT7kP1sW9dF3gH6jK0zY5cB2eU', 'sk-proj-Xb7Qm2', 'q8Vw3Zr5Tn7Yb2Lm9Kx4', 'corp-7f3a9c2e4b1d', 'live_9fK2mQ7x', 'hunter2', 'abc123def456', 'k-123456789']) {
      expect(text).not.toContain(secret);
    }
    // the gateway command in the recommendation is redacted too
    const openai = findings.find((f) => f.server === 'openai' && f.check === 'no-gateway')!;
    expect(openai.recommendation).toBe('Consider using: raxe mcp gateway -u "uvx openai-mcp==0.3.1 --api-key \'<redacted>\'"');
  });

  it('without the SEC scanner only credential-looking names are reported', () => {
    const { findings } = audit([fixture('secrets.json')]);
    const secretFindings = findings.filter((f) => f.check === 'plaintext-secret');
    expect(secretFindings.every((f) => f.severity === 'MEDIUM' && !f.rule_ids)).toBe(true);
    expect(secretFindings.map((f) => f.issue)).toContain('env GITHUB_PERSONAL_ACCESS_TOKEN holds a literal credential');
  });

  it('orders findings by file, then severity, then server order', () => {
    const { findings } = audit([fixture('claude-desktop.json'), fixture('docker.json')], { secrets });
    const files = findings.map((f) => f.file);
    expect(files.indexOf('test/fixtures/audit/docker.json')).toBeGreaterThan(files.lastIndexOf('test/fixtures/audit/claude-desktop.json'));
    const ranks = findings.filter((f) => f.file.endsWith('docker.json')).map((f) => ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
  });

  it('points every finding at its server entry', () => {
    const { findings } = audit([fixture('claude-desktop.json')], { secrets });
    const at = (s: string) => findings.find((f) => f.server === s)!;
    expect([at('shell').line, at('shell').column]).toEqual([3, 5]);
    expect(at('filesystem').line).toBe(7);
    expect(at('git').line).toBe(11);
  });

  it('every check has an id, a SARIF name, a title and help', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CHECKS) {
      expect(c.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(c.name).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(c.title.length).toBeGreaterThan(10);
      expect(c.help.length).toBeGreaterThan(40);
    }
  });

  it('tool shadowing and poisoning from listings (pure)', () => {
    const file = parseClientConfig(JSON.stringify({
      mcpServers: {
        fs: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2025.8.21', '/srv'] },
        notes: { command: 'node', args: ['/opt/notes/index.js'] },
        wiki: { command: 'node', args: ['/opt/wiki/index.js'] },
        down: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github@2025.4.8'] },
      },
    }), 'x.json');
    const views = viewsOf([file]);
    const tool = (name: string, detections: ListedItem['detections'] = []): ListedItem => ({ kind: 'tool', name, detections });
    const inventories: ToolInventory[] = [
      { view: 0, status: 'scanned', items: [tool('read_file'), tool('write_file')] },
      { view: 1, status: 'scanned', items: [tool('search'), tool('read_fiIe'), tool('create_issue', [{ rule_id: 'tool-002', family: 'TOOL', severity: 'high', message: 'm' }])] },
      { view: 2, status: 'scanned', items: [tool('search')] },
      { view: 3, status: 'failed', reason: 'spawn npx ENOENT', items: [] },
    ];
    const { findings } = audit([file], { views, inventories });
    const got = findings.filter((f) => f.check !== 'no-gateway').map((f) => `${f.severity} ${f.check} ${f.server} ${f.issue}`);
    expect(got).toEqual([
      'HIGH tool-poisoning notes Tool "create_issue" description matches tool-002 (TOOL)',
      'HIGH tool-shadowing notes Tool "read_fiIe" looks like "read_file" of server "fs"',
      // the github server did not start: its well-known tool list stands in
      'HIGH tool-shadowing notes Tool "create_issue" is also offered by server "down" (its well-known tool)',
      'MEDIUM tool-shadowing wiki Tool "search" is also offered by server "notes"',
      'LOW server-unreachable down Could not list tools: spawn npx ENOENT',
    ]);
  });
});
