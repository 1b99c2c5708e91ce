// `raxe mcp gateway --listen http` from the command line: where the address
// comes from (flags > RAXE_MCP_GATEWAY_* > file > 127.0.0.1:8080) and the
// errors that stop it with exit code 2.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, COUNTER, NODE, ROOT, freePort, removeTemps, tempDir } from './helpers.js';

afterAll(removeTemps);

/** Longest a gateway run may take here; a bound for a stuck process, far beyond a normal start on a busy machine. */
const RUN_DEADLINE_MS = 120_000;

/**
 * Runs the gateway until it logs its address (then SIGTERM: it must stop
 * gracefully, exit 0) or exits by itself; resolves with what happened.
 */
function runGateway(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: string | null; url?: string; stderr: string }> {
  const dir = tempDir();
  return new Promise((resolve) => {
    const p = spawn(NODE, [CLI, 'mcp', 'gateway', '--no-l2', ...args], { cwd: ROOT, env: { ...getDefaultEnvironment(), XDG_CONFIG_HOME: join(dir, 'xdg'), ...env } });
    let err = '';
    let url: string | undefined;
    p.stderr.on('data', (c: Buffer) => {
      err += c.toString('utf8');
      const m = /listening on (http:\/\/\S+\/mcp)/.exec(err);
      if (m && !url) {
        url = m[1];
        p.kill('SIGTERM');
      }
    });
    const t = setTimeout(() => {
      err += `\n[test: no exit after ${RUN_DEADLINE_MS} ms; killed]`;
      p.kill('SIGKILL');
    }, RUN_DEADLINE_MS);
    p.once('exit', (code, signal) => {
      clearTimeout(t);
      resolve({ code, signal, url, stderr: err });
    });
  });
}

const upstream = ['-u', `${NODE} ${COUNTER}`];

describe('raxe mcp gateway --listen http (command line)', () => {
  it('takes the port from RAXE_MCP_GATEWAY_PORT, and --port over it', async () => {
    const [p1, p2] = await Promise.all([freePort(), freePort()]);
    const env = await runGateway(['--listen', 'http', ...upstream], { RAXE_MCP_GATEWAY_PORT: String(p1), RAXE_MCP_GATEWAY_HOST: '127.0.0.1' });
    expect(env.url, env.stderr).toBe(`http://127.0.0.1:${p1}/mcp`);
    expect(env).toExitWith(0);
    const flag = await runGateway(['--listen', 'http', '--port', String(p2), '--host', '127.0.0.1', ...upstream], { RAXE_MCP_GATEWAY_PORT: String(p1) });
    expect(flag.url, flag.stderr).toBe(`http://127.0.0.1:${p2}/mcp`);
    expect(flag).toExitWith(0);
  });

  it('--listen http overrides gateway.listen: stdio in the file', async () => {
    const dir = tempDir();
    const cfg = join(dir, 'gw.yaml');
    writeFileSync(cfg, `gateway:\n  listen: stdio\n  port: 0\nupstreams:\n  - name: counter\n    command: ${NODE}\n    args: [${JSON.stringify(COUNTER)}]\n`);
    const r = await runGateway(['-c', cfg, '--listen', 'http']);
    expect(r.url, r.stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(r).toExitWith(0);
  });

  it('stops with exit 2 and a message naming the fix: bad --port, bad --listen, port in use', async () => {
    const bad = await runGateway(['--listen', 'http', '--port', '70000', ...upstream]);
    expect(bad).toExitWith(2);
    expect(bad.stderr).toMatch(/--port must be a whole number from 0 to 65535/);
    const listen = await runGateway(['--listen', 'tcp', ...upstream]);
    expect(listen).toExitWith(2);
    expect(listen.stderr).toMatch(/--listen: expected stdio or http/);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const busy = await runGateway(['--listen', 'http', '--port', String(port), ...upstream]);
    blocker.close();
    expect(busy).toExitWith(2);
    expect(busy.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} is in use: choose another port with --port`));
  });
});
