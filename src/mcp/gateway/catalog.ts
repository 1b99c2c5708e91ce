/**
 * Aggregated lists: tools, prompts, resources and resource templates of all
 * upstreams, with name collisions namespaced as `<upstream>__<name>`, and the
 * routing tables that send each call back to its owner. Upstream pagination
 * is followed here; the host gets one complete page.
 */
import type { Upstream } from './upstream.js';
import type { Response } from './jsonrpc.js';

export type ListKind = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';

const METHOD: Record<ListKind, string> = {
  tools: 'tools/list',
  prompts: 'prompts/list',
  resources: 'resources/list',
  resourceTemplates: 'resources/templates/list',
};
const CAPABILITY: Record<ListKind, string> = { tools: 'tools', prompts: 'prompts', resources: 'resources', resourceTemplates: 'resources' };

export interface Entry {
  up: Upstream;
  item: Record<string, unknown>;
}

/** Only [A-Za-z0-9_-] in exposed names. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** All pages of one list from one upstream (bounded to 100 pages). */
export async function fetchAll(up: Upstream, kind: ListKind): Promise<{ items: Record<string, unknown>[]; error?: string }> {
  if (!up.capabilities()[CAPABILITY[kind]]) return { items: [] };
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res: Response = await up.request(METHOD[kind], cursor ? { cursor } : {});
    if (res.error) return { items, error: res.error.message };
    const r = res.result ?? {};
    items.push(...((r[kind] as Record<string, unknown>[] | undefined) ?? []));
    cursor = typeof r.nextCursor === 'string' && r.nextCursor ? r.nextCursor : undefined;
    if (!cursor) break;
  }
  return { items };
}

/** Exposed name -> owner; built from the last list of each kind. */
export class Catalog {
  readonly tools = new Map<string, { up: Upstream; name: string }>();
  readonly prompts = new Map<string, { up: Upstream; name: string }>();
  readonly resources = new Map<string, Upstream>();
  templates: Array<{ up: Upstream; re: RegExp }> = [];
  toolsKnown = false;

  /**
   * Names entries: unique names stay as they are; a name offered by several
   * upstreams becomes `<upstream>__<name>` for each of them.
   */
  static exposeNames(entries: Entry[]): Array<Entry & { exposed: string }> {
    const count = new Map<string, number>();
    for (const e of entries) count.set(String(e.item.name), (count.get(String(e.item.name)) ?? 0) + 1);
    const used = new Set<string>();
    return entries.map((e) => {
      const name = String(e.item.name);
      let exposed = count.get(name)! > 1 ? `${safeName(e.up.name)}__${safeName(name)}` : name;
      for (let k = 2; used.has(exposed); k++) exposed = `${safeName(e.up.name)}__${safeName(name)}_${k}`;
      used.add(exposed);
      return { ...e, exposed };
    });
  }

  setTools(list: Array<{ up: Upstream; exposed: string; item: Record<string, unknown> }>): void {
    this.tools.clear();
    for (const e of list) this.tools.set(e.exposed, { up: e.up, name: String(e.item.name) });
    this.toolsKnown = true;
  }

  setPrompts(list: Array<{ up: Upstream; exposed: string; item: Record<string, unknown> }>): void {
    this.prompts.clear();
    for (const e of list) this.prompts.set(e.exposed, { up: e.up, name: String(e.item.name) });
  }

  setResources(list: Entry[]): void {
    this.resources.clear();
    for (const e of list) if (typeof e.item.uri === 'string' && !this.resources.has(e.item.uri)) this.resources.set(e.item.uri, e.up);
  }

  setTemplates(list: Entry[]): void {
    this.templates = list
      .filter((e) => typeof e.item.uriTemplate === 'string')
      .map((e) => ({ up: e.up, re: templateRegex(String(e.item.uriTemplate)) }));
  }

  /** The upstream that serves `uri`: a listed resource, else the first matching template. */
  resourceOwner(uri: string): Upstream | undefined {
    return this.resources.get(uri) ?? this.templates.find((t) => t.re.test(uri))?.up;
  }
}

/** An RFC 6570 template as a regex: each {expression} matches a run of characters. */
export function templateRegex(t: string): RegExp {
  const parts = t.split(/\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/** The capabilities the gateway offers the host: what its ready upstreams offer together. */
export function mergeCapabilities(ready: readonly Upstream[]): Record<string, Record<string, unknown>> {
  const caps: Record<string, Record<string, unknown>> = { logging: {} };
  for (const up of ready) {
    const c = up.capabilities();
    if (c.tools) caps.tools = { listChanged: true };
    if (c.prompts) caps.prompts = { listChanged: true };
    if (c.resources) caps.resources = { ...(caps.resources ?? {}), listChanged: true, ...(c.resources.subscribe ? { subscribe: true } : {}) };
    if (c.completions) caps.completions = {};
    const t = c.tasks as { list?: unknown; cancel?: unknown; requests?: { tools?: { call?: unknown } } } | undefined;
    if (t) {
      caps.tasks ??= {};
      if (t.list) caps.tasks.list = {};
      if (t.cancel) caps.tasks.cancel = {};
      if (t.requests?.tools?.call) caps.tasks.requests = { tools: { call: {} } };
    }
  }
  return caps;
}
