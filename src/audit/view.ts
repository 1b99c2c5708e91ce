/** A server entry as the checks see it: remote or stdio, and what it launches. */
import { nameFromCommand } from '../mcp/gateway/config.js';
import type { ServerEntry } from './config.js';
import { isRaxeServe, launchesOf, type Launch } from './launch.js';
import { canonicalPackage } from './known.js';

export interface ServerView {
  entry: ServerEntry;
  /** Position of the view among all views (report order). */
  index: number;
  /** The endpoint of an http/sse server (undefined for stdio). */
  url?: string;
  /** What runs: the command itself, or a gateway's upstreams (behindGateway). */
  launches: Launch[];
  /** Set when the entry is `raxe mcp gateway`: its `-c` file, and how the entry starts raxe itself (`raxe`, `node .../raxe.js`, `npx raxe`...). */
  gateway: { configFile?: string; launcher: Launch } | null;
  /** raxe's own MCP server (`raxe mcp serve`). */
  raxeServe: boolean;
}

export function viewServer(entry: ServerEntry, index: number): ServerView {
  const d = entry.data;
  const url = d.url ?? d.serverUrl;
  if (url !== undefined || (d.command === undefined && d.type !== undefined && d.type !== 'stdio')) {
    return { entry, index, url, launches: [], gateway: null, raxeServe: false };
  }
  const { launches, gateway } = launchesOf(d.command!, d.args);
  return { entry, index, launches, gateway, raxeServe: !gateway && launches.some(isRaxeServe) };
}

/**
 * The name a launch is known by: its main package (canonical form), or for a
 * local script the name the gateway would give it ("my-server" for
 * "./my-server/dist/index.js").
 */
export function identity(l: Launch): string {
  const p = l.packages[0];
  if (!p) return '';
  if (p.ecosystem === 'script') return nameFromCommand([p.spec]).toLowerCase();
  return canonicalPackage(p.name);
}

/** The command line of a stdio entry as configured (command + args). */
export function entryArgv(v: ServerView): string[] {
  return v.entry.data.command === undefined ? [] : [v.entry.data.command, ...v.entry.data.args];
}
