/**
 * Traffic an upstream starts: its requests to the host (sampling,
 * elicitation, roots — each relayed under a gateway id and scanned on the
 * way, and the host's answer scanned on its way back), its notifications
 * (scanned, relayed in order, dropped when blocked), progress of the host on
 * relayed requests, and task lists. Requests the host did not declare a
 * capability for, and anything else, are refused with -32601.
 */
import type { Logger } from '../log.js';
import * as rpc from './jsonrpc.js';
import { coverageOf, subPart, type ScanPoint } from './coverage/index.js';
import type { Decision } from './inspect.js';
import type { Inspector } from './inspector.js';
import { blockedError } from './results.js';
import type { TaskRoutes } from './tasks.js';
import type { Upstream } from './upstream.js';

/** The host capability each relayed upstream request needs. */
const NEEDS: Record<string, string> = { 'sampling/createMessage': 'sampling', 'elicitation/create': 'elicitation', 'roots/list': 'roots' };

/** Most pages of tasks/list fetched from one upstream. */
export const MAX_TASK_PAGES = 100;

export interface ServerTrafficDeps {
  send(msg: rpc.Message): void;
  inspector: Inspector;
  hostCaps(): Record<string, unknown>;
  /** The host's progress token for one of the gateway's own (requests the host made). */
  hostToken(gatewayToken: string): string | number | undefined;
  /** The upstream's tool list changed. */
  catalogStale(): void;
  tasks: TaskRoutes;
  warnHost(upstream: string, d: Decision, points: ScanPoint[], what: string): void;
  /** A notification was dropped (blocked). */
  dropped(upstream: string): void;
  /** A request or answer was blocked. */
  blocked(upstream: string): void;
  logger: Logger;
}

interface Relayed {
  up: Upstream;
  id: rpc.Id;
  method: string;
}

export class ServerTraffic {
  readonly #d: ServerTrafficDeps;
  /** gateway id of a relayed upstream request -> its upstream and id */
  readonly #relayed = new Map<string, Relayed>();
  /** gateway progress token of a relayed request -> its upstream and the upstream's token */
  readonly #tokens = new Map<string, { up: Upstream; token: string | number; gid: string }>();
  /** per upstream: its notifications, relayed one after the other */
  readonly #chains = new Map<Upstream, Promise<void>>();
  #seq = 0;

  constructor(d: ServerTrafficDeps) {
    this.#d = d;
  }

