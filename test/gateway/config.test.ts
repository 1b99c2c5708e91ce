// Gateway configuration: errors from the CLI (exit 2, one line naming
// file:line:col and field, no stack), precedence flags > env > file, and the
// file `raxe mcp generate-config` writes (it loads and runs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { applyEnv, applyFlags, ConfigError, effectivePolicy, parseConfigText, SAMPLE_CONFIG } from '../../src/mcp/gateway/config.js';
import {
  auditEvents, BIN, call, FLAKY, gatewayEnv, INJECTION, NODE, removeTemps, ROOT, startGateway, tempDir, textOf, writeConfig, type Gw,
} from './helpers.js';

afterAll(() => removeTemps());

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(NODE, [BIN, 'mcp', ...args], { cwd: ROOT, env: gatewayEnv(tempDir('raxe-gw-xdg-'), env) });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    p.stdin.end();
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const NO_STACK = /\n\s+at |Error: |node:internal|\.ts:\d+|\.js:\d+:\d+/;

describe('configuration errors from the CLI', () => {
  const cases: Array<{ name: string; yaml: string; pos: string; field: RegExp }> = [
    {
      name: 'an unknown key',
      yaml: 'gateway:\n  default_policy:\n    on_threat: log\n  bogus_key: 1\nupstreams:\n  - name: a\n    command: node\n',
      pos: ':4:3',
      field: /gateway\.bogus_key/,
    },
    {
      name: 'an unknown key at the top level',
      yaml: 'upstreams:\n  - name: a\n    command: node\nlisten: stdio\n',
      pos: ':4:1',
      field: /\blisten\b/,
    },
    {
      name: 'a bad on_threat',
      yaml: 'gateway:\n  default_policy:\n    on_threat: explode\nupstreams:\n  - name: a\n    command: node\n',
      pos: ':3:16',
      field: /gateway\.default_policy\.on_threat.*log.*warn.*block/,
    },
    {
      name: 'an upstream with neither command nor url',
      yaml: 'upstreams:\n  - name: a\n    args: [x]\n',
      pos: ':2:5',
      field: /upstreams\[0\].*command.*url/,
    },
    {
      name: 'bad YAML',
      yaml: 'gateway:\n  default_policy: [\n    on_threat: log\nupstreams:\n  - name: a\n',
      pos: ':\\d+:\\d+',
      field: /YAML/,
    },
  ];
  let dir: string;
  beforeAll(() => {
    dir = tempDir('raxe-gw-cfg-');
  });

  it.each(cases)('$name: exit 2, one line with file:line:col and the field, no stack trace', async ({ name, yaml, pos, field }) => {
    const file = writeConfig(dir, yaml, `${name.replace(/\W+/g, '-')}.yaml`);
    const r = await cli(['gateway', '-c', file]);
    expect(r).toExitWith(2);
    expect(r.stdout).toBe('');
    const at = new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${pos}: `);
    const lines = r.stderr.trim().split('\n');
    const problem = lines.filter((l) => at.test(l));
    expect(problem, r.stderr).toHaveLength(1);
    expect(problem[0]).toMatch(field);
    expect(lines.length).toBeLessThanOrEqual(2); // "raxe: invalid gateway configuration:" + the problem
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('a bad environment variable or flag value is a one-line error too', async () => {
    const file = writeConfig(dir, { upstreams: [{ name: 'a', command: 'node' }] }, 'ok.yaml');
    const [env, flag, level] = await Promise.all([
      cli(['gateway', '-c', file], { RAXE_MCP_GATEWAY_ON_THREAT: 'explode' }),
      cli(['gateway', '-c', file, '--on-threat', 'explode']),
      cli(['gateway', '-c', file, '--severity-threshold', 'SEVERE']),
    ]);
    for (const [r, what] of [[env, /RAXE_MCP_GATEWAY_ON_THREAT.*explode/], [flag, /--on-threat.*explode/], [level, /--severity-threshold.*SEVERE/]] as const) {
      expect(r).toExitWith(2);
      expect(r.stderr).toMatch(what);
      expect(r.stderr).not.toMatch(NO_STACK);
    }
  });

  it('a missing config file or no upstream at all: exit 2', async () => {
    const [missing, none] = await Promise.all([cli(['gateway', '-c', join(dir, 'nope.yaml')]), cli(['gateway'])]);
    expect(missing).toExitWith(2);
    expect(missing.stderr).toMatch(/nope\.yaml: cannot read the config file \(ENOENT\)/);
    expect(none).toExitWith(2);
    expect(none.stderr).toMatch(/no upstream/);
  });
});

describe('parseConfigText', () => {
  it('reports every problem with its position', () => {
    const text = 'upstreams:\n  - name: a\n    command: node\n    policy:\n      rate_limit_rpm: "x"\n      foo: 2\n';
    try {
      parseConfigText(text, 'f.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toEqual([
        expect.stringMatching(/^f\.yaml:5:23: upstreams\[0\]\.policy\.rate_limit_rpm: /),
        expect.stringMatching(/^f\.yaml:6:7: upstreams\[0\]\.policy\.foo: /),
      ]);
    }
  });

  it('rejects duplicate keys, bad names and duplicate upstream names', () => {
    expect(() => parseConfigText('gateway:\n  l2_enabled: true\n  l2_enabled: false\n', 'd.yaml')).toThrow(/^d\.yaml:3:3: YAML: /);
    expect(() => parseConfigText('upstreams:\n  - name: "bad name!"\n    command: node\n', 'n.yaml')).toThrow(/n\.yaml:2:11: upstreams\[0\]\.name: upstream names may hold only/);
    const twice = parseConfigText('upstreams:\n  - name: a\n    command: node\n  - name: a\n    command: node\n', 't.yaml');
    expect(() => applyFlags(twice, {})).toThrow(/"a" is used twice/);
  });

  it('applies precedence flags > env > file > defaults', () => {
    const file = parseConfigText('gateway:\n  default_policy:\n    on_threat: log\n    severity_threshold: MEDIUM\nupstreams:\n  - name: a\n    command: node\n    policy:\n      on_threat: warn\n', 'p.yaml');
    // unset rate limit: no number (the stdio gateway does not limit, HTTP has its own default); on_unscanned follows on_threat
    expect(effectivePolicy(file, undefined)).toMatchObject({ on_threat: 'log', on_unscanned: 'log', severity_threshold: 'MEDIUM', rate_limit_rpm: undefined });
    const env = applyEnv(file, { RAXE_MCP_GATEWAY_ON_THREAT: 'block', RAXE_MCP_GATEWAY_SEVERITY_THRESHOLD: 'critical', RAXE_MCP_GATEWAY_L2: 'false' });
    expect(effectivePolicy(env, undefined)).toMatchObject({ on_threat: 'block', severity_threshold: 'CRITICAL' });
    expect(env.gateway.l2_enabled).toBe(false);
    // a per-upstream policy still overrides the default
    expect(effectivePolicy(env, env.upstreams[0]).on_threat).toBe('warn');
    expect(effectivePolicy(env, undefined).on_unscanned).toBe('block');
    const flags = applyFlags(env, { onThreat: 'warn', severityThreshold: 'LOW', rateLimitRpm: 120, upstream: ['node /x/server-filesystem/dist/index.js /tmp'] });
    expect(effectivePolicy(flags, undefined)).toMatchObject({ on_threat: 'warn', severity_threshold: 'LOW', rate_limit_rpm: 120 });
    expect(effectivePolicy(flags, flags.upstreams[0]).rate_limit_rpm).toBe(120); // the default, for an upstream without its own
    expect(() => applyFlags(env, { rateLimitRpm: 10000 })).toThrow(/--rate-limit-rpm: expected a whole number from 0 to 9999/);
    // on_unscanned: its own setting wins over on_threat
    const own = parseConfigText('gateway:\n  default_policy:\n    on_threat: block\n    on_unscanned: warn\n', 'p.yaml');
    expect(effectivePolicy(own, undefined)).toMatchObject({ on_threat: 'block', on_unscanned: 'warn' });
    expect(flags.upstreams.map((u) => u.name)).toEqual(['a', 'filesystem']);
    expect(flags.upstreams[1]).toMatchObject({ command: 'node', args: ['/x/server-filesystem/dist/index.js', '/tmp'] });
  });
});

describe('env and flag precedence, end to end, on the generated config', () => {
  let cfgDir: string;
  let cfg: string;
  let gws: Gw[] = [];
  beforeAll(async () => {
    cfgDir = tempDir('raxe-gw-gen-');
    const out = join(cfgDir, 'mcp-security.yaml');
    const r = await cli(['generate-config', '-o', out]);
    expect(r).toExitWith(0);
    expect(r.stderr).toContain(`wrote ${out}`);
    // the generated file, with its upstreams replaced by our fixture (it keeps on_threat: log)
    const doc = parseYaml(readFileSync(out, 'utf8'));
    expect(doc.gateway.default_policy.on_threat).toBe('log');
    doc.upstreams = [{ name: 'notes', command: NODE, args: [FLAKY] }];
    cfg = writeConfig(cfgDir, toYaml(doc), 'edited.yaml');
    gws = await Promise.all([
      startGateway({ args: ['-c', cfg, '--no-l2'] }),
      startGateway({ args: ['-c', cfg, '--no-l2'], env: { RAXE_MCP_GATEWAY_ON_THREAT: 'block' } }),
      startGateway({ args: ['-c', cfg, '--no-l2', '--on-threat', 'warn'], env: { RAXE_MCP_GATEWAY_ON_THREAT: 'block' } }),
      startGateway({ args: ['-c', cfg, '--no-l2'], env: { RAXE_MCP_GATEWAY_ON_THREAT: 'block', RAXE_MCP_GATEWAY_SEVERITY_THRESHOLD: 'CRITICAL' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(gws.map((g) => g.close()));
  });

  it('the file alone (on_threat: log): forwarded unchanged and audited', async () => {
    const r = await call(gws[0], 'inject');
    expect(r.isError).toBeFalsy();
    expect(r.content).toEqual([{ type: 'text', text: INJECTION }]);
    const events = auditEvents(readFileSync(join(gws[0].xdg, 'raxe', 'gateway-audit.jsonl'), 'utf8'));
    expect(events).toEqual([expect.objectContaining({ upstream: 'notes', tool: 'inject', action: 'log', point: 'tool_response' })]);
  });

  it('RAXE_MCP_GATEWAY_ON_THREAT=block overrides the file', async () => {
    const r = await call(gws[1], 'inject');
    expect(r.isError).toBe(true);
    expect((r._meta as any).raxe).toMatchObject({ code: -32001, point: 'tool_response', upstream: 'notes' });
  });

  it('--on-threat warn overrides the environment', async () => {
    const r = await call(gws[2], 'inject');
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toMatch(/^⚠ raxe warning/);
    expect(r.content[1]).toEqual({ type: 'text', text: INJECTION });
  });

  it('RAXE_MCP_GATEWAY_SEVERITY_THRESHOLD=CRITICAL lets a HIGH finding through', async () => {
    const r = await call(gws[3], 'inject');
    expect(r.isError).toBeFalsy();
    expect(r.content).toEqual([{ type: 'text', text: INJECTION }]);
  });
});

describe('raxe mcp generate-config', () => {
  it('writes the documented sample, which loads; refuses to overwrite without --force', async () => {
    const dir = tempDir('raxe-gw-gen-');
    const out = join(dir, 'gen.yaml');
    expect(await cli(['generate-config', '-o', out])).toExitWith(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toBe(SAMPLE_CONFIG);
    const cfg = parseConfigText(text, out);
    expect(cfg.gateway).toMatchObject({ listen: 'stdio', l2_enabled: true, telemetry_enabled: true });
    expect(cfg.upstreams.map((u) => u.name)).toEqual(['filesystem', 'git']);
    expect(effectivePolicy(cfg, cfg.upstreams[0])).toMatchObject({ on_threat: 'log', severity_threshold: 'HIGH', rate_limit_rpm: 60 });
    expect(effectivePolicy(cfg, cfg.upstreams[1])).toMatchObject({ on_threat: 'block', severity_threshold: 'MEDIUM' });
    writeFileSync(out, 'mine\n');
    const again = await cli(['generate-config', '-o', out]);
    expect(again).toExitWith(2);
    expect(again.stderr).toMatch(/exists; use --force/);
    expect(readFileSync(out, 'utf8')).toBe('mine\n');
    expect(await cli(['generate-config', '-o', out, '--force'])).toExitWith(0);
    expect(readFileSync(out, 'utf8')).toBe(SAMPLE_CONFIG);
  });

  it('-o - prints the sample on stdout (as its --help says)', async () => {
    const dash = await cli(['generate-config', '-o', '-']);
    expect(dash.stderr).toBe('');
    expect(dash).toExitWith(0);
    expect(dash.stdout).toBe(SAMPLE_CONFIG);
  });
});

describe('examples/gateway', () => {
  it('mcp-security.yaml is a valid multi-upstream config with per-upstream policies and MSSP env', () => {
    const path = join(ROOT, 'examples/gateway/mcp-security.yaml');
    const cfg = parseConfigText(readFileSync(path, 'utf8'), path);
    expect(cfg.upstreams.length).toBeGreaterThanOrEqual(2);
    expect(cfg.upstreams.some((u) => u.policy?.on_threat)).toBe(true);
    expect(cfg.upstreams.some((u) => u.env.MSSP_ID && u.env.CUSTOMER_ID)).toBe(true);
  });

  it('claude_desktop_config.json runs the gateway in front of server-filesystem', () => {
    const path = join(ROOT, 'examples/gateway/claude_desktop_config.json');
    expect(existsSync(path)).toBe(true);
    const j = JSON.parse(readFileSync(path, 'utf8'));
    const servers = Object.values(j.mcpServers) as Array<{ command: string; args: string[] }>;
    expect(servers.length).toBeGreaterThan(0);
    const s = servers[0];
    // the installed raxe, never `npx raxe` (a registry name that is not ours); the upstream pinned
    expect(s.command).toBe('raxe');
    expect(s.args.slice(0, 2)).toEqual(['mcp', 'gateway']);
    const u = s.args[s.args.indexOf('-u') + 1];
    expect(u).toMatch(/@modelcontextprotocol\/server-filesystem@\d+\.\d+\.\d+ /);
    expect(applyFlags(parseConfigText('{}', 'x'), { upstream: [u] }).upstreams[0].name).toBe('filesystem');
  });
});

describe('upstream environment', () => {
  it('-u upstreams inherit the gateway environment; config upstreams get only the safe set plus env', async () => {
    const { applyFlags, GatewayFileSchema, parseConfigText } = await import('../../src/mcp/gateway/config.js');
    const fromFlag = applyFlags(GatewayFileSchema.parse({}), { upstream: ['node server.js'] });
    expect(fromFlag.upstreams[0].inherit_env).toBe(true);
    const fromFile = parseConfigText('upstreams:\n  - name: a\n    command: node\n    env: {TOKEN: x}\n', 'c.yaml');
    expect(fromFile.upstreams[0].inherit_env).toBe(false);
    expect(fromFile.upstreams[0].env).toEqual({ TOKEN: 'x' });
  });
});
