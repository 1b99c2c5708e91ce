/**
 * `raxe mcp pins list | diff | accept [UPSTREAM] [TOOL] | reset [UPSTREAM]`:
 * review and accept the tool definition changes the gateway flagged (rug
 * pulls). Pins live in tool-pins.json in the gateway's state dir (the
 * config's gateway.state_dir with -c, else the user's config dir). Local
 * only: `diff` shows the pinned and the new text of each changed field,
 * with control characters escaped (a definition cannot drive the terminal).
 * Exit codes: 0 done, 2 a bad action or an upstream/tool with no pins.
 */
import { join } from 'node:path';
import { GatewayConfig } from '../mcp/node/gateway.js';
import { configDir, FilePinStore, type PinFile } from '../mcp/node/stores.js';
import { ConfigError } from '../mcp/gateway/config.js';
import { acceptChanges, type PinRecord } from '../mcp/gateway/pins.js';
import { createLogger } from '../mcp/log.js';
import { CliError } from './errors.js';

const ACTIONS = ['list', 'diff', 'accept', 'reset'];

/** Escapes control characters (ANSI sequences among them) for the terminal. */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function storeFor(o: Record<string, unknown>): FilePinStore {
  let dir = configDir();
  if (o.config) {
    try {
      dir = GatewayConfig.load(String(o.config)).gateway.state_dir ?? dir;
    } catch (e) {
      if (e instanceof ConfigError) throw new CliError(`invalid gateway configuration:\n${e.message}`, 2);
      throw e;
    }
  }
  return new FilePinStore(join(dir, 'tool-pins.json'), createLogger('warn', (l) => process.stderr.write(`${l}\n`)));
}

/** The records of `upstream` (all when undefined); exit 2 when there are none. */
function select(f: PinFile, upstream: string | undefined): Array<[string, PinRecord]> {
  const all = Object.entries(f.upstreams);
  const sel = upstream === undefined ? all : all.filter(([, r]) => r.identity.upstream === upstream);
  if (upstream !== undefined && sel.length === 0) {
    const known = [...new Set(all.map(([, r]) => r.identity.upstream))].sort();
    throw new CliError(`no pins for upstream "${upstream}"${known.length ? ` (pinned: ${known.join(', ')})` : ' (nothing is pinned yet)'}`, 2);
  }
  return sel;
}

const who = (r: PinRecord) => `${r.identity.upstream}  ${printable(r.identity.launch)}  (server: ${printable(r.identity.server || '?')})`;

/** A field value as text: strings as they are, anything else as JSON. */
function show(v: unknown): string[] {
  if (v === undefined) return ['(absent)'];
  const s = typeof v === 'string' ? v : JSON.stringify(v, null, 2);
  return printable(s.replace(/\r\n?/g, '\n')).split('\n');
}

function valueAt(def: Record<string, unknown>, path: string): unknown {
  let v: unknown = def;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function list(f: PinFile, upstream: string | undefined, json: boolean): void {
  const sel = select(f, upstream);
  if (json) {
    const out = sel.map(([key, r]) => ({
      key, ...r.identity, tools: Object.keys(r.tools).sort(),
      changed: Object.fromEntries(Object.entries(r.changes ?? {}).map(([n, c]) => [n, c.changed_fields])),
    }));
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  if (sel.length === 0) {
    process.stdout.write('nothing is pinned yet (the gateway pins each tool the first time it lists it)\n');
    return;
  }
  for (const [key, r] of sel) {
    const changes = Object.entries(r.changes ?? {});
    process.stdout.write(`${who(r)}  [${key}]\n`);
    process.stdout.write(`  ${Object.keys(r.tools).length} tools pinned: ${Object.keys(r.tools).sort().map(printable).join(', ') || '-'}\n`);
    for (const [n, c] of changes) process.stdout.write(`  CHANGED ${printable(n)}: ${c.changed_fields.map(printable).join(', ')} (seen ${c.at})\n`);
  }
}

function diff(f: PinFile, upstream: string | undefined, tool: string | undefined): void {
  let shown = 0;
  for (const [, r] of select(f, upstream)) {
    for (const [n, c] of Object.entries(r.changes ?? {})) {
      if (tool !== undefined && n !== tool) continue;
      shown++;
      const pinned = r.tools[n];
      process.stdout.write(`${who(r)}\n  tool ${printable(n)}: pinned ${pinned?.at ?? '?'}, changed definition seen ${c.at}\n`);
      for (const field of c.changed_fields) {
        process.stdout.write(`  ${printable(field)}:\n`);
        for (const l of show(pinned ? valueAt(pinned.definition, field) : undefined)) process.stdout.write(`    - ${l}\n`);
        for (const l of show(valueAt(c.definition, field))) process.stdout.write(`    + ${l}\n`);
      }
    }
  }
  if (shown === 0) process.stdout.write(`no changed tool definitions${upstream ? ` for ${upstream}${tool ? ` / ${tool}` : ''}` : ''}\n`);
}

export async function runPins(args: string[], o: Record<string, unknown>): Promise<void> {
  const [action, upstream, tool, ...rest] = args;
  if (!action || !ACTIONS.includes(action)) {
    throw new CliError(`pins needs an action: list, diff, accept [UPSTREAM] [TOOL] or reset [UPSTREAM]${action ? ` (got "${action}")` : ''}`, 2);
  }
  if (rest.length > 0 || (action === 'reset' && tool !== undefined) || (action === 'list' && tool !== undefined)) {
    throw new CliError(`too many arguments for "pins ${action}" (usage: raxe mcp pins ${action} ${action === 'diff' || action === 'accept' ? '[UPSTREAM] [TOOL]' : '[UPSTREAM]'})`, 2);
  }
  const store = storeFor(o);
  switch (action) {
    case 'list':
      return list(store.all(), upstream, !!o.json);
    case 'diff':
      return diff(store.all(), upstream, tool);
    case 'accept': {
      const accepted: string[] = [];
      select(store.all(), upstream); // (exit 2 for an unknown upstream)
      store.update((f) => {
        for (const [, r] of select(f, upstream)) {
          for (const n of acceptChanges(r, tool === undefined ? undefined : [tool])) accepted.push(`${r.identity.upstream}/${n}`);
        }
      });
      if (tool !== undefined && accepted.length === 0) throw new CliError(`no changed definition of tool "${tool}" to accept${upstream ? ` for ${upstream}` : ''}`, 2);
      process.stdout.write(accepted.length ? `accepted ${accepted.length} changed definition${accepted.length > 1 ? 's' : ''}: ${accepted.map(printable).join(', ')}\n` : 'no changed definitions to accept\n');
      return;
    }
    case 'reset': {
      let removed = 0;
      select(store.all(), upstream);
      store.update((f) => {
        for (const [key] of select(f, upstream)) {
          delete f.upstreams[key];
          removed++;
        }
      });
      process.stdout.write(`removed the pins of ${removed} upstream identit${removed === 1 ? 'y' : 'ies'}${upstream ? ` named ${upstream}` : ''}; their tools are pinned afresh when next listed\n`);
    }
  }
}
