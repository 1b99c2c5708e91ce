/** The code behind the `raxe mcp` commands (mcp-command.ts declares them and imports this on use). */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from '../mcp/server/server.js';
import { createGateway, GatewayConfig } from '../mcp/node/gateway.js';
import { applyFlags, ConfigError, SAMPLE_CONFIG, parseConfigText, type GatewayFile } from '../mcp/gateway/config.js';
import { createLogger, LOG_LEVELS, type LogLevel, type Logger } from '../mcp/log.js';
import type { L2Runtime } from '../core/index.js';
import { loadScanner } from './load-scanner.js';
import { CliError, many, STDIN } from './errors.js';
import { hostEntry } from '../audit/node/launcher.js';


/**
 * The largest --max-message-bytes: 1 GiB. A message is held whole in memory
 * (and scanned) before it is relayed, so a bigger limit only invites a host or
 * upstream to exhaust memory; real MCP messages stay far below it.
 */
export const MAX_MESSAGE_BYTES_FLAG = 1024 * 1024 * 1024;

function intOption(o: Record<string, unknown>, key: string, flag: string, def: number, min: number, max: number): number {
  if (o[key] === undefined) return def;
  const v = Number(o[key]);
  if (!Number.isInteger(v) || v < min || v > max) throw new CliError(`${flag} must be a whole number from ${min} to ${max} (got "${o[key]}")`, 2);
  return v;
}

/** --log-level (or -v: debug), lowered to warn by -q when it is info. */
function loggerOf(o: Record<string, unknown>): Logger {
  const level = String(o.logLevel ?? (o.verbose ? 'debug' : 'info')) as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}")`, 2);
  return createLogger(o.quiet && level === 'info' ? 'warn' : level);
}

export async function serve(o: Record<string, unknown>): Promise<void> {
  const transport = String(o.transport ?? 'stdio');
  if (transport !== 'stdio') throw new CliError(`--transport must be stdio (got "${transport}"); for HTTP use raxe mcp gateway --listen http`, 2);
  const logger = loggerOf(o);
  const maxInputBytes = intOption(o, 'maxInputBytes', '--max-input-bytes', 1024 * 1024, 1, 64 * 1024 * 1024);
  const rateLimitRpm = intOption(o, 'rateLimitRpm', '--rate-limit-rpm', 60, 0, 9999);
  const { scanner, l2 } = await loadScanner(many(o.rules), { l2: o.l2 !== false });
  warmUp(l2, logger);
  const server = createServer({ scanner, logger, maxInputBytes, rateLimitRpm });
  await server.run();
}

export async function gateway(o: Record<string, unknown>): Promise<void> {
  const flags = {
    upstream: many(o.upstream),
    onThreat: o.onThreat as string | undefined,
    severityThreshold: o.severityThreshold as string | undefined,
    l2: o.l2 === false ? false : undefined,
    listen: o.listen === undefined ? undefined : String(o.listen),
    host: o.host === undefined ? undefined : String(o.host),
    port: o.port === undefined ? undefined : intOption(o, 'port', '--port', 0, 0, 65535),
    rateLimitRpm: o.rateLimitRpm === undefined ? undefined : intOption(o, 'rateLimitRpm', '--rate-limit-rpm', 0, 0, 9999),
  };
  let config: GatewayFile;
  try {
    const base = o.config ? GatewayConfig.load(String(o.config)) : GatewayConfig.fromFlags({});
    config = applyFlags(base, flags);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliError(`invalid gateway configuration:\n${e.message}`, 2);
    throw e;
  }
  // the limits flags set: above the file and the environment, like every flag
  const g = config.gateway;
  if (o.maxMessageBytes !== undefined) g.max_message_bytes = intOption(o, 'maxMessageBytes', '--max-message-bytes', g.max_message_bytes, 1, MAX_MESSAGE_BYTES_FLAG);
  if (config.upstreams.length === 0) throw new CliError('no upstream: give -u "COMMAND" (repeatable) or a config file with upstreams (-c FILE)', 2);
  const logger = loggerOf(o);
  // the scan workers load their own scanner from the same spec (rules and L2)
  const scannerSpec = { rules: [...config.gateway.rules, ...many(o.rules)], l2: config.gateway.l2_enabled };
  const { scanner, l2 } = await loadScanner(scannerSpec.rules, { l2: scannerSpec.l2 });
  warmUp(l2, logger);
  if (config.gateway.listen === 'http') {
    // imported on use: only the HTTP gateway needs the HTTP server
    const { runHttpGateway } = await import('../http/run.js');
    let stats;
    try {
      stats = await runHttpGateway(config, { scanner, logger, scannerSpec });
    } catch (e) {
      throw new CliError(e instanceof Error ? e.message : String(e), 2);
    }
    logger.info(`gateway stopped: ${JSON.stringify(stats)}`);
    return;
  }
  const gw = createGateway(config, { scanner, logger, scannerSpec });
  await gw.run();
  logger.info(`gateway stopped: ${JSON.stringify(gw.getStats())}`);
}

export async function generateConfig(o: Record<string, unknown>): Promise<void> {
  const path = o.output === STDIN ? '-' : String(o.output ?? 'mcp-security.yaml');
  if (path === '-') {
    process.stdout.write(SAMPLE_CONFIG);
    return;
  }
  if (existsSync(path) && !o.force) throw new CliError(`${path} exists; use --force to overwrite or -o to choose another path`, 2);
  parseConfigText(SAMPLE_CONFIG, path); // the sample must stay valid
  writeFileSync(path, SAMPLE_CONFIG);
  const entry = hostEntry(['mcp', 'gateway', '-c', resolve(path)]);
  process.stderr.write(
    `wrote ${path}\n` +
      `To run it from an MCP host, add this server to the host's config (e.g. "mcpServers" in claude_desktop_config.json):\n` +
      `  "raxe-gateway": ${JSON.stringify(entry)}\n`,
  );
}

/** Creates the L2 session in the background, so the first scan does not wait for it. */
function warmUp(l2: L2Runtime | null, logger: Logger): void {
  if (!l2) return;
  l2.predict('warm up').then(
    () => logger.info(`L2 model ready (session created in ${l2.sessionMs().toFixed(0)} ms)`),
    (e) => logger.error(`L2 model failed to load: ${e instanceof Error ? e.message : e}`),
  );
}
