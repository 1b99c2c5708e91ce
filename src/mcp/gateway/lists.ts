/**
 * The aggregated lists (tools, prompts, resources, templates) with each
 * entry scanned on the way (tool poisoning: names, descriptions, schemas,
 * annotations...), tools checked against their pins (rug pulls) and the
 * policy's allow/deny lists. A blocked entry is withheld — and remembered,
 * so a host that calls it by name anyway gets -32001 with its rule ids — a
 * warned one passes with its description prefixed.
 */
import type { Logger } from '../log.js';
import { Catalog, fetchAll, safeName, type Entry, type ListKind } from './catalog.js';
import type { EffectivePolicy, UpstreamConfig } from './config.js';
import { coverageOf, subPart, type ScanPoint } from './coverage/index.js';
import { blockData, toolAllowed, type Decision } from './inspect.js';
import type { Inspector } from './inspector.js';
import { checkPins, identityKey, launchOf, RUG_PULL, type PinStore, type UpstreamIdentity } from './pins.js';
import { safeIdent, type Recorder } from './report.js';
import type { GatewayStats } from './stats.js';
import { warnedEntry } from './results.js';
import type { Upstream } from './upstream.js';

export const LIST_METHOD: Record<ListKind, string> = {
  tools: 'tools/list',
  prompts: 'prompts/list',
  resources: 'resources/list',
  resourceTemplates: 'resources/templates/list',
};

/** A tool the host may not call: why, as -32001 data (rule ids, never text). */
export interface Withheld {
  upstream: string;
  name: string;
  data: Record<string, unknown>;
}

export interface ListDeps {
  ready(): Upstream[];
  config(up: Upstream): UpstreamConfig;
  policy(up: Upstream): EffectivePolicy;
  inspector: Inspector;
  recorder: Recorder;
  catalog: Catalog;
  pins: PinStore;
  stats: GatewayStats;
  /** A warned entry: tell the host. */
  warnHost(upstream: string, d: Decision, points: ScanPoint[], what: string): void;
  logger: Logger;
}

export class Lists {
  readonly #d: ListDeps;
  /** Tools withheld in the last tools/list, by the names a host could call them. */
  readonly withheld = new Map<string, Withheld>();
  /** Lists being fetched: concurrent callers share one fetch (200 calls of an unknown tool make one list, not 200). */
  readonly #pending = new Map<ListKind, Promise<Record<string, unknown>[]>>();
  readonly #identities = new Map<Upstream, { server: string; key: Promise<string> }>();
  /** Pin changes reported by this gateway (each once). */
  readonly #reported = new Set<string>();

  constructor(d: ListDeps) {
    this.#d = d;
  }

  /** One complete list of `kind` from every ready upstream, scanned; updates the catalog. */
  list(kind: ListKind): Promise<Record<string, unknown>[]> {
    let p = this.#pending.get(kind);
    if (!p) {
      p = this.#fetch(kind).finally(() => this.#pending.delete(kind));
      this.#pending.set(kind, p);
    }
    return p;
  }

  async #fetch(kind: ListKind): Promise<Record<string, unknown>[]> {
    const d = this.#d;
    const method = LIST_METHOD[kind];
    const entryPart = subPart(coverageOf('host', 'request', method).result!, `${kind}[]`);
    const ups = d.ready();
    const fetched = await Promise.all(ups.map(async (up) => ({ up, r: await fetchAll(up, kind) })));
    const entries: Entry[] = [];
    const withheld = new Map<string, Withheld>();
    for (const { up, r } of fetched) {
      if (r.error) d.logger.warn(`upstream ${up.name}: ${kind} list failed: ${r.error}`);
      const policy = d.policy(up);
      let changed = new Map<string, string[]>();
      if (kind === 'tools') {
        const ident = await this.#identity(up);
        if (ident) {
          const check = await checkPins(d.pins, ident.key, ident.id, r.items);
          changed = check.changed;
          for (const [name, fields] of check.changed) this.#pinChanged(up, name, fields);
        }
      }
      for (const item of r.items) {
        const name = String(item.name ?? item.uri ?? item.uriTemplate ?? '');
        const withhold = (data: Record<string, unknown>) => {
          d.stats.count('entries_withheld', up.name, 'withheld');
          if (kind !== 'tools') return;
          const w = { upstream: up.name, name, data };
          withheld.set(name, w);
          withheld.set(`${safeName(up.name)}__${safeName(name)}`, w);
        };
        if (kind === 'tools' && !toolAllowed(policy, name)) {
          d.recorder.decision({ upstream: up.name, method, point: 'description', d: null, action: 'block', what: name, ruleIds: ['policy:deny'] });
          withhold({ code: -32001, rule_ids: ['policy:deny'], families: [], severity: 'none', point: 'description', upstream: up.name, reason: 'denied_by_policy' });
          continue;
        }
        const fields = changed.get(name);
        const extra = fields ? { point: 'description' as const, detections: [{ ...RUG_PULL }], changed: fields } : undefined;
        const v = await d.inspector.inspect(up.name, method, entryPart, item, name, extra);
        if (v.action === 'block') {
          withhold({ ...blockData(v.all, 'description', up.name), reason: 'withheld' });
          continue;
        }
        if (v.action === 'warn') {
          d.warnHost(up.name, v.all, ['description'], name);
          entries.push({ up, item: warnedEntry(item, v.all) });
        } else entries.push({ up, item });
      }
    }
    if (kind === 'tools' || kind === 'prompts') {
      const named = Catalog.exposeNames(entries);
      if (kind === 'tools') {
        d.catalog.setTools(named);
        this.withheld.clear();
        for (const [k, w] of withheld) if (!d.catalog.tools.has(k)) this.withheld.set(k, w);
      } else d.catalog.setPrompts(named);
      return named.map((e) => (e.exposed === e.item.name ? e.item : { ...e.item, name: e.exposed }));
    }
    if (kind === 'resources') d.catalog.setResources(entries);
    else d.catalog.setTemplates(entries);
    return entries.map((e) => e.item);
  }

  /** The identity pins are kept under: name, launch (command line or URL) and the server's own name. */
  async #identity(up: Upstream): Promise<{ key: string; id: UpstreamIdentity } | null> {
    if (!up.init) return null;
    const server = String((up.init.serverInfo as { name?: unknown } | undefined)?.name ?? '');
    const id = { upstream: up.name, launch: launchOf(this.#d.config(up)), server };
    let known = this.#identities.get(up);
    if (!known || known.server !== server) {
      known = { server, key: identityKey(id) };
      this.#identities.set(up, known);
    }
    return { key: await known.key, id };
  }

  /** A definition that differs from its pin: logged (fields, never text) and counted, once per gateway. */
  #pinChanged(up: Upstream, tool: string, fields: string[]): void {
    const k = `${up.name}\u0000${tool}\u0000${fields.join(',')}`;
    if (this.#reported.has(k)) return;
    this.#reported.add(k);
    this.#d.stats.count('pin_changes', up.name, 'pin_changes');
    this.#d.recorder.notice(
      `tool definition changed since it was pinned: upstream=${up.name} tool=${safeIdent(tool)} fields=${fields.map(safeIdent).join(',') || '-'}; ` +
        `review with "raxe mcp pins diff ${up.name} ${safeIdent(tool)}", accept with "raxe mcp pins accept ${up.name} ${safeIdent(tool)}"`,
    );
  }
}
