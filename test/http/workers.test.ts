// The Cloudflare Workers example (examples/workers) in workerd, run locally
// and offline by miniflare: the same Hono app in front of a local Streamable
// HTTP upstream (server-everything), answering the official SDK client's
// initialize, tools/list and a tools/call it blocks.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ATTACK, call, connect, killAll, ROOT, rpcError, startEverythingHttp, textOf } from './helpers.js';

const DIST = join(ROOT, 'examples/workers/dist');
let mf: Miniflare | undefined;

afterEach(async () => {
  await mf?.dispose();
  mf = undefined;
});
afterAll(killAll);

/** The built worker in workerd, with `bindings` as its vars. */
async function worker(bindings: Record<string, string>): Promise<URL> {
  expect(existsSync(join(DIST, 'worker.js')), 'examples/workers/dist is built by npm run build').toBe(true);
  mf = new Miniflare({
    scriptPath: join(DIST, 'worker.js'),
    modules: true,
    // what wrangler.toml's [[rules]] say
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }, { type: 'Data', include: ['**/*.matcher'] }],
    compatibilityDate: '2026-07-01',
    bindings,
    cf: false, // (no fetch of Cloudflare's request metadata: offline)
    host: '127.0.0.1',
    port: 0,
  });
  return mf.ready;
}

describe('the gateway on Cloudflare Workers (workerd)', () => {
  it('answers initialize, tools/list and a blocked tools/call in front of a Streamable HTTP upstream', async () => {
    const up = await startEverythingHttp();
    const base = await worker({
      RAXE_GATEWAY_CONFIG: `gateway:\n  default_policy:\n    on_threat: block\nupstreams:\n  - name: everything\n    url: ${up.url}\n`,
    });
    const c = await connect(new URL('/mcp', base).href);
    try {
      expect(c.client.getServerVersion()?.name).toBe('raxe-mcp-gateway');
      const tools = (await c.client.listTools()).tools.map((t) => t.name);
      expect(tools).toContain('echo');
      expect(textOf(await call(c, 'echo', { message: 'hello from the edge' }))).toContain('hello from the edge');
      const e = await rpcError(call(c, 'echo', { message: ATTACK }));
      expect(e.code).toBe(-32001);
      expect(e.data.rule_ids).toEqual(expect.arrayContaining(['pi-001']));
      expect(e.message).not.toContain('Ignore all');
      const m = await (await fetch(new URL('/metrics', base))).text();
      expect(m).toMatch(/^raxe_decisions_total\{action="block",family="PI",point="tool_call",severity="(high|critical)"\} 1$/m);
    } finally {
      await c.close();
      await up.stop();
    }
  });

  it('refuses a stdio upstream with a message that names it, and a non-loopback host without a token', async () => {
    const base = await worker({ RAXE_GATEWAY_CONFIG: 'upstreams:\n  - name: fs\n    command: npx\n' });
    const r = await fetch(new URL('/mcp', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(500);
    expect((await r.json()).error).toMatch(/upstream\(s\) fs use command:.*url:/);
    const remote = await mf!.dispatchFetch('https://gw.example.com/healthz');
    expect(remote.status).toBe(503);
    expect(((await remote.json()) as { error: string }).error).toMatch(/wrangler secret put RAXE_MCP_GATEWAY_TOKEN/);
  });
});