  /** A request from an upstream to the host. */
  async upstreamRequest(up: Upstream, req: rpc.Request): Promise<void> {
    if (req.method === 'ping') return up.respond(rpc.resultResponse(req.id, {}));
    const cap = NEEDS[req.method];
    if (!cap) return up.respond(rpc.errorResponse(req.id, rpc.METHOD_NOT_FOUND, `Method not found: ${req.method}`));
    if (!this.#d.hostCaps()[cap]) return up.respond(rpc.errorResponse(req.id, rpc.METHOD_NOT_FOUND, `The host does not support ${cap} (${req.method} refused by the gateway)`));
    const p = req.params ?? {};
    const v = await this.#d.inspector.inspect(up.name, req.method, coverageOf('upstream', 'request', req.method).params, p, req.method);
    if (v.action === 'block') {
      this.#d.blocked(up.name);
      return up.respond(blockedError(req.id, v.all, v.point, up.name));
    }
    if (v.action === 'warn') this.#d.warnHost(up.name, v.all, [v.point], req.method);
    const gid = `raxe-r${++this.#seq}`;
    this.#relayed.set(gid, { up, id: req.id, method: req.method });
    let params = req.params;
    const meta = p._meta as Record<string, unknown> | undefined;
    if (meta && (typeof meta.progressToken === 'string' || typeof meta.progressToken === 'number')) {
      const token = `raxe-hp${this.#seq}`;
      this.#tokens.set(token, { up, token: meta.progressToken, gid });
      params = { ...p, _meta: { ...meta, progressToken: token } };
    }
    this.#d.send({ ...req, id: gid, ...(params ? { params } : {}) });
  }

  /** The host's answer to a relayed request: scanned, then back to the upstream under its own id. */
  async hostResponse(res: rpc.Response): Promise<void> {
    const gid = String(res.id);
    const rel = this.#relayed.get(gid);
    if (!rel) return;
    this.#relayed.delete(gid);
    for (const [t, x] of this.#tokens) if (x.gid === gid) this.#tokens.delete(t);
    const entry = coverageOf('upstream', 'request', rel.method);
    const v = await this.#d.inspector.inspect(rel.up.name, rel.method, res.error ? entry.error : entry.result, res.error ?? res.result ?? {});
    if (v.action === 'block') {
      this.#d.blocked(rel.up.name);
      return rel.up.respond(blockedError(rel.id, v.all, v.point, rel.up.name));
    }
    if (v.action === 'warn') this.#d.warnHost(rel.up.name, v.all, [v.point], `the host's answer to ${rel.method}`);
    const out: rpc.Response = { jsonrpc: '2.0', id: rel.id };
    if (res.error) out.error = res.error;
    else out.result = res.result ?? {};
    rel.up.respond(out);
  }

  /** The host's progress on a relayed request. */
  async hostProgress(n: rpc.Notification): Promise<void> {
    const p = n.params ?? {};
    const t = typeof p.progressToken === 'string' ? this.#tokens.get(p.progressToken) : undefined;
    if (!t) return;
    const v = await this.#d.inspector.inspect(t.up.name, n.method, coverageOf('host', 'notification', n.method).params, p);
    if (v.action !== 'block') t.up.notify(n.method, { ...p, progressToken: t.token });
  }

  /** A notification from an upstream: relayed in order, after scanning. */
  upstreamNotification(up: Upstream, n: rpc.Notification): void {
    const next = (this.#chains.get(up) ?? Promise.resolve()).then(() => this.#notification(up, n)).catch((e) => {
      this.#d.logger.error(`relaying ${n.method} from ${up.name}: ${e instanceof Error ? e.message : String(e)}`);
    });
    this.#chains.set(up, next);
  }

  /** Resolves once the notifications `up` sent so far are relayed (so its answer does not overtake them). */
  drain(up: Upstream): Promise<void> {
    return this.#chains.get(up) ?? Promise.resolve();
  }

  async #notification(up: Upstream, n: rpc.Notification): Promise<void> {
    const p = n.params ?? {};
    let out: rpc.Notification = n;
    switch (n.method) {
      case 'notifications/progress': {
        const host = this.#d.hostToken(String(p.progressToken));
        if (host === undefined) return; // not ours (or already finished)
        out = { jsonrpc: '2.0', method: n.method, params: { ...p, progressToken: host } };
        break;
      }
      case 'notifications/cancelled': {
        // the upstream withdraws a request it made of the host
        const gid = [...this.#relayed].find(([, r]) => r.up === up && r.id === p.requestId)?.[0];
        if (!gid) return;
        this.#relayed.delete(gid);
        out = { jsonrpc: '2.0', method: n.method, params: { ...p, requestId: gid } };
        break;
      }
      case 'notifications/tools/list_changed':
        this.#d.catalogStale();
        break;
      case 'notifications/tasks/status':
        this.#d.tasks.remember(p.taskId, up);
        break;
    }
    const v = await this.#d.inspector.inspect(up.name, n.method, coverageOf('upstream', 'notification', n.method).params, p);
    if (v.action === 'block') {
      this.#d.dropped(up.name);
      return;
    }
    if (v.action === 'warn') this.#d.warnHost(up.name, v.all, [v.point], n.method);
    this.#d.send(out);
  }

  /** tasks/list of every upstream that lists tasks, all pages, each task scanned (a blocked one is left out). */
  async listTasks(ready: Upstream[]): Promise<Record<string, unknown>[]> {
    const part = subPart(coverageOf('host', 'request', 'tasks/list').result!, 'tasks[]');
    const out: Record<string, unknown>[] = [];
    for (const up of ready) {
      if (!(up.capabilities().tasks as { list?: unknown } | undefined)?.list) continue;
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TASK_PAGES; page++) {
        const res = await up.request('tasks/list', cursor ? { cursor } : {});
        if (res.error) {
          this.#d.logger.warn(`upstream ${up.name}: tasks/list failed: ${res.error.message}`);
          break;
        }
        for (const t of (res.result?.tasks as Record<string, unknown>[] | undefined) ?? []) {
          const v = await this.#d.inspector.inspect(up.name, 'tasks/list', part, t, this.#d.tasks.owner(t.taskId)?.tool);
          if (v.action === 'block') continue;
          this.#d.tasks.remember(t.taskId, up);
          out.push(t);
        }
        cursor = typeof res.result?.nextCursor === 'string' && res.result.nextCursor ? res.result.nextCursor : undefined;
        if (!cursor) break;
      }
    }
    return out;
  }
}
