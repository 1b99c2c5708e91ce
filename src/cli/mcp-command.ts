/** `raxe mcp serve` (and later gateway, audit, generate-config). */
import { createServer } from '../mcp/server/server.js';
import { createLogger, LOG_LEVELS, type LogLevel } from '../mcp/log.js';
import { loadScanner } from './load-scanner.js';
import { CliError, many } from './errors.js';

export async function runMcp(action: string | undefined, o: Record<string, unknown>): Promise<void> {
  switch (action) {
    case 'serve': return serve(o);
    case undefined: throw new CliError('mcp needs an action: serve', 2);
    default: throw new CliError(`unknown mcp action "${action}" (use serve)`, 2);
  }
}

function intOption(o: Record<string, unknown>, key: string, flag: string, def: number, min: number, max: number): number {
  if (o[key] === undefined) return def;
  const v = Number(o[key]);
  if (!Number.isInteger(v) || v < min || v > max) throw new CliError(`${flag} must be a whole number from ${min} to ${max} (got "${o[key]}")`, 2);
  return v;
}

async function serve(o: Record<string, unknown>): Promise<void> {
  const transport = String(o.transport ?? 'stdio');
  if (transport !== 'stdio') throw new CliError(`--transport must be stdio (got "${transport}"); for HTTP use raxe mcp gateway --listen http`, 2);
  const level = String(o.logLevel ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new CliError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}")`, 2);
  const logger = createLogger(o.quiet && level === 'info' ? 'warn' : level);
  const maxInputBytes = intOption(o, 'maxInputBytes', '--max-input-bytes', 1024 * 1024, 1, 64 * 1024 * 1024);
  const rateLimitRpm = intOption(o, 'rateLimitRpm', '--rate-limit-rpm', 60, 0, 9999);
  const { scanner } = await loadScanner(many(o.rules), { l2: o.l2 !== false });
  const server = createServer({ scanner, logger, maxInputBytes, rateLimitRpm });
  await server.run();
}
