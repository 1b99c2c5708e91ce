// `raxe mcp audit` as a subprocess: formats, exit codes, config errors,
// --fix/--write, discovery in a fake home, and --scan-tools against real
// servers. No run may print a stack trace.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { build } from 'esbuild';
import { builtinModules } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitCommand } from '../../src/mcp/gateway/config.js';
import { audit as auditConfigs, AuditReportSchema, parseClientConfig } from '../../src/audit/index.js';
import { CASES } from './cases.js';
import { BIN, expectCase, FIX, raxe, removeTemps, ROOT, tempDir, type Run } from './helpers.js';
import { SARIF_JSON_SCHEMA, SarifSchema } from './sarif-schemas.js';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` first');
});
afterAll(removeTemps);

const audit = (...args: string[]) => raxe(['mcp', 'audit', ...args]);
const json = (r: Run) => AuditReportSchema.parse(JSON.parse(r.stdout));

/** A config error: exit 2, nothing on stdout, one "raxe: FILE:LINE:COL: ..." line on stderr. */
function expectConfigError(r: Run, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe.concurrent('raxe mcp audit: reports', () => {
  it('prints the spec table for the spec example and exits 1 (CRITICAL >= HIGH)', async () => {
    const r = await audit(`${FIX}/claude-desktop.json`);
    expect(r).toExitWith(1);
    expect(r.stdout).toMatch(/^MCP Configuration Audit: test\/fixtures\/audit\/claude-desktop\.json\n\n┌──────────┬────────────┬/);
    expect(r.stdout).toContain('│ CRITICAL │ shell      │ Server has shell execution capabili… │ Use RAXE gateway to monitor to… │');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Found 1 CRITICAL issues that require immediate attention!');
    expect(r.stderr).toBe('');
  });

  it('--json over the whole corpus: each file gives exactly its case', async () => {
    // one run for every single-file case (names repeat across fixtures: those
    // cross-file duplicates are the duplicates case's business, checked apart)
    const single = Object.values(CASES).filter((c) => c.fixtures.length === 1);
    const r = await audit(...single.map((c) => `${FIX}/${c.fixtures[0]}`), '--json', '--fail-on', 'none');
    expect(r.code, r.stderr).toBe(0);
    const report = json(r);
    expect(report.files.map((f) => f.path)).toEqual(single.map((c) => `${FIX}/${c.fixtures[0]}`));
    for (const c of single) {
      const mine = report.findings.filter((f) => f.file === `${FIX}/${c.fixtures[0]}` && !(f.check === 'duplicate-server' && f.issue.includes('also defined in')));
      expectCase(mine, c);
    }
    const dup = CASES['duplicates within a file and across files'];
    expectCase(json(await audit(...dup.fixtures.map((f) => `${FIX}/${f}`), '--json')).findings, dup);
  });

  it('--format sarif is SARIF 2.1.0 pointing at the server lines', async () => {
    const r = await audit(`${FIX}/claude-desktop.json`, `${FIX}/secrets.json`, '--format', 'sarif');
    expect(r).toExitWith(1);
    const log = JSON.parse(r.stdout);
    SarifSchema.parse(log);
    const validate = new Ajv({ strict: false }).compile(SARIF_JSON_SCHEMA);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const shell = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'shell-execution');
    expect(shell.level).toBe('error');
    expect(shell.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'test/fixtures/audit/claude-desktop.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 3, startColumn: 5 } });
    expect(r.stdout).not.toContain('ghp_R8aVq2');
  });

  it.each([
    [['clean.json'], [], 0],
    [['clean.json'], ['--fail-on', 'low'], 0],
    [['clean.json'], ['--fail-on', 'info'], 1],
    [['cursor-mcp.json'], [], 1],
    [['cursor-mcp.json'], ['--fail-on', 'critical'], 0],
    [['pinning.json'], [], 0],
    [['pinning.json'], ['--fail-on', 'MEDIUM'], 1],
    [['claude-desktop.json'], ['--fail-on', 'none'], 0],
    [['claude-desktop.json', 'clean.json'], ['--fail-on', 'critical'], 1],
  ])('exit code for %j %j is %i', async (files, flags, code) => {
    const r = await audit(...files.map((f) => `${FIX}/${f}`), ...flags, '--json');
    expect(r.code, r.stderr).toBe(code);
    expect(json(r).failed).toBe(code === 1);
  });

  it('reads a config from stdin ("-")', async () => {
    const r = await raxe(['mcp', 'audit', '-', '--json'], { input: readFileSync(join(ROOT, FIX, 'cursor-mcp.json'), 'utf8') });
    expect(r).toExitWith(1);
    expect(json(r).files[0].path).toBe('<stdin>');
  });
});

describe.concurrent('raxe mcp audit: errors (exit 2, file:line:column, no stack trace)', () => {
  it('invalid JSON', async () => {
    expectConfigError(await audit(`${FIX}/invalid.json`), /^raxe: test\/fixtures\/audit\/invalid\.json:5:7: invalid JSON: expected "," or "}" after the value of "command", found "\\""$/);
  });
  it('a field of the wrong type', async () => {
    expectConfigError(await audit(`${FIX}/invalid-shape.json`), /^raxe: test\/fixtures\/audit\/invalid-shape\.json:5:15: server "git" args: Invalid input: expected array, received string$/);
  });
  it('a comment in a Claude Desktop config', async () => {
    const dir = tempDir();
    const p = join(dir, 'claude_desktop_config.json');
    writeFileSync(p, '{\n  "mcpServers": {\n    "a": {"command": "x"}, // note\n  }\n}\n');
    expectConfigError(await audit(p), /claude_desktop_config\.json:3:28: invalid JSON: a comment \(Claude Desktop reads plain JSON; remove it\)$/);
  });
  it('a missing file, a directory', async () => {
    expectConfigError(await audit(`${FIX}/nope.json`), /^raxe: cannot read test\/fixtures\/audit\/nope\.json: no such file \(ENOENT\)$/);
    expectConfigError(await audit(FIX), /^raxe: test\/fixtures\/audit is a directory/);
  });
  it('every bad file is named, then exit 2', async () => {
    const r = await audit(`${FIX}/invalid.json`, `${FIX}/clean.json`, `${FIX}/invalid-shape.json`);
    expect(r).toExitWith(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/invalid\.json:5:7/);
    expect(r.stderr).toMatch(/invalid-shape\.json:5:15/);
  });
  it('bad options', async () => {
    expectConfigError(await audit(`${FIX}/clean.json`, '--format', 'xml'), /^raxe: --format must be table, json or sarif/);
    expectConfigError(await audit(`${FIX}/clean.json`, '--fail-on', 'severe'), /^raxe: --fail-on must be one of/);
    expectConfigError(await audit(`${FIX}/clean.json`, '--write'), /^raxe: --write goes with --fix/);
    expectConfigError(await audit(`${FIX}/clean.json`, '--scan-tools', '--timeout', '0'), /^raxe: --timeout must be/);
  });
});

/**
 * Every stdio server of a fixed config runs this raxe's gateway — by the
 * absolute paths of node and bin/raxe.js, never `npx raxe` (a registry name
 * that is not ours) — with `-u <the original command>`, env kept.
 */
function expectAllBehindGateway(fixedText: string, original: ReturnType<typeof parseClientConfig>): void {
  const fixed = parseClientConfig(fixedText, original.path);
  expect(fixed.servers.map((s) => s.name)).toEqual(original.servers.map((s) => s.name));
  for (const [k, s] of fixed.servers.entries()) {
    const o = original.servers[k].data;
    if (o.url !== undefined) {
      expect(s.data).toEqual(o);
      continue;
    }
    const wrapped = o.command === 'raxe' || o.args[0] === 'raxe';
    if (wrapped) {
      expect(s.data).toEqual(o);
      continue;
    }
    expect(s.data.command).toBe(process.execPath);
    expect(s.data.args.slice(0, 4)).toEqual([BIN, 'mcp', 'gateway', '-u']);
    expect(s.data.args).toHaveLength(5);
    expect(splitCommand(s.data.args[4])).toEqual([o.command, ...o.args]);
    expect(s.data.env).toEqual(o.env);
  }
}

describe.concurrent('raxe mcp audit --fix', () => {
  for (const name of ['claude-desktop.json', 'secrets.json', 'gateway.json', 'shell.json']) {
    it(`routes every stdio server of ${name} through the gateway (printed, not written)`, async () => {
      const path = `${FIX}/${name}`;
      const before = readFileSync(join(ROOT, path), 'utf8');
      const r = await audit(path, '--fix');
      expect(r.code, r.stderr).toBe(0);
      expectAllBehindGateway(r.stdout, parseClientConfig(before, path));
      expect(readFileSync(join(ROOT, path), 'utf8')).toBe(before);
      // audited again: no stdio server is left outside the gateway
      const again = auditConfigs([parseClientConfig(r.stdout, path)]);
      expect(again.findings.filter((f) => f.issue === 'Server is not protected by RAXE gateway')).toEqual([]);
    });
  }

  it('keeps comments and the rest of a JSONC file, and notes remote servers', async () => {
    const r = await audit(`${FIX}/vscode-mcp.json`, '--fix');
    expectAllBehindGateway(r.stdout, parseClientConfig(readFileSync(join(ROOT, FIX, 'vscode-mcp.json'), 'utf8'), `${FIX}/vscode-mcp.json`));
    expect(r.stdout).toMatch(/^\/\/ VS Code workspace config/);
    expect(r.stdout).toContain('/* a code runner */');
    expect(r.stdout).toContain('"inputs": [');
    expect(r.stderr).toMatch(/note: .*server "github" is a remote \(url\) server: left as it is/);
    expect(r.stderr).toMatch(/note: .*server "perplexity": its env \(1 variable\) stays on the entry/);
  });

  it('--write writes the file back and keeps a .bak', async () => {
    const dir = tempDir();
    const p = join(dir, 'claude_desktop_config.json');
    copyFileSync(join(ROOT, FIX, 'claude-desktop.json'), p);
    const original = readFileSync(p, 'utf8');
    const r = await audit(p, '--fix', '--write');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`wrote ${p}: 3 servers behind raxe mcp gateway (backup: ${p}.bak)`);
    expect(readFileSync(`${p}.bak`, 'utf8')).toBe(original);
    expectAllBehindGateway(readFileSync(p, 'utf8'), parseClientConfig(original, p));
    const second = await audit(p, '--fix', '--write');
    expect(second.stderr).toContain('nothing to change');
    expect(readFileSync(`${p}.bak`, 'utf8')).toBe(original);
  });
});

describe.concurrent('raxe mcp audit with no file: the usual places', () => {
  it('finds Claude Desktop (Linux), Cursor and VS Code configs and says which', async () => {
    if (process.platform !== 'linux') return;
    const home = tempDir();
    const project = tempDir();
    mkdirSync(join(home, '.config', 'Claude'), { recursive: true });
    copyFileSync(join(ROOT, FIX, 'claude-desktop.json'), join(home, '.config', 'Claude', 'claude_desktop_config.json'));
    mkdirSync(join(project, '.cursor'));
    copyFileSync(join(ROOT, FIX, 'cursor-mcp.json'), join(project, '.cursor', 'mcp.json'));
    mkdirSync(join(project, '.vscode'));
    copyFileSync(join(ROOT, FIX, 'vscode-mcp.json'), join(project, '.vscode', 'mcp.json'));
    mkdirSync(join(home, '.config', 'Code', 'User'), { recursive: true });
    writeFileSync(join(home, '.config', 'Code', 'User', 'settings.json'), '{ "editor.fontSize": 13, // no mcp here\n}');
    const env = { HOME: home, XDG_CONFIG_HOME: '' };
    const r = await raxe(['mcp', 'audit', '--json', '--fail-on', 'none'], { cwd: project, env });
    expect(r.code, r.stderr).toBe(0);
    const report = json(r);
    expect(report.files.map((f) => [f.client, f.path])).toEqual([
      ['claude-desktop', join(home, '.config', 'Claude', 'claude_desktop_config.json')],
      ['cursor', join(project, '.cursor', 'mcp.json')],
      ['vscode', join(project, '.vscode', 'mcp.json')],
    ]);
    expect(report.searched!.filter((s) => s.found).length).toBe(3);
    expect(report.searched!.map((s) => s.path)).toContain(join(home, '.cursor', 'mcp.json'));
    const table = await raxe(['mcp', 'audit'], { cwd: project, env });
    expect(table.stdout).toContain(`✓ ${join(project, '.cursor', 'mcp.json')} (Cursor)`);
    expect(table.stdout).toContain(`· ${join(home, '.cursor', 'mcp.json')} (Cursor, not found)`);
    expect(table).toExitWith(1);
  });

  it('says so when there is none (exit 0)', async () => {
    const r = await raxe(['mcp', 'audit'], { cwd: tempDir(), env: { HOME: tempDir(), XDG_CONFIG_HOME: '', APPDATA: '' } });
    expect(r).toExitWith(0);
    expect(r.stdout).toContain('No MCP client config found.');
  });
});

describe.concurrent('raxe mcp audit --scan-tools', () => {
  it('finds the poisoned tool and the shadowed read_file, scans server-everything clean, survives servers that fail', async () => {
    const r = await audit(`${FIX}/scan-tools.json`, '--scan-tools', '--json');
    expect(r.code, r.stderr).toBe(1);
    const report = json(r);
    const poison = report.findings.filter((f) => f.check === 'tool-poisoning');
    expect(poison.map((f) => [f.server, f.tool, f.severity])).toEqual([['poisoned', 'add', 'CRITICAL']]);
    expect(poison[0].rule_ids!.length).toBeGreaterThan(0);
    expect(poison[0].families).toContain('TOOL');
    expect(poison[0].issue).toMatch(/^Tool "add" description matches [a-z0-9-]+(, [a-z0-9-]+)* \([A-Z, ]+\)$/);
    // never the description itself
    expect(r.stdout).not.toMatch(/id_rsa|IMPORTANT|upset/);
    const shadow = report.findings.filter((f) => f.check === 'tool-shadowing');
    expect(shadow.map((f) => [f.server, f.tool, f.severity])).toEqual([['poisoned', 'read_file', 'HIGH']]);
    expect(shadow[0].issue).toContain('also offered by server "filesystem"');
    const failed = report.findings.filter((f) => f.check === 'server-unreachable').map((f) => [f.server, f.severity]);
    expect(failed).toEqual([['broken', 'LOW'], ['missing', 'LOW']]);
    const status = Object.fromEntries(report.tool_scan!.map((t) => [t.server, t]));
    expect(status.everything).toMatchObject({ status: 'scanned' });
    expect(status.everything.tools).toBeGreaterThan(10);
    expect(status.everything.prompts).toBeGreaterThan(0);
    expect(status.everything.resources).toBeGreaterThan(0);
    expect(status.filesystem).toMatchObject({ status: 'scanned', tools: 14 });
    expect(status.poisoned).toMatchObject({ status: 'scanned', tools: 3, prompts: 1, resources: 1 });
    expect(status.remote).toMatchObject({ status: 'skipped' });
    expect(status.missing.reason).toMatch(/ENOENT/);
    expect(report.findings.filter((f) => f.server === 'everything' && f.check !== 'no-gateway')).toEqual([]);
  });

  it('gives up on a server that does not answer within --timeout', async () => {
    const dir = tempDir();
    const p = join(dir, 'hang.json');
    writeFileSync(p, JSON.stringify({ mcpServers: { hang: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] } } }));
    // (no wall-clock bound here: the message below says the 1 s of --timeout applied, not the default 15 s)
    const r = await audit(p, '--scan-tools', '--timeout', '1', '--json', '--no-l2');
    expect(r.code, r.stderr).toBe(0);
    const f = json(r).findings.find((x) => x.check === 'server-unreachable')!;
    expect(f.issue).toBe('Could not list tools: no answer within 1 s (--timeout)');
  });

  it('scans the upstreams of a gateway entry, not the gateway', async () => {
    const dir = tempDir();
    const p = join(dir, 'gw.json');
    const poisoned = join(ROOT, FIX, 'poisoned-server.mjs');
    writeFileSync(p, JSON.stringify({ mcpServers: { wrapped: { command: 'npx', args: ['raxe', 'mcp', 'gateway', '-u', `${process.execPath} ${poisoned}`] } } }));
    const r = await audit(p, '--scan-tools', '--json', '--no-l2');
    const report = json(r);
    expect(report.tool_scan).toEqual([{ server: 'wrapped', file: p, status: 'scanned', tools: 3, prompts: 1, resources: 1 }]);
    expect(report.findings.map((f) => f.check)).toContain('tool-poisoning');
  });
});

describe('layering', () => {
  it('src/audit outside node/ bundles for a neutral platform with no Node builtin', async () => {
    const res = await build({ entryPoints: ['src/audit/index.ts'], absWorkingDir: ROOT, bundle: true, write: false, format: 'esm', platform: 'neutral', metafile: true, logLevel: 'silent' });
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    for (const [path, input] of Object.entries(res.metafile.inputs)) {
      expect(path.startsWith('src/audit/node/'), path).toBe(false);
      for (const imp of input.imports) expect(builtins.has(imp.path) || imp.path.startsWith('node:'), `${path} imports ${imp.path}`).toBe(false);
    }
  });
});
