/**
 * `raxe/http`: the HTTP gateway — MCP's Streamable HTTP at /mcp in front of
 * the configured upstreams — as a Hono app with a plain `fetch` handler, for
 * any runtime that speaks Request/Response (Deno, Bun, Node with
 * @hono/node-server, workers). Web APIs only: stdio upstreams need a
 * `stdioChannel` from the host runtime; `url:` upstreams work everywhere.
 *
 * @example
 *   import { createScanner } from 'raxe';
 *   import { createHttpGateway, GatewayConfig } from 'raxe/http';
 *   const config = GatewayConfig.from({ upstreams: [{ name: 'docs', url: 'http://127.0.0.1:9000/mcp' }] });
 *   const gw = createHttpGateway({ config, scanner: await createScanner() });
 *   Deno.serve({ port: 8080, hostname: '127.0.0.1' }, gw.fetch);  // or Bun.serve({ fetch: gw.fetch })
 */
import { createHttpGateway as createApp, type HttpGateway, type HttpGatewayOptions } from '../http/app.js';
import { createLogger, type Logger } from '../mcp/log.js';
import { WebGatewayConfig } from './gateway-config.js';

export type { HttpGateway } from '../http/app.js';
export type { ConnInfo, FetchHandler } from '../http/serve.js';
export type { GatewayFile, UpstreamConfig, Policy } from '../mcp/gateway/config.js';
export type { GatewayConfigInput } from './gateway-config.js';
export type { Logger, LogLevel } from '../mcp/log.js';
export { ConfigError } from '../mcp/gateway/config.js';

/** Options of createHttpGateway; `logger` defaults to raxe's stderr logger at info. */
export type CreateHttpGatewayOptions = Omit<HttpGatewayOptions, 'logger'> & { logger?: Logger };

/**
 * The gateway app: `fetch(request, info?)` serves /mcp, /healthz and
 * /stats; `close()` releases every session's upstreams. One instance serves
 * many client sessions.
 */
export function createHttpGateway(options: CreateHttpGatewayOptions): HttpGateway {
  return createApp({ ...options, logger: options.logger ?? createLogger('info') });
}

/** Gateway configurations from an object or YAML text (raxe/mcp adds `load(path)`). */
export const GatewayConfig = WebGatewayConfig;
