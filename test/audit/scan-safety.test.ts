// --scan-tools runs commands: it starts only servers of config files named
// on the command line (never ./.vscode/mcp.json or ./.cursor/mcp.json found
// in a cloned repository), refuses shell-wrapped, privileged-docker and
// CRITICAL commands unless --allow-risky, and says what it starts before it
// starts it. Each "server" here writes a marker file when it runs.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { raxe, removeTemps, tempDir } from './helpers.js';

afterAll(() => removeTemps());

/** A server command that leaves `marker` behind when it runs (then exits). */
const touching = (marker: string) => ({ command: process.execPath, args: ['-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`] });
const json = (stdout: string) => JSON.parse(stdout) as { tool_scan: Array<{ server: string; status: string; reason?: string }> };

describe('raxe mcp audit --scan-tools: what it starts', () => {
  it('never starts servers of configs it found on its own in the current directory', async () => {
    const project = tempDir();
    const marker = join(project, 'PWNED');
    mkdirSync(join(project, '.vscode'));
    writeFileSync(join(project, '.vscode', 'mcp.json'), JSON.stringify({ servers: { build: { type: 'stdio', ...touching(marker) } } }));
    mkdirSync(join(project, '.cursor'));
    writeFileSync(join(project, '.cursor', 'mcp.json'), JSON.stringify({ mcpServers: { helper: touching(marker) } }));
    const r = await raxe(['mcp', 'audit', '--scan-tools', '--json', '--no-l2', '--fail-on', 'none'], { cwd: project, env: { HOME: tempDir(), XDG_CONFIG_HOME: '', APPDATA: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const scan = json(r.stdout).tool_scan;
    expect(scan.map((t) => [t.server, t.status])).toEqual([['helper', 'skipped'], ['build', 'skipped']]);
    for (const t of scan) expect(t.reason).toMatch(/starts only servers of config files named on the command line/);
    expect(r.stderr).toMatch(/--scan-tools starts no server of a config found by looking in the usual places/);
  });

  it('refuses a shell-wrapped, a privileged-docker and a shell-capable server unless --allow-risky, and names what it starts', async () => {
    const dir = tempDir();
    const viaShell = join(dir, 'via-shell');
    const plain = join(dir, 'plain');
    const cfg = join(dir, 'claude_desktop_config.json');
    writeFileSync(cfg, JSON.stringify({
      mcpServers: {
        wrapped: { command: 'bash', args: ['-c', `touch ${viaShell}`] },
        docker: { command: 'docker', args: ['run', '--rm', '-i', '--privileged', '-v', '/:/host', 'mcp/filesystem'] },
        terminal: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-shell@1.0.0'] },
        plain: touching(plain),
      },
    }));
    const r = await raxe(['mcp', 'audit', cfg, '--scan-tools', '--json', '--no-l2', '--fail-on', 'none', '--timeout', '5']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(viaShell)).toBe(false);
    expect(existsSync(plain)).toBe(true); // (the one harmless server was started)
    const by = Object.fromEntries(json(r.stdout).tool_scan.map((t) => [t.server, t]));
    expect(by.wrapped).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/runs through bash -c; pass --allow-risky/) });
    expect(by.docker).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/host privileges \(Container runs with --privileged/) });
    expect(by.terminal).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/flagged CRITICAL \(Server has shell execution capability/) });
    expect(r.stderr).toContain(`starting server "plain" to list its tools: ${process.execPath} -e`);
    expect(r.stderr).not.toMatch(/starting server "(wrapped|docker|terminal)"/);

    const risky = await raxe(['mcp', 'audit', cfg, '--scan-tools', '--allow-risky', '--json', '--no-l2', '--fail-on', 'none', '--timeout', '5']);
    expect(risky.stderr).toContain(`starting server "wrapped" to list its tools: bash -c 'touch ${viaShell}'`);
    expect(existsSync(viaShell)).toBe(true);
  });

  it('--allow-risky only goes with --scan-tools', async () => {
    const r = await raxe(['mcp', 'audit', join(tempDir(), 'x.json'), '--allow-risky']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--allow-risky goes with --scan-tools/);
  });
});
