/**
 * raxe's MCP gateway on Cloudflare Workers: the same Hono app as
 * `raxe mcp gateway --listen http`, in front of remote (url:) upstreams
 * only — a Worker cannot start processes. Built by the project's esbuild
 * step (scripts/build.js) into examples/workers/dist/ with the engine
 * (raxe.wasm, a CompiledWasm module: Workers compile no wasm at run time)
 * and the built-in rule pack (its JSON bundled, its precompiled matcher a
 * Data module). L1 rules only: see README.md for why not L2.
 *
 * Bindings (wrangler.toml [vars], secrets with `wrangler secret put`):
 *   RAXE_GATEWAY_CONFIG        the mcp-security.yaml text (url: upstreams only)
 *   RAXE_MCP_GATEWAY_TOKEN     the bearer token clients send (required unless served on loopback)
 *   RAXE_MCP_GATEWAY_*         as for the CLI (ON_THREAT, SEVERITY_THRESHOLD, INSTANCE_ID...)
 *   RAXE_REDIS_REST_URL, RAXE_REDIS_REST_TOKEN   shared state over HTTP (Upstash's REST protocol); none: this isolate's memory
 *   RAXE_LOG_LEVEL             debug, info (default), warn or error
 */
import wasm from './raxe.wasm';
import matcher from './builtin-pack.matcher';
import pack from '../../../dist/builtin-pack.json';
import { createScanner, loadEngine, type LoadedPack, type Scanner } from '../../../src/core/index.js';
import { createHttpGateway, type HttpGateway } from '../../../src/http/app.js';
import { isLoopback } from '../../../src/http/guards.js';
import { applyEnv, parseConfigText, type GatewayFile } from '../../../src/mcp/gateway/config.js';
import { LocalState, RedisState, restRedisPort, type GatewayState } from '../../../src/mcp/gateway/state/index.js';
import { createLogger } from '../../../src/mcp/log.js';

type Env = Record<string, string | undefined>;

let log = createLogger('info', (line) => console.log(line));

async function scanner(): Promise<Scanner> {
  // the matcher compiled at build time: compiling ~300 rules here would cost the first request a second of CPU
  return createScanner({ engine: await loadEngine(wasm), rules: (pack as unknown as LoadedPack).rules, precompiled: new Uint8Array(matcher), l2: null });
}

/** The config from the bindings: url: upstreams only, L2 off. Throws ConfigError naming the field. */
export function workerConfig(env: Env): GatewayFile {
  const file = applyEnv(parseConfigText(env.RAXE_GATEWAY_CONFIG ?? '', 'RAXE_GATEWAY_CONFIG'), env);
  const stdio = file.upstreams.filter((u) => !u.url).map((u) => u.name);
  if (stdio.length) throw new Error(`RAXE_GATEWAY_CONFIG: upstream(s) ${stdio.join(', ')} use command:, and a Worker cannot start processes: give them url: instead`);
  return { ...file, gateway: { ...file.gateway, listen: 'http', l2_enabled: false } };
}

function stateFor(env: Env): GatewayState {
  const local = new LocalState();
  if (!env.RAXE_REDIS_REST_URL) return local;
  return new RedisState({ port: restRedisPort({ url: env.RAXE_REDIS_REST_URL, token: env.RAXE_REDIS_REST_TOKEN }), local, logger: log, url: env.RAXE_REDIS_REST_URL });
}

// One gateway per isolate, built on its first request (Workers allow I/O only inside a request).
let gateway: Promise<HttpGateway> | null = null;

function gatewayFor(env: Env): Promise<HttpGateway> {
  gateway ??= (async () => {
    if (env.RAXE_LOG_LEVEL) log = createLogger(env.RAXE_LOG_LEVEL as 'debug', (line) => console.log(line));
    const config = workerConfig(env);
    return createHttpGateway({ config, scanner: await scanner(), logger: log, state: stateFor(env), keepAliveMs: 0, requestScopedIo: true });
  })().catch((e) => {
    gateway = null;
    throw e;
  });
  return gateway;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const host = new URL(request.url).hostname;
    if (!env.RAXE_MCP_GATEWAY_TOKEN && !isLoopback(host) && !isLoopback(host.replace(/^\[(.*)\]$/, '$1'))) {
      return Response.json({ error: 'This gateway has no token: set one with "wrangler secret put RAXE_MCP_GATEWAY_TOKEN" (clients send Authorization: Bearer <token>)' }, { status: 503 });
    }
    let gw: HttpGateway;
    try {
      gw = await gatewayFor(env);
    } catch (e) {
      return Response.json({ error: `The gateway cannot start: ${e instanceof Error ? e.message : String(e)}` }, { status: 500 });
    }
    return gw.fetch(request, { remoteAddress: request.headers.get('cf-connecting-ip') ?? undefined });
  },
};
