/**
 * `raxe mcp audit --fix`: the config text with every stdio server moved
 * behind `raxe mcp gateway`. Only the server entries change (each one is
 * re-serialised in place), so the rest of the file, its comments and its
 * layout stay as they were.
 *
 *   "git": {"command": "uvx", "args": ["mcp-server-git"], "env": {...}}
 *   ->
 *   "git": {"command": "/usr/local/bin/node", "args": ["/usr/local/lib/node_modules/raxe/bin/raxe.js", "mcp", "gateway", "-u", "uvx mcp-server-git"], "env": {...}}
 *
 * The launcher (how the host starts raxe) is the caller's: the CLI passes
 * this raxe by absolute path (node/launcher.ts); never `npx raxe`, which
 * would fetch whatever the registry serves under that name.
 */
import { toValue } from './json.js';
import { quoteCommand } from './launch.js';
import type { ConfigFile } from './config.js';
import { entryArgv, viewServer } from './view.js';

export interface FixResult {
  text: string;
  /** Servers rewritten. */
  changed: string[];
  /** What was left alone, and why. */
  notes: string[];
}

/** How a host starts raxe: `command` with `args` before raxe's own ("mcp", "gateway", ...). */
export interface Launcher {
  command: string;
  args: string[];
}

/** The installed `raxe` command, found on the host's PATH. */
export const RAXE_ON_PATH: Launcher = { command: 'raxe', args: [] };

/** The args of a gateway entry wrapping `argv`, after the launcher's own. */
export function gatewayEntryArgs(argv: string[], launcher: Launcher = RAXE_ON_PATH): string[] {
  return [...launcher.args, 'mcp', 'gateway', '-u', quoteCommand(argv)];
}

function indentOf(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** JSON with objects spread over lines and short lists of strings or numbers kept on one line. */
export function pretty(v: unknown, unit: string, indent = ''): string {
  const inner = indent + unit;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const flat = `[${v.map((x) => JSON.stringify(x)).join(', ')}]`;
    if (v.every((x) => x === null || typeof x !== 'object') && flat.length + indent.length <= 100) return flat;
    return `[\n${v.map((x) => inner + pretty(x, unit, inner)).join(',\n')}\n${indent}]`;
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, unit, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function indentUnit(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? (m[1].startsWith('\t') ? '\t' : ' '.repeat(Math.min(m[1].length, 8))) : '  ';
}

/** Rewrites one config file's text; servers already behind the gateway, raxe's own server and remote servers are kept. */
export function fixConfig(file: ConfigFile, launcher: Launcher = RAXE_ON_PATH): FixResult {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const changed: string[] = [];
  const notes: string[] = [];
  const unit = indentUnit(file.text);
  const eol = file.text.includes('\r\n') ? '\r\n' : '\n';
  file.servers.forEach((s, k) => {
    const v = viewServer(s, k);
    if (v.url !== undefined || s.data.command === undefined) {
      notes.push(`${file.path}: server "${s.name}" is a remote (url) server: left as it is (the stdio gateway fronts local servers only)`);
      return;
    }
    if (v.gateway) return;
    if (v.raxeServe) return;
    const original = toValue(s.node) as Record<string, unknown>;
    const next: Record<string, unknown> = {};
    for (const [key, val] of Object.entries(original)) {
      if (key === 'command') {
        next.command = launcher.command;
        next.args = gatewayEntryArgs(entryArgv(v), launcher);
      } else if (key !== 'args') next[key] = val;
    }
    const base = indentOf(file.text, s.node.start);
    const text = pretty(next, unit, base).split('\n').join(eol);
    edits.push({ start: s.node.start, end: s.node.end, text });
    changed.push(s.name);
    if (Object.keys(s.data.env).length > 0) {
      const n = Object.keys(s.data.env).length;
      notes.push(`${file.path}: server "${s.name}": its env (${n} variable${n === 1 ? '' : 's'}) stays on the entry, so the gateway process gets it; `
        + 'the gateway starts -u upstreams with a minimal environment (PATH, HOME, USER, ...), so check that the server still gets what it needs');
    }
  });
  let text = file.text;
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return { text, changed, notes };
}
