/**
 * MCP client config files, from text to server entries: Claude Desktop and
 * Cursor (`mcpServers`), VS Code (`servers`, or `mcp.servers` in
 * settings.json). Positions are kept for reports; duplicate keys are
 * recorded (clients keep the last one, silently). No file access here.
 */
import { parseJson, toValue, nodeAt, member, JsonSyntaxError, type JsonNode, type Pos } from './json.js';
import { ServerEntrySchema, type Client, type ServerEntryData } from './schema.js';

export interface ServerEntry {
  name: string;
  file: string;
  client: Client;
  /** Where the entry's key is. */
  pos: Pos;
  /** The entry's value in the file text (offsets), for --fix. */
  node: JsonNode;
  data: ServerEntryData;
}

export interface DuplicateKey {
  /** The keys leading to the object that holds the duplicate. */
  path: string[];
  key: string;
  pos: Pos;
  first: Pos;
}

export interface ConfigFile {
  path: string;
  client: Client;
  text: string;
  root: JsonNode;
  /** The key paths of the server maps found (["mcpServers"], ["servers"], ["mcp", "servers"]). */
  sections: string[][];
  servers: ServerEntry[];
  duplicates: DuplicateKey[];
}

/** A config file that cannot be audited; the message names file:line:column and the fix. */
export class ConfigFileError extends Error {
  constructor(readonly code: 'E_READ' | 'E_JSON' | 'E_SHAPE', message: string) {
    super(message);
    this.name = 'ConfigFileError';
  }
}

/** The client a path belongs to, from its name, or undefined when the name does not say. */
export function clientFromPath(path: string): Client | undefined {
  const p = path.replace(/\\/g, '/');
  if (/(^|\/)claude_desktop_config\.json$/i.test(p)) return 'claude-desktop';
  if (/(^|\/)\.cursor\/mcp\.json$/i.test(p)) return 'cursor';
  if (/(^|\/)\.vscode\/mcp\.json$/i.test(p) || /\/(Code|Code - Insiders|VSCodium)\/User\/(mcp|settings)\.json$/i.test(p)) return 'vscode';
  return undefined;
}

const SECTIONS: string[][] = [['mcpServers'], ['servers'], ['mcp', 'servers']];

/**
 * Parses a client config. `client` overrides what the path and shape say.
 * Throws ConfigFileError (E_JSON with line:column, or E_SHAPE naming the field).
 *
 * @example parseClientConfig('{"mcpServers": {"git": {"command": "uvx", "args": ["mcp-server-git"]}}}', 'a.json').servers[0].name // "git"
 */
export function parseClientConfig(text: string, path: string, client?: Client): ConfigFile {
  let parsed;
  try {
    parsed = parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ConfigFileError('E_JSON', `${path}:${e.pos.line}:${e.pos.column}: invalid JSON: ${e.message}`);
    throw e;
  }
  const { root } = parsed;
  const at = (p: Pos) => `${path}:${p.line}:${p.column}`;
  if (root.kind !== 'object') {
    throw new ConfigFileError('E_SHAPE', `${at(root.pos)}: expected a JSON object with "mcpServers" (Claude Desktop, Cursor) or "servers" (VS Code), found ${root.kind === 'array' ? 'an array' : `a ${root.kind}`}`);
  }
  const sections: string[][] = [];
  const problems: string[] = [];
  for (const s of SECTIONS) {
    const n = nodeAt(root, s);
    if (!n) continue;
    // "servers" inside VS Code settings only counts under "mcp"
    if (n.kind !== 'object') {
      problems.push(`${at(n.pos)}: "${s.join('.')}" must be an object mapping server names to entries`);
      continue;
    }
    sections.push(s);
  }
  const kind: Client = client ?? clientFromPath(path) ?? (sections.some((s) => s[0] !== 'mcpServers') && !sections.some((s) => s[0] === 'mcpServers') ? 'vscode' : 'mcp-json');
  if (kind === 'claude-desktop' && parsed.jsonc) {
    const j = parsed.jsonc;
    problems.push(`${at(j.pos)}: invalid JSON: a ${j.what} (Claude Desktop reads plain JSON; remove it)`);
  }
  const servers: ServerEntry[] = [];
  for (const s of sections) {
    const map = nodeAt(root, s) as Extract<JsonNode, { kind: 'object' }>;
    const names = [...new Set(map.members.map((m) => m.key))];
    for (const name of names) {
      const m = member(map, name)!;
      const res = ServerEntrySchema.safeParse(toValue(m.value));
      if (!res.success) {
        for (const issue of res.error.issues) {
          const ip = issue.path as PropertyKey[];
          const n = nodeAt(m.value, ip) ?? m.value;
          const field = ip.length ? ip.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '') : '';
          problems.push(`${at(n.pos)}: server "${name}"${field ? ` ${field}` : ''}: ${issue.message}`);
        }
        continue;
      }
      servers.push({ name, file: path, client: kind, pos: m.keyPos, node: m.value, data: res.data });
    }
  }
  if (problems.length) throw new ConfigFileError(problems.some((p) => p.includes('invalid JSON')) ? 'E_JSON' : 'E_SHAPE', problems.join('\n'));
  return { path, client: kind, text, root, sections, servers, duplicates: duplicateKeys(root) };
}

/** Every key that appears twice in one object, anywhere in the tree. */
export function duplicateKeys(root: JsonNode): DuplicateKey[] {
  const out: DuplicateKey[] = [];
  const walk = (n: JsonNode, path: string[]): void => {
    if (n.kind === 'array') n.items.forEach((x, k) => walk(x, [...path, String(k)]));
    if (n.kind !== 'object') return;
    const seen = new Map<string, Pos>();
    for (const m of n.members) {
      const first = seen.get(m.key);
      if (first) out.push({ path, key: m.key, pos: m.keyPos, first });
      else seen.set(m.key, m.keyPos);
      walk(m.value, [...path, m.key]);
    }
  };
  walk(root, []);
  return out;
}
