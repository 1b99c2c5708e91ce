// The Workers gateway in a fleet: its state through the Upstash REST
// protocol (an in-test HTTP proxy in front of a real redis-server) is the
// same state a Node instance keeps with gateway.state: redis://… — one rate
// limit, one pin set. The worker runs in workerd (miniflare, offline).
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { call, connect, killAll, removeTemps, ROOT, rpcError, startEverythingHttp, startGateway } from '../http/helpers.js';
import { killServers, startRedis } from './helpers.js';

const DIST = join(ROOT, 'examples/workers/dist');
const LIMIT = 4;
const REST_TOKEN = 'rest-test-token';

let mf: Miniflare | undefined;
let proxy: Server | undefined;

afterEach(async () => {
  await mf?.dispose();
  mf = undefined;
  proxy?.close();
  proxy?.closeAllConnections();
  proxy = undefined;
  killAll();
  killServers();
});
afterAll(removeTemps);

/** The REST protocol in front of `send`: POST a JSON command array with the bearer token, get {result} or {error}. */
async function restProxy(send: (args: string[]) => Promise<unknown>, seen: string[][]): Promise<string> {
  proxy = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', async () => {
      const reply = (status: number, o: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(o));
      };
      if (req.headers.authorization !== `Bearer ${REST_TOKEN}`) return reply(401, { error: 'Unauthorized' });
      try {
        const args = (JSON.parse(body) as unknown[]).map(String);
        seen.push(args);
        reply(200, { result: await send(args) });
      } catch (e) {
        reply(400, { error: e instanceof Error ? e.message : String(e) });
      }
    });
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  const addr = proxy.address();
  return `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}

const config = (upstream: string) =>
  `gateway:\n  rate_limit_key: address\n  default_policy:\n    on_threat: block\n    rate_limit_rpm: 0\nupstreams:\n  - name: everything\n    url: ${upstream}\n    policy:\n      rate_limit_rpm: ${LIMIT}\n`;

describe('the Workers gateway on a fleet\'s Redis (REST protocol)', () => {
  it('shares one rate limit and one pin set with a Node instance', async () => {
    expect(existsSync(join(DIST, 'worker.js')), 'examples/workers/dist is built by npm run build').toBe(true);
    const redis = await startRedis();
    const r = await redis.client();
    const seen: string[][] = [];
    const restUrl = await restProxy((args) => r.sendCommand(args), seen);
    const up = await startEverythingHttp();
    const node = await startGateway({
      config: {
        gateway: { state: redis.url, instance_id: 'n', rate_limit_key: 'address', default_policy: { on_threat: 'block', rate_limit_rpm: 0 } },
        upstreams: [{ name: 'everything', url: up.url, policy: { rate_limit_rpm: LIMIT } }],
      },
    });
    mf = new Miniflare({
      scriptPath: join(DIST, 'worker.js'),
      modules: true,
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }, { type: 'Data', include: ['**/*.matcher'] }],
      compatibilityDate: '2026-07-01',
      bindings: { RAXE_GATEWAY_CONFIG: config(up.url), RAXE_REDIS_REST_URL: restUrl, RAXE_REDIS_REST_TOKEN: REST_TOKEN, RAXE_MCP_GATEWAY_INSTANCE_ID: 'w' },
      cf: false,
      host: '127.0.0.1',
      port: 0,
    });
    const workerUrl = new URL('/mcp', await mf.ready).href;
    // (Cloudflare sets CF-Connecting-IP on every request it delivers; workerd run locally does not)
    const fromEdge = { headers: { 'cf-connecting-ip': '127.0.0.1' } };

    // ---- one pin set: the Node instance pins the upstream's tools first; the worker reads the same record
    const cn = await connect(node.url);
    const cw = await connect(workerUrl, fromEdge);
    try {
      expect((await cn.client.listTools()).tools.map((t) => t.name)).toContain('echo');
      const [pinKey] = await r.keys('raxe:pins:everything@*');
      expect(pinKey).toBeDefined();
      expect((await cw.client.listTools()).tools.map((t) => t.name)).toContain('echo');
      expect(seen.some((c) => c[0] === 'HGETALL' && c[1] === pinKey)).toBe(true);
      // the fleet's pin of echo changes (as if the server had changed it under another instance): the worker withholds echo
      const pinned = JSON.parse(String(await r.hGet(pinKey, 'tool:echo')));
      await r.hSet(pinKey, 'tool:echo', JSON.stringify({ ...pinned, hash: '0'.repeat(pinned.hash.length), fields: { ...pinned.fields, description: 'x' } }));
      expect((await cw.client.listTools()).tools.map((t) => t.name)).not.toContain('echo');
      expect((await rpcError(call(cw, 'echo', { message: 'hi' }))).data.rule_ids).toEqual(['tool-rug-pull']);

      // ---- one rate limit: what is left of LIMIT through the Node instance, the next call through the worker is refused
      const key = 'raxe:rl:everything:addr:127.0.0.1';
      await r.del(key);
      for (let i = 0; i < LIMIT; i++) await call(cn, 'get-sum', { a: i, b: 1 });
      const refused = await rpcError(call(cw, 'get-sum', { a: 1, b: 1 }));
      expect(refused.code).toBe(-32000);
      expect(await r.keys('raxe:rl:everything:*')).toEqual([key]);
    } finally {
      await cn.close();
      await cw.close();
      await node.stop();
      await up.stop();
    }
  });
});
