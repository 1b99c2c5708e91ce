/**
 * `raxe mcp gateway --listen http`: the app wired to this machine — stdio
 * upstreams as child processes, tool pins and the audit log under the
 * user's config dir — and served by the shim of the runtime it runs on
 * (Node, Deno or Bun; all three provide node:child_process and node:fs).
 * Stops on SIGINT/SIGTERM: no new connections, requests in flight finish,
 * then the upstreams are closed.
 */
import { join } from 'node:path';
import type { Scanner } from '../core/index.js';
import type { GatewayFile } from '../mcp/gateway/config.js';
import type { Logger } from '../mcp/log.js';
import { ChildProcessChannel } from '../mcp/node/channel.js';
import { configDir, FileAuditSink, FilePinStore } from '../mcp/node/stores.js';
import { createHttpGateway, type HttpGateway } from './app.js';
import type { RunningServer, Serve } from './serve.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8080;

/** The runtime this process runs on. */
export function runtimeName(): 'deno' | 'bun' | 'node' {
  const g = globalThis as { Deno?: { serve?: unknown }; Bun?: { serve?: unknown } };
  if (typeof g.Deno?.serve === 'function') return 'deno';
  if (typeof g.Bun?.serve === 'function') return 'bun';
  return 'node';
}

/** The serve shim of the runtime this process runs on. */
export async function serveForRuntime(): Promise<Serve> {
  switch (runtimeName()) {
    case 'deno': return (await import('./serve-deno.js')).serve;
    case 'bun': return (await import('./serve-bun.js')).serve;
    default: return (await import('./serve-node.js')).serve;
  }
}

export interface StartOptions {
  scanner: Scanner;
  logger: Logger;
  /** Where pins and the audit log go when gateway.state_dir is not set. */
  stateDir?: string;
}

export interface StartedGateway {
  gateway: HttpGateway;
  server: RunningServer;
  url: string;
  /** Graceful stop: drains requests in flight (up to `graceMs`), closes the sessions and the listener. */
  stop(graceMs?: number): Promise<void>;
}

/** Builds the app for this machine and starts listening (gateway.host / gateway.port). */
export async function startHttpGateway(config: GatewayFile, o: StartOptions): Promise<StartedGateway> {
  const g = config.gateway;
  const log = o.logger;
  const dir = g.state_dir ?? o.stateDir ?? configDir();
  const gateway = createHttpGateway({
    config,
    scanner: o.scanner,
    logger: log,
    stdioChannel: (u) => new ChildProcessChannel(u, log, g.max_message_bytes),
    audit: g.telemetry_enabled ? new FileAuditSink(g.audit_log ?? join(dir, 'gateway-audit.jsonl'), log, g.sink_url) : undefined,
    pins: new FilePinStore(join(dir, 'tool-pins.json'), log),
  });
  const hostname = g.host ?? DEFAULT_HOST;
  const serve = await serveForRuntime();
  let server: RunningServer;
  try {
    server = await serve({ fetch: gateway.fetch, hostname, port: g.port ?? DEFAULT_PORT });
  } catch (e) {
    const code = (e as { code?: string }).code ?? (e instanceof Error ? e.name : '');
    if (/EADDRINUSE|AddrInUse/i.test(code) || /in use/i.test(String(e))) {
      throw new Error(`${hostname}:${g.port ?? DEFAULT_PORT} is in use: choose another port with --port or RAXE_MCP_GATEWAY_PORT (0 picks a free one)`);
    }
    throw e;
  }
  const shown = hostname.includes(':') ? `[${hostname}]` : hostname;
  const url = `http://${shown}:${server.port}/mcp`;
  let stopping: Promise<void> | null = null;
  return {
    gateway,
    server,
    url,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        const closed = server.close(graceMs);
        await gateway.drain(graceMs);
        await gateway.close();
        await closed;
      })();
      return stopping;
    },
  };
}

/** Serves until SIGINT or SIGTERM, then stops gracefully; resolves with the final stats. */
export async function runHttpGateway(config: GatewayFile, o: StartOptions): Promise<Record<string, unknown>> {
  // the signal handlers come before the "listening on" line: whoever reads that
  // line may stop the gateway at once, and a signal with no handler yet would
  // kill the process instead of stopping it gracefully
  let signalled!: () => void;
  const stopRequested = new Promise<void>((resolve) => (signalled = resolve));
  process.once('SIGINT', signalled);
  process.once('SIGTERM', signalled);
  let started: StartedGateway;
  try {
    started = await startHttpGateway(config, o);
  } catch (e) {
    process.off('SIGINT', signalled);
    process.off('SIGTERM', signalled);
    throw e;
  }
  const g = config.gateway;
  o.logger.info(
    `raxe MCP gateway (${runtimeName()}) listening on ${started.url}: ${config.upstreams.map((u) => u.name).join(', ') || 'no upstreams'}; ` +
      `on_threat=${g.default_policy.on_threat ?? 'log'}; token ${g.token ? 'required' : 'not set'}`,
  );
  await stopRequested;
  o.logger.info('stopping: finishing requests in flight, then closing the upstreams');
  await started.stop();
  return started.gateway.stats();
}
