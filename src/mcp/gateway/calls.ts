/**
 * Host requests addressed by name: a tool, a prompt, a resource URI or a
 * completion reference is looked up in the catalog (lists are fetched once
 * when the name is not known yet), then routed to its owner through the
 * rate limit and health checks (./routing.ts) and relayed, scanned both
 * ways (./forward.ts). A tool withheld from the list is refused with the
 * rules that withheld it.
 */
import * as rpc from './jsonrpc.js';
import type { Catalog } from './catalog.js';
import { coverageOf } from './coverage/index.js';
import type { Forwarder } from './forward.js';
import type { Lists } from './lists.js';
import type { Recorder } from './report.js';
import type { Router } from './routing.js';
import type { GatewayStats } from './stats.js';
import type { Upstream } from './upstream.js';

export interface CallDeps {
  catalog: Catalog;
  lists: Lists;
  router: Router;
  forwarder: Forwarder;
  stats: GatewayStats;
  recorder: Recorder;
  upstreams: readonly Upstream[];
}

export class HostCalls {
  readonly #d: CallDeps;

  constructor(d: CallDeps) {
    this.#d = d;
  }

  async callTool(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response | null> {
    const exposed = String(p.name);
    let route = this.#d.catalog.tools.get(exposed);
    if (!route && !this.#d.lists.withheld.has(exposed)) {
      const limited = await this.#d.router.limit(req, null);
      if (limited) return limited;
      await this.#d.lists.list('tools');
      route = this.#d.catalog.tools.get(exposed);
    }
    if (!route) {
      const w = this.#d.lists.withheld.get(exposed);
      if (!w) return this.#d.router.noRoute(req, 'tool', exposed);
      this.#d.stats.blocked(w.upstream);
      this.#d.recorder.decision({ upstream: w.upstream, method: 'tools/call', point: 'description', d: null, action: 'block', what: w.name, ruleIds: w.data.rule_ids as string[], severity: w.data.severity as string | undefined, families: w.data.families as string[] | undefined });
      return rpc.errorResponse(req.id, rpc.BLOCKED, `Blocked by raxe: this tool was withheld from the tool list (${(w.data.rule_ids as string[]).join(', ') || 'policy'})`, w.data);
    }
    const { up, name } = route;
    const params = exposed === name ? p : { ...p, name };
    return (await this.#d.router.routed(req, up)) ?? this.#d.forwarder.relay(req, up, 'tools/call', params, { entry: coverageOf('host', 'request', 'tools/call'), what: name, tool: true });
  }

  async getPrompt(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response | null> {
    const exposed = String(p.name);
    let route = this.#d.catalog.prompts.get(exposed);
    if (!route) {
      await this.#d.lists.list('prompts');
      route = this.#d.catalog.prompts.get(exposed);
    }
    if (!route) return this.#d.router.noRoute(req, 'prompt', exposed);
    const params = exposed === route.name ? p : { ...p, name: route.name };
    return (await this.#d.router.routed(req, route.up)) ?? this.#d.forwarder.relay(req, route.up, 'prompts/get', params, { entry: coverageOf('host', 'request', 'prompts/get'), what: route.name });
  }

  async resourceOwner(uri: string): Promise<Upstream | undefined> {
    const withRes = this.#d.upstreams.filter((u) => u.init && u.capabilities().resources);
    if (withRes.length === 1) return withRes[0];
    let up = this.#d.catalog.resourceOwner(uri);
    if (!up) {
      await Promise.all([this.#d.lists.list('resources'), this.#d.lists.list('resourceTemplates')]);
      up = this.#d.catalog.resourceOwner(uri);
    }
    return up;
  }

  async complete(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response | null> {
    const ref = (p.ref ?? {}) as Record<string, unknown>;
    const entry = coverageOf('host', 'request', 'completion/complete');
    if (ref.type === 'ref/prompt') {
      const route = this.#d.catalog.prompts.get(String(ref.name));
      if (!route) return this.#d.router.noRoute(req, 'prompt', String(ref.name));
      return (await this.#d.router.routed(req, route.up)) ?? this.#d.forwarder.relay(req, route.up, 'completion/complete', { ...p, ref: { ...ref, name: route.name } }, { entry, what: route.name });
    }
    const up = await this.resourceOwner(String(ref.uri));
    if (!up) return this.#d.router.noRoute(req, 'resource', String(ref.uri));
    return (await this.#d.router.routed(req, up)) ?? this.#d.forwarder.relay(req, up, 'completion/complete', p, { entry, what: String(ref.uri) });
  }
}
