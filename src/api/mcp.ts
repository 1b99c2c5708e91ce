/**
 * `raxe/mcp`: raxe's MCP server and the MCP security gateway as a library
 * (Node, Deno, Bun: the gateway starts stdio upstreams as child processes),
 * mirroring the spec's Python API:
 *
 *   const server = await createServer();                    // create_server()
 *   await server.run();                                     // stdio until the host closes
 *
 *   const config = GatewayConfig.load('mcp-security.yaml'); // GatewayConfig.load(...)
 *   const gateway = await createGateway(config);            // create_gateway(config)
 *   await gateway.run();
 *   gateway.getStats().requests_blocked;                    // get_stats()
 *
 * Without a `scanner`, both build one like the CLI: the built-in rules, the
 * config's `gateway.rules` folders, L2 unless turned off.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Scanner } from '../core/index.js';
import { createServer as createMcpServer } from '../mcp/server/server.js';
import { createGateway as createNodeGateway, GatewayConfig as NodeGatewayConfig } from '../mcp/node/gateway.js';
import { createLogger, type Logger, type LogLevel } from '../mcp/log.js';
import type { UpstreamStats } from '../mcp/gateway/stats.js';
import type { GatewayFile } from '../mcp/gateway/config.js';
import { WebGatewayConfig } from './gateway-config.js';
import { createScanner } from './node.js';
import type { CreateScannerOptions } from './scanner.js';

export { ConfigError } from '../mcp/gateway/config.js';
export type { GatewayFile, UpstreamConfig, Policy } from '../mcp/gateway/config.js';
export type { GatewayConfigInput } from './gateway-config.js';
export type { Logger, LogLevel } from '../mcp/log.js';
export type { UpstreamStats } from '../mcp/gateway/stats.js';

/** Where log lines go: a Logger of your own, or a level for raxe's stderr logger (default info). */
export interface LogOptions {
  logger?: Logger;
  logLevel?: LogLevel;
  /** Shorthand for logLevel "debug" (the spec's verbose=True). */
  verbose?: boolean;
}

const loggerOf = (o: LogOptions): Logger => o.logger ?? createLogger(o.verbose ? 'debug' : o.logLevel ?? 'info');

export interface ServerOptions extends LogOptions {
  /** The scanner to serve; without it one is built from `rules` and `l2` (see createScanner). */
  scanner?: Scanner;
  rules?: CreateScannerOptions['rules'];
  l2?: boolean;
  /** Largest `text` scan_prompt accepts, in UTF-8 bytes (default 1 MiB). */
  maxInputBytes?: number;
  /** Tool calls per minute; 0 = unlimited (default 60). */
  rateLimitRpm?: number;
}

/** raxe as an MCP server: tools scan_prompt, list_threat_families, get_rule_info. */
export interface McpScanServer {
  /** Serves over stdio until the input closes. */
  run(): Promise<void>;
  /** Serves over any MCP SDK transport (e.g. an in-memory pair). */
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

/** Builds raxe's MCP server (the spec's `create_server`). */
export async function createServer(options: ServerOptions = {}): Promise<McpScanServer> {
  const scanner = options.scanner ?? (await createScanner({ rules: options.rules, l2: options.l2 }));
  const s = createMcpServer({ scanner, logger: loggerOf(options), maxInputBytes: options.maxInputBytes, rateLimitRpm: options.rateLimitRpm });
  return { run: () => s.run(), connect: (t) => s.connect(t), close: () => s.close() };
}

/** The spec's `get_stats()`: counters since start, and per upstream. */
export interface GatewayStats {
  requests_total: number;
  requests_blocked: number;
  threats_detected: number;
  rate_limited: number;
  parse_errors: number;
  oversized_messages: number;
  upstreams: Record<string, UpstreamStats>;
  [more: string]: unknown;
}

export interface GatewayOptions extends LogOptions {
  /** The scanner; without it one is built from the built-in rules, `gateway.rules` and `gateway.l2_enabled`. */
  scanner?: Scanner;
  /** Where tool pins and the audit log live when `gateway.state_dir` is not set (default: the user's config dir). */
  stateDir?: string;
}

/** The MCP security gateway on stdio (the spec's `create_gateway`). */
export interface McpGateway {
  /** Serves the host on this process's stdin/stdout until stdin closes (or SIGINT/SIGTERM); then closes the upstreams. */
  run(): Promise<void>;
  getStats(): GatewayStats;
  close(): Promise<void>;
}

/** Builds the gateway for `config` (from GatewayConfig.load or GatewayConfig.from). */
export async function createGateway(config: GatewayFile, options: GatewayOptions = {}): Promise<McpGateway> {
  const scanner = options.scanner ?? (await createScanner({ rules: config.gateway.rules, l2: config.gateway.l2_enabled }));
  const gw = createNodeGateway(config, { scanner, logger: loggerOf(options), stateDir: options.stateDir });
  return { run: () => gw.run(), getStats: () => gw.getStats() as GatewayStats, close: () => gw.close() };
}

/** Gateway configurations: from a file, an object or YAML text (the spec's `GatewayConfig`). */
export const GatewayConfig = {
  /**
   * Reads and validates a config file, then applies RAXE_MCP_GATEWAY_*
   * variables from `env` (default: this process's, as the CLI does). Throws
   * ConfigError naming file:line:col and the field.
   */
  load(path: string, env: Record<string, string | undefined> = process.env): GatewayFile {
    return NodeGatewayConfig.load(path, env);
  },
  from: WebGatewayConfig.from,
  parse: WebGatewayConfig.parse,
};
