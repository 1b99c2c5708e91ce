/**
 * The `-u "COMMAND"` line of an upstream: split into argv, and quoted back
 * (audit --fix writes `-u` values). Two rules, by the platform the gateway
 * runs on, so a path means what its platform means by it:
 *
 * POSIX (Linux, macOS): words split on whitespace; '...' keeps everything
 * as written; "..." groups, with \" and \\ inside it standing for " and \;
 * outside quotes a backslash escapes a quote, a space or a backslash
 * (`my\ dir` -> `my dir`). A backslash before anything else is kept as it
 * is, so `C:\Users\me` stays `C:\Users\me` (a shell would drop them).
 *
 * Windows: the rules of the Microsoft C runtime (CommandLineToArgvW), as
 * every Windows program splits its own command line: backslashes are
 * literal (`C:\Users\me`), except before a double quote: 2n backslashes and
 * a quote are n backslashes and a grouping quote, 2n+1 backslashes and a
 * quote are n backslashes and a literal quote; "" inside quotes is a quote.
 * Single quotes are ordinary characters (`C:\Users\O'Brien`).
 */
import { ConfigError } from './errors.js';

export type CommandPlatform = 'posix' | 'win32';

/** The platform of this process ('posix' outside Windows and where there is no `process`). */
export function hostPlatform(): CommandPlatform {
  return (globalThis as { process?: { platform?: string } }).process?.platform === 'win32' ? 'win32' : 'posix';
}

/** Splits a command line into argv by `platform`'s rule (see the file's comment); throws ConfigError on an open quote. */
export function splitCommand(cmd: string, platform: CommandPlatform = hostPlatform()): string[] {
  return platform === 'win32' ? splitWindows(cmd) : splitPosix(cmd);
}

function splitPosix(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let q: string | null = null;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    const next = cmd[i + 1];
    if (q === "'") {
      if (c === q) q = null;
      else cur += c;
    } else if (q === '"') {
      if (c === q) q = null;
      else if (c === '\\' && (next === '"' || next === '\\')) cur += cmd[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      has = true;
    } else if (c === '\\' && next !== undefined && (next === '"' || next === "'" || next === '\\' || /\s/.test(next))) {
      cur += cmd[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (q) throw new ConfigError([`unterminated ${q} quote in upstream command: ${cmd}`]);
  if (has || cur) out.push(cur);
  return out;
}

function splitWindows(cmd: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quoted = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i];
    if (c === '\\') {
      let n = 0;
      while (cmd[i + n] === '\\') n++;
      if (cmd[i + n] === '"') {
        cur += '\\'.repeat(n >> 1);
        if (n % 2 === 1) {
          cur += '"';
          i += n; // past the quote
        } else i += n - 1; // the quote is read next, as a quote
      } else {
        cur += '\\'.repeat(n);
        i += n - 1;
      }
      has = true;
    } else if (c === '"') {
      if (quoted && cmd[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
      has = true;
    } else if (!quoted && /\s/.test(c)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (quoted) throw new ConfigError([`unterminated " quote in upstream command: ${cmd}`]);
  if (has || cur) out.push(cur);
  return out;
}

/** Quotes one argument so that splitCommand(…, platform) gives it back unchanged. */
export function quoteArg(a: string, platform: CommandPlatform = hostPlatform()): string {
  if (platform === 'win32') {
    if (/^[A-Za-z0-9_@%+=:,./\\-]+$/.test(a) && !a.includes('"')) return a;
    // MSVC: backslashes before a quote (or before the closing quote) are doubled, a quote is escaped
    return `"${a.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
  }
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a)) return a;
  if (!a.includes("'")) return `'${a}'`;
  return `"${a.replace(/["\\]/g, '\\$&')}"`;
}

/** A command line for `-u`: `["npx", "-y", "pkg", "/my dir"]` -> `npx -y pkg '/my dir'` (POSIX). */
export function quoteCommand(argv: string[], platform: CommandPlatform = hostPlatform()): string {
  return argv.map((a) => quoteArg(a, platform)).join(' ');
}
