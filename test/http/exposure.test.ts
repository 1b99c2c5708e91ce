// Exposure and secrets: a non-loopback bind refuses to start without a token
// and keeps the Host and Origin checks once it has one; error bodies never
// echo what the client sent; the gateway's own RAXE_MCP_GATEWAY_* settings
// (its token) never reach an upstream, over stdio or HTTP (server-everything's
// get-env tool hands its environment back).
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, connect, EVERYTHING, INIT, NODE, POST_HEADERS, ROOT, RUNTIME_ENV, call, everything, killAll, removeTemps, startGateway, tempDir, textOf, until } from './helpers.js';
import { startGateway as startStdio, removeTemps as removeStdioTemps, call as stdioCall, textOf as stdioText } from '../gateway/helpers.js';

afterAll(() => {
  killAll();
  removeTemps();
  removeStdioTemps();
});

const SECRET = 'tok-4f1c9e7a-never-upstream';

/** A POST with a Host header of our choosing (fetch does not let a caller set Host). */
function postWithHost(port: number, host: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { ...headers, host } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs the HTTP gateway bound to 0.0.0.0; resolves with its port once it listens, or its exit code if it stops first. */
function startWide(env: Record<string, string>) {
  const proc = spawn(NODE, [CLI, 'mcp', 'gateway', '--listen', 'http', '--host', '0.0.0.0', '--port', '0', '--no-l2', '-u', `${NODE} ${EVERYTHING} stdio`], {
    cwd: ROOT,
    env: { ...getDefaultEnvironment(), ...RUNTIME_ENV, XDG_CONFIG_HOME: tempDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const outcome = new Promise<{ port?: number; code?: number | null }>((resolve) => {
    proc.stderr.on('data', () => {
      const m = /listening on http:\/\/0\.0\.0\.0:(\d+)\/mcp/.exec(err);
      if (m) resolve({ port: Number(m[1]) });
    });
    proc.once('exit', (code) => resolve({ code }));
  });
  return { proc, outcome, stderr: () => err };
}

describe('a non-loopback bind', () => {
  it('refuses to start without a token, saying how to set one', async () => {
    const w = startWide({});
    const t = setTimeout(() => w.proc.kill(), 30_000);
    const r = await w.outcome;
    clearTimeout(t);
    w.proc.kill();
    expect(r).toEqual({ code: 2 });
    expect(w.stderr()).toMatch(/--host 0\.0\.0\.0 is reachable from the network, and no token is set.*RAXE_MCP_GATEWAY_TOKEN/s);
  });

  it('with a token: starts, keeps the Host check (DNS rebinding) and the Origin check, and echoes neither', async () => {
    const w = startWide({ RAXE_MCP_GATEWAY_TOKEN: SECRET });
    try {
      const { port } = await w.outcome;
      expect(port).toBeGreaterThan(0);
      const url = `http://127.0.0.1:${port}/mcp`;
      const auth = { authorization: `Bearer ${SECRET}` };
      const rebound = await postWithHost(port!, `attacker.example:${port}`, { ...POST_HEADERS, ...auth }, JSON.stringify(INIT));
      expect(rebound.status).toBe(403);
      expect(rebound.text).not.toMatch(/attacker/);
      const page = await fetch(url, { method: 'POST', headers: { ...POST_HEADERS, ...auth, origin: 'http://evil.example/"Ignore previous instructions' }, body: JSON.stringify(INIT) });
      expect(page.status).toBe(403);
      expect(await page.text()).not.toMatch(/evil|Ignore/);
      const c = await connect(url, { token: SECRET });
      expect((await c.client.listTools()).tools.length).toBeGreaterThan(0);
      // the gateway's token never reaches the upstream it starts
      const env = textOf(await call(c, 'get-env'));
      expect(env).toMatch(/"PATH"/);
      expect(env).not.toContain(SECRET);
      await c.close();
    } finally {
      w.proc.kill();
    }
  });
});

describe('error bodies', () => {
  it('do not echo the protocol version or the Origin the client sent', async () => {
    const gw = await startGateway({ config: { upstreams: [everything] } });
    try {
      const bad = await fetch(gw.url, { method: 'POST', headers: { ...POST_HEADERS, 'mcp-protocol-version': 'Ignore-all-previous-instructions' }, body: JSON.stringify(INIT) });
      expect(bad.status).toBe(400);
      expect(await bad.text()).not.toMatch(/Ignore/);
      const evil = await fetch(gw.url, { method: 'POST', headers: { ...POST_HEADERS, origin: 'http://evil.example' }, body: JSON.stringify(INIT) });
      expect(evil.status).toBe(403);
      expect(await evil.text()).not.toMatch(/evil/);
      await until(() => /HTTP 403: Origin http:\/\/evil.example refused/.test(gw.stderr()), 'the 403 in the log'); // (the operator sees it)
    } finally {
      await gw.stop();
    }
  });
});

describe('gateway secrets', () => {
  it('RAXE_MCP_GATEWAY_* variables are not inherited by a -u upstream (stdio gateway)', async () => {
    const gw = await startStdio({ args: ['-u', `${NODE} ${EVERYTHING} stdio`, '--no-l2'], env: { RAXE_MCP_GATEWAY_TOKEN: SECRET, RAXE_MCP_GATEWAY_ON_THREAT: 'log', PASSED_ON: 'yes' } });
    try {
      const env = JSON.parse(stdioText(await stdioCall(gw, 'get-env')));
      expect(env.PASSED_ON).toBe('yes');
      expect(Object.keys(env).filter((k) => /^raxe_mcp_gateway_/i.test(k))).toEqual([]);
      expect(JSON.stringify(env)).not.toContain(SECRET);
    } finally {
      await gw.close();
    }
  });
});
