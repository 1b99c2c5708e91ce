/**
 * The gateway's TypeScript API on Node (mirroring the spec's Python one):
 *
 *   const config = GatewayConfig.load('mcp-security.yaml');
 *   const gateway = await createGateway(config);
 *   await gateway.run();            // stdio until the host closes
 *   gateway.getStats();             // requests_total, requests_blocked, threats_detected, ...
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Gateway } from '../gateway/gateway.js';
import { LineReader } from '../gateway/framing.js';
import { applyEnv, applyFlags, ConfigError, GatewayFileSchema, parseConfigText, type GatewayFile, type GatewayFlags } from '../gateway/config.js';
import { createLogger, type Logger } from '../log.js';
import type { Scanner } from '../../core/index.js';
import type { Message } from '../gateway/jsonrpc.js';
import { ChildProcessChannel } from './channel.js';
import { HttpUpstreamChannel } from '../gateway/http-upstream.js';
import { configDir, FileAuditSink, FilePinStore } from './stores.js';

export const GatewayConfig = {
  /** Reads and validates a config file, then applies RAXE_MCP_GATEWAY_* variables. Throws ConfigError. */
  load(path: string, env: NodeJS.ProcessEnv = process.env): GatewayFile {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new ConfigError([`${path}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? e})`]);
    }
    return applyEnv(parseConfigText(text, path), env);
  },
  /** Defaults + env + flags, with no file. */
  fromFlags(flags: GatewayFlags, env: NodeJS.ProcessEnv = process.env): GatewayFile {
    return applyFlags(applyEnv(GatewayFileSchema.parse({}), env), flags);
  },
};

export interface NodeGatewayOptions {
  /** The scanner (the CLI builds it from the built-in and configured packs). */
  scanner: Scanner;
  logger?: Logger;
  /** Where tool pins live (default: the user's config dir). */
  stateDir?: string;
}

export interface NodeGateway {
  readonly core: Gateway;
  /** Serves the host on this process's stdin/stdout until stdin closes. */
  run(): Promise<void>;
  getStats(): Record<string, unknown>;
  close(): Promise<void>;
}

export function createGateway(config: GatewayFile, opts: NodeGatewayOptions): NodeGateway {
  const log = opts.logger ?? createLogger('info');
  const g = config.gateway;
  const dir = g.state_dir ?? opts.stateDir ?? configDir();
  const out = process.stdout;
  const core = new Gateway({
    config,
    scanner: opts.scanner,
    channel: (u) => (u.url ? new HttpUpstreamChannel(u, { logger: log, maxBytes: g.max_message_bytes }) : new ChildProcessChannel(u, log, g.max_message_bytes)),
    send: (msg: Message) => {
      out.write(JSON.stringify(msg) + '\n');
    },
    logger: log,
    audit: g.telemetry_enabled ? new FileAuditSink(g.audit_log ?? join(dir, 'gateway-audit.jsonl'), log, g.sink_url) : undefined,
    pins: new FilePinStore(join(dir, 'tool-pins.json'), log),
  });
  return {
    core,
    getStats: () => core.getStats(),
    close: () => core.close(),
    async run() {
      const reader = new LineReader(g.max_message_bytes, {
        line: (l) => core.handleLine(l),
        tooLarge: (n) => core.handleTooLarge(n),
      });
      await new Promise<void>((resolve) => {
        // handlers first, banner after: a signal sent on seeing the banner stops the gateway gracefully
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        process.stdin.on('data', (c: Buffer) => reader.push(c));
        process.stdin.once('end', () => {
          reader.end();
          resolve();
        });
        log.info(`raxe MCP gateway on stdio: ${config.upstreams.map((u) => u.name).join(', ') || 'no upstreams'}; on_threat=${g.default_policy.on_threat ?? 'log'}`);
      });
      await core.close();
    },
  };
}
