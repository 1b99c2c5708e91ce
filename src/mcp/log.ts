/** A levelled logger that writes to stderr (console.error): stdout belongs to MCP messages. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
export const LOG_LEVELS = Object.keys(ORDER) as LogLevel[];

export interface Logger {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
  /** Whether lines of this level are written (lets callers skip building them). */
  enabled?(level: LogLevel): boolean;
}

export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => console.error(l)): Logger {
  if (!(level in ORDER)) throw new Error(`unknown log level "${level}" (use ${LOG_LEVELS.join(', ')})`);
  const min = ORDER[level];
  const at = (l: LogLevel) => (msg: string) => {
    if (ORDER[l] >= min) write(`[raxe ${l}] ${msg}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), enabled: (l) => ORDER[l] >= min };
}
