/** `raxe mcp serve`, gateway, audit and generate-config. */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createServer } from '../mcp/server/server.js';
import { createGateway, GatewayConfig } from '../mcp/node/gateway.js';
import { applyFlags, ConfigError, SAMPLE_CONFIG, parseConfigText, type GatewayFile } from '../mcp/gateway/config.js';
import { createLogger, LOG_LEVELS, type LogLevel, type Logger } from '../mcp/log.js';
import type { L2Runtime } from '../core/index.js';
import { loadScanner } from './load-scanner.js';
import { CliError, many, STDIN } from './errors.js';
import { runAudit } from '../audit/node/command.js';
import { hostEntry } from '../audit/node/launcher.js';
import { NO_L2_OPTION, RULES_OPTION, type CommandSpec, type OptionSpec } from './command.js';

const LOG_LEVEL: OptionSpec = { flags: '--log-level <level>', description: 'debug, info, warn or error (logs go to stderr)', default: 'info' };
const QUIET: OptionSpec = { flags: '-q, --quiet', description: 'No start-up banner or other info lines: warnings and errors only' };

export const mcpCommands: CommandSpec[] = [
  {
    name: 'mcp serve',
    description: 'raxe as an MCP server on stdio: tools scan_prompt, list_threat_families, get_rule_info',
    options: [
      { flags: '--transport <transport>', description: 'Transport: stdio (for HTTP use raxe mcp gateway --listen http)', default: 'stdio' },
      LOG_LEVEL,
      QUIET,
      RULES_OPTION,
      NO_L2_OPTION,
      { flags: '--max-input-bytes <n>', description: 'Largest text scan_prompt accepts, in UTF-8 bytes (1 to 67108864)', default: 1024 * 1024 },
      { flags: '--rate-limit-rpm <n>', description: 'Tool calls per minute; 0 = unlimited', default: 60 },
    ],
    examples: ['raxe mcp serve', 'raxe mcp serve --rules ./my-pack --rate-limit-rpm 120 -q'],
    run: (_, o) => serve(o),
  },
  {
    name: 'mcp gateway',
    description: 'The MCP security gateway: a proxy that scans the traffic between an MCP host and its servers',
    options: [
      { flags: '-u, --upstream <command>', description: 'Upstream MCP server command line (repeatable)' },
      { flags: '-c, --config <path>', description: 'Gateway config file (YAML; see raxe mcp generate-config)' },
      { flags: '--on-threat <action>', description: 'log, block or warn (default: log, or the config file, or RAXE_MCP_GATEWAY_ON_THREAT)' },
      { flags: '--severity-threshold <level>', description: 'LOW, MEDIUM, HIGH or CRITICAL (default: HIGH, or the config file, or RAXE_MCP_GATEWAY_SEVERITY_THRESHOLD)' },
      { flags: '--rate-limit-rpm <n>', description: 'Requests per minute per client and per upstream, 0 = unlimited (default: the config file\'s default_policy; unset: no limit on stdio, 1200 per client over HTTP)' },
      { flags: '--max-message-bytes <n>', description: 'Largest message relayed, in bytes (default: 10485760, or the config file)' },
      NO_L2_OPTION,
      RULES_OPTION,
      { flags: '--listen <mode>', description: 'stdio, or http for Streamable HTTP at /mcp (default: stdio, or the config file)' },
      { flags: '--host <host>', description: 'With --listen http: address to bind (default: 127.0.0.1, or RAXE_MCP_GATEWAY_HOST)' },
      { flags: '--port <port>', description: 'With --listen http: port, 0 picks a free one (default: 8080, or RAXE_MCP_GATEWAY_PORT)' },
      { flags: '-v, --verbose', description: 'Verbose logging (same as --log-level debug)' },
      { flags: '--log-level <level>', description: 'debug, info, warn or error (logs go to stderr; default: info)' },
      QUIET,
    ],
    examples: [
      'raxe mcp gateway -u "npx -y @modelcontextprotocol/server-filesystem@2026.8.31 /tmp" --on-threat block',
      'raxe mcp gateway -c mcp-security.yaml --rate-limit-rpm 600',
      'raxe mcp gateway --listen http --port 8080 -c mcp-security.yaml',
    ],
    run: (_, o) => gateway(o),
  },
  {
    name: 'mcp audit',
    args: '[...files]',
    description: 'Audit MCP client configs (Claude Desktop, Cursor, VS Code...; the usual places when no file is given)',
    options: [
      { flags: '--format <format>', description: 'table, json or sarif', default: 'table' },
      { flags: '--json', description: 'Same as --format json' },
      { flags: '--fail-on <level>', description: 'Exit 1 at or above critical, high, medium, low or info; none: never', default: 'high' },
      { flags: '--scan-tools', description: 'Start each stdio server and scan its tool, prompt and resource descriptions' },
      { flags: '--timeout <seconds>', description: 'With --scan-tools: time each server gets', default: 15 },
      { flags: '--fix', description: 'Print the configs with every stdio server behind raxe mcp gateway (this raxe, by absolute path)' },
      { flags: '--write', description: 'With --fix: write the files back (the originals are kept as FILE.bak)' },
      RULES_OPTION,
      NO_L2_OPTION,
    ],
    examples: ['raxe mcp audit ~/.config/Claude/claude_desktop_config.json --format sarif', 'raxe mcp audit .cursor/mcp.json --fix --write'],
    run: ([files], o) => runAudit(files as string[], o),
  },
  {
    name: 'mcp pins',
    args: '[action] [...names]',
    description: 'Review and accept tool-definition changes the gateway flagged: list | diff | accept [UPSTREAM] [TOOL] | reset [UPSTREAM]',
    options: [
      { flags: '-c, --config <path>', description: 'Gateway config file (its gateway.state_dir holds the pins; default: the user config dir)' },
      { flags: '--json', description: 'list: output JSON' },
    ],
    examples: ['raxe mcp pins list', 'raxe mcp pins diff filesystem', 'raxe mcp pins accept filesystem read_file'],
    run: async ([action, names], o) => (await import('./pins-command.js')).runPins([action as string, ...((names as string[]) ?? [])].filter((x) => x !== undefined), o),
  },
  {
    name: 'mcp generate-config',
    description: 'Write a sample gateway config (mcp-security.yaml) and print the host entry that runs it',
    options: [
      { flags: '-o, --output <path>', description: 'Where to write it ("-": stdout)', default: 'mcp-security.yaml' },
      { flags: '--force', description: 'Overwrite an existing file' },
    ],
    examples: ['raxe mcp generate-config -o mcp-security.yaml'],
    run: (_, o) => generateConfig(o),
  },
];

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

async function serve(o: Record<string, unknown>): Promise<void> {
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

async function gateway(o: Record<string, unknown>): Promise<void> {
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
  const { scanner, l2 } = await loadScanner([...config.gateway.rules, ...many(o.rules)], { l2: config.gateway.l2_enabled });
  warmUp(l2, logger);
  if (config.gateway.listen === 'http') {
    // imported on use: only the HTTP gateway needs the HTTP server
    const { runHttpGateway } = await import('../http/run.js');
    let stats;
    try {
      stats = await runHttpGateway(config, { scanner, logger });
    } catch (e) {
      throw new CliError(e instanceof Error ? e.message : String(e), 2);
    }
    logger.info(`gateway stopped: ${JSON.stringify(stats)}`);
    return;
  }
  const gw = createGateway(config, { scanner, logger });
  await gw.run();
  logger.info(`gateway stopped: ${JSON.stringify(gw.getStats())}`);
}

async function generateConfig(o: Record<string, unknown>): Promise<void> {
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
