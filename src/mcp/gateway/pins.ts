/**
 * Tool definition pinning. The first time the gateway sees a tool of an
 * upstream it pins a hash of the whole definition (name, title, description,
 * input and output schemas, annotations, execution, _meta...). A later
 * definition that differs is a possible "rug pull" (a server swapping a
 * harmless definition for a poisoned one after it was approved): reported as
 * a TOOL-family detection with the names of the fields that changed (never
 * their text), and kept as a pending change for `raxe mcp pins diff` and
 * `accept`; the pin itself stays until accepted, so the change stays flagged.
 *
 * Pins are kept per upstream identity: its configured name, how it is
 * launched (command line, or URL without query) and the name its server
 * reports. A new command line (an upgrade pinned to a new version, a second
 * config entry) starts afresh; the same command with a changed tool is
 * flagged.
 */
import type { Detection } from '../../core/index.js';

/** Who the pins belong to. */
export interface UpstreamIdentity {
  upstream: string;
  launch: string;
  server: string;
}

export interface PinnedTool {
  hash: string;
  /** Hash per field path (top-level fields, and two levels into objects: `inputSchema.properties.x`). */
  fields: Record<string, string>;
  /** The definition as pinned (kept locally so `pins diff` can show the change). */
  definition: Record<string, unknown>;
  at: string;
}

export interface PendingChange extends PinnedTool {
  changed_fields: string[];
}

export interface PinRecord {
  identity: UpstreamIdentity;
  tools: Record<string, PinnedTool>;
  /** Definitions seen that differ from the pin, by tool name (until accepted). */
  changes: Record<string, PendingChange>;
}

/** Persistence for pins (the Node adapter keeps them in a file in the user's config dir). */
export interface PinStore {
  load(key: string): PinRecord | undefined;
  save(key: string, rec: PinRecord): void;
}

export class MemoryPinStore implements PinStore {
  readonly data = new Map<string, PinRecord>();
  load(k: string) {
    const r = this.data.get(k);
    return r && structuredClone(r);
  }
  save(k: string, r: PinRecord) {
    this.data.set(k, structuredClone(r));
  }
}

export const RUG_PULL: Detection = {
  rule_id: 'tool-rug-pull',
  family: 'TOOL',
  sub_family: 'rug_pull',
  severity: 'high',
  confidence: 0.9,
  message: 'Tool definition changed since it was first seen (possible rug pull)',
  layer: 'L1',
};

/** How an upstream is launched, for its identity: the command line, or the URL without its query (it may hold secrets). */
export function launchOf(u: { command?: string; args?: string[]; url?: string }): string {
  if (u.url) {
    try {
      const x = new URL(u.url);
      return `${x.origin}${x.pathname}`;
    } catch {
      return u.url;
    }
  }
  return [u.command ?? '', ...(u.args ?? [])].map((a) => (/[\s'"\\]/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ');
}

/** Canonical JSON (sorted keys), so a reordered schema is not a change. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

async function sha256(s: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The key pins of an identity are stored under: "<upstream>@<16 hex>". */
export async function identityKey(id: UpstreamIdentity): Promise<string> {
  return `${id.upstream}@${(await sha256(canonical([id.upstream, id.launch, id.server]))).slice(0, 16)}`;
}

/** Field paths of a definition with the canonical JSON of each (objects are opened two levels deep). */
function flatten(v: Record<string, unknown>, prefix = '', depth = 3, out: Record<string, string> = {}): Record<string, string> {
  for (const [k, x] of Object.entries(v)) {
    const p = prefix ? `${prefix}.${k}` : k;
    if (depth > 1 && x && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length > 0) flatten(x as Record<string, unknown>, p, depth - 1, out);
    else out[p] = canonical(x);
  }
  return out;
}

/** The pin of a whole tool definition. */
export async function pinOf(tool: Record<string, unknown>, at: string): Promise<PinnedTool> {
  const flat = flatten(tool);
  const fields: Record<string, string> = {};
  for (const [k, c] of Object.entries(flat)) fields[k] = (await sha256(c)).slice(0, 16);
  return { hash: await sha256(canonical(tool)), fields, definition: structuredClone(tool), at };
}

/** The field paths whose hashes differ (added, removed or changed). */
export function changedFields(a: Record<string, string>, b: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => a[k] !== b[k]).sort();
}

export interface PinCheck {
  /** Tools whose definition differs from the pin: the changed field paths. */
  changed: Map<string, string[]>;
  /** Of those, the ones whose definition is new to the store (a change not seen before). */
  fresh: Set<string>;
}

/**
 * Checks a tool list against the pins of an identity: new tools are pinned,
 * changed ones are returned and recorded as pending changes (their pins are
 * kept); a tool back at its pinned definition drops its pending change.
 */
export async function checkPins(store: PinStore, key: string, identity: UpstreamIdentity, tools: Array<Record<string, unknown>>, now: Date = new Date()): Promise<PinCheck> {
  const rec: PinRecord = store.load(key) ?? { identity, tools: {}, changes: {} };
  rec.changes ??= {};
  const out: PinCheck = { changed: new Map(), fresh: new Set() };
  let dirty = false;
  for (const t of tools) {
    const name = String(t.name);
    const old = rec.tools[name];
    // (field hashes only for tools that are new or changed)
    if (old && old.hash === (await sha256(canonical(t)))) {
      if (rec.changes[name]) {
        delete rec.changes[name];
        dirty = true;
      }
      continue;
    }
    const pin = await pinOf(t, now.toISOString());
    if (!old) {
      rec.tools[name] = pin;
      dirty = true;
    } else {
      const fields = changedFields(old.fields, pin.fields);
      out.changed.set(name, fields);
      if (rec.changes[name]?.hash !== pin.hash) {
        rec.changes[name] = { ...pin, changed_fields: fields };
        out.fresh.add(name);
        dirty = true;
      }
    }
  }
  if (dirty) store.save(key, rec);
  return out;
}

/** Accepts pending changes (all, or the named tools): they become the pins. Returns the tools accepted. */
export function acceptChanges(rec: PinRecord, tools?: string[]): string[] {
  const names = Object.keys(rec.changes ?? {}).filter((n) => !tools || tools.includes(n));
  for (const n of names) {
    const { changed_fields: _ignored, ...pin } = rec.changes[n];
    rec.tools[n] = pin;
    delete rec.changes[n];
  }
  return names;
}
