/**
 * --scan-tools, the runtime-free half: which commands to start for each
 * server (a gateway entry's upstreams, not the gateway), with VS Code
 * variables filled in, and how a server's listings are scanned. The adapter
 * starts the processes and hands the lists back here.
 */
import { entryTexts } from '../mcp/gateway/coverage/index.js';
import type { Detection } from '../core/index.js';
import type { ListedItem, ToolInventory } from './checks/index.js';
import type { ServerView } from './view.js';

export interface ProbeTarget {
  view: number;
  server: string;
  /** One command line per process to start (a gateway entry may have several upstreams). */
  commands: string[][];
  env: Record<string, string>;
  cwd?: string;
}

export interface Listing {
  tools: Record<string, unknown>[];
  prompts: Record<string, unknown>[];
  resources: Record<string, unknown>[];
  resourceTemplates: Record<string, unknown>[];
}

/** Values for ${workspaceFolder}, ${userHome}, ${env:NAME} (VS Code variables). */
export interface Variables {
  workspaceFolder?: string;
  userHome?: string;
  env: Record<string, string | undefined>;
}

/** Fills in VS Code variables; unknown ones (${input:...}) stay as written. */
export function substitute(s: string, vars: Variables): string {
  return s.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (m, name: string, envName?: string) => {
    if (envName) return vars.env[envName] ?? '';
    const v = name === 'workspaceFolder' ? vars.workspaceFolder : vars.userHome;
    return v ?? m;
  });
}

/**
 * What to start per server, and the servers that are not started (remote,
 * disabled) as inventories with status "skipped".
 */
export function probeTargets(views: readonly ServerView[], vars: (v: ServerView) => Variables): { targets: ProbeTarget[]; skipped: ToolInventory[] } {
  const targets: ProbeTarget[] = [];
  const skipped: ToolInventory[] = [];
  for (const v of views) {
    const d = v.entry.data;
    if (d.disabled) skipped.push({ view: v.index, status: 'skipped', reason: 'disabled in the config', items: [] });
    else if (v.url !== undefined || d.command === undefined) skipped.push({ view: v.index, status: 'skipped', reason: 'remote server (not started)', items: [] });
    else if (v.gateway && v.launches.length === 0) skipped.push({ view: v.index, status: 'skipped', reason: 'gateway with no -u upstream', items: [] });
    else {
      const x = vars(v);
      const sub = (s: string) => substitute(s, x);
      const commands = v.gateway ? v.launches.map((l) => l.argv.map(sub)) : [[d.command, ...d.args].map(sub)];
      const env = Object.fromEntries(Object.entries(d.env).map(([k, val]) => [k, sub(val)]));
      targets.push({ view: v.index, server: v.entry.name, commands, env, cwd: d.cwd !== undefined ? sub(d.cwd) : x.workspaceFolder });
    }
  }
  return { targets, skipped };
}

const KINDS: Array<[keyof Listing, ListedItem['kind']]> = [
  ['tools', 'tool'],
  ['prompts', 'prompt'],
  ['resources', 'resource'],
  ['resourceTemplates', 'resource template'],
];

/**
 * Scans every listed item's text with `scan` — every field the gateway scans
 * in a list entry (names, descriptions, schemas, annotations...); items keep only rule ids, families,
 * severities and messages.
 */
export async function scanListing(listing: Listing, scan: (text: string) => Promise<Detection[]>): Promise<ListedItem[]> {
  const out: ListedItem[] = [];
  for (const [key, kind] of KINDS) {
    for (const item of listing[key]) {
      const name = String(item.name ?? item.uri ?? item.uriTemplate ?? '?');
      const texts = entryTexts(key, item);
      const detections = texts.length ? await scan(texts.join('\n')) : [];
      out.push({ kind, name, detections: detections.map((d) => ({ rule_id: d.rule_id, family: d.family, severity: d.severity, message: d.message })) });
    }
  }
  return out;
}
