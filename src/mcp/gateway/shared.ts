/**
 * Upstreams shared by the sessions of one HTTP gateway (`share: true` on an
 * upstream): one process or connection for every session instead of one
 * each. Safe for servers whose answers do not depend on which client asks
 * — most tool servers — because a shared upstream is the gateway's own
 * client, not any host's:
 *
 * - it is initialized once, with the gateway's client info and no client
 *   capabilities, so it never asks a host for sampling, elicitation or
 *   roots (a request it makes anyway is refused: there is no one host to
 *   ask) and it keeps the directories or settings of its command line;
 * - its calls carry the gateway's own ids and progress tokens (unique
 *   across sessions), so each answer and each progress notification goes
 *   to the session that asked;
 * - of its other notifications, list changes go to every session and task
 *   status to the session that owns the task; log messages and resource
 *   updates, which could concern any session, go to none;
 * - sessions cannot change its state for the others: logging/setLevel is
 *   not forwarded and resources/subscribe is refused;
 * - it is never paused for one slow session (that session's stream is cut
 *   instead), and it lives until the gateway stops.
 */
import { errorResponse, METHOD_NOT_FOUND, resultResponse, type Notification, type Request } from './jsonrpc.js';
import type { UpstreamConfig } from './config.js';
import { Upstream, type UpstreamEvents } from './upstream.js';

/** What a gateway session needs from the registry. */
export interface SharedUpstreamsPort {
  /** The shared upstream for `u` (created on first use), or null when `u` is not shared; `events` join its fan-out. */
  attach(u: UpstreamConfig, events: UpstreamEvents): Upstream | null;
  /** The session's events leave every fan-out (it closed). */
  detach(events: UpstreamEvents): void;
}

export class SharedUpstreams implements SharedUpstreamsPort {
  readonly #ups = new Map<string, Upstream>();
  readonly #members = new Map<string, Set<UpstreamEvents>>();
  readonly #create: (u: UpstreamConfig, events: UpstreamEvents) => Upstream;

  /** `create` builds an Upstream for a config with the given events (the gateway's factory). */
  constructor(create: (u: UpstreamConfig, events: UpstreamEvents) => Upstream) {
    this.#create = create;
  }

  attach(u: UpstreamConfig, events: UpstreamEvents): Upstream | null {
    if (!u.share) return null;
    let up = this.#ups.get(u.name);
    if (!up) {
      const members = new Set<UpstreamEvents>();
      this.#members.set(u.name, members);
      up = this.#create(u, {
        request: (from, req) => refuse(from, req),
        notification: (from, n: Notification, bytes) => {
          for (const m of members) m.notification(from, n, bytes);
        },
        restarted: (from) => {
          for (const m of members) m.restarted(from);
        },
        stopped: (from, reason) => {
          for (const m of members) m.stopped?.(from, reason);
        },
      });
      this.#ups.set(u.name, up);
    }
    this.#members.get(u.name)!.add(events);
    return up;
  }

  detach(events: UpstreamEvents): void {
    for (const m of this.#members.values()) m.delete(events);
  }

  /** Health of each shared upstream, for /stats. */
  health(): Record<string, { state: string; restarts: number; last_error: string | null; oversized: number; sessions: number }> {
    const out: Record<string, { state: string; restarts: number; last_error: string | null; oversized: number; sessions: number }> = {};
    for (const [name, up] of this.#ups) {
      out[name] = { state: up.state, restarts: up.restarts, last_error: up.lastError, oversized: up.oversized, sessions: this.#members.get(name)?.size ?? 0 };
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#ups.values()].map((u) => u.close()));
  }
}

/** A shared upstream asked for something only a host could give. */
function refuse(up: Upstream, req: Request): void {
  if (req.method === 'ping') return up.respond(resultResponse(req.id, {}));
  up.respond(errorResponse(req.id, METHOD_NOT_FOUND, `${req.method} is not available: the gateway shares this server between its clients (share: true), so there is no one host to ask`));
}
