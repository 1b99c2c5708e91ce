/**
 * The host's `initialize`: every upstream is started and initialized with
 * the host's parameters (its client info and capabilities, minus tasks),
 * the capabilities of the ready ones are merged, and their `instructions`
 * are scanned (withheld under block, prefixed under warn) before they go to
 * the host, which may put them in its system prompt.
 *
 * An upstream shared between sessions (`share: true`, HTTP gateway) is not
 * the host's alone: it is initialized once with the gateway's own client
 * info and no client capabilities (so it never asks any one host for
 * sampling, elicitation or roots), and it offers no resource subscriptions.
 */
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import * as rpc from './jsonrpc.js';
import { mergeCapabilities } from './catalog.js';
import { coverageOf } from './coverage/index.js';
import type { Inspector } from './inspector.js';
import type { HostNotices } from './notices.js';
import { warnedInstructions, withheldInstructions } from './results.js';
import type { GatewayStats } from './stats.js';
import type { Upstream } from './upstream.js';

export const GATEWAY_NAME = 'raxe-mcp-gateway';
export const GATEWAY_VERSION = '0.1.0';

/** What a shared upstream is initialized with: the gateway itself, asking for nothing. */
export const SHARED_INIT = { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: GATEWAY_NAME, version: GATEWAY_VERSION } };

export interface HandshakeDeps {
  upstreams: readonly Upstream[];
  /** Upstreams shared with other sessions. */
  shared: ReadonlySet<Upstream>;
  inspector: Inspector;
  notices: HostNotices;
  stats: GatewayStats;
  ready(): Upstream[];
}

export class Handshake {
  readonly #d: HandshakeDeps;
  #initialized: Promise<void> | null = null;
  /** The host's capabilities (from its initialize). */
  hostCaps: Record<string, unknown> = {};

  constructor(d: HandshakeDeps) {
    this.#d = d;
  }

  /** Answers the host's initialize. */
  async initialize(req: rpc.Request, p: Record<string, unknown>): Promise<rpc.Response> {
    this.hostCaps = (p.capabilities as Record<string, unknown>) ?? {};
    const requested = typeof p.protocolVersion === 'string' ? p.protocolVersion : LATEST_PROTOCOL_VERSION;
    const version = SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
    // client tasks are not offered upstream: the gateway cannot route tasks/* from an upstream to the host
    const { tasks: _tasks, ...upCaps } = this.hostCaps;
    this.#initialized = this.#connectAll({
      protocolVersion: version,
      capabilities: upCaps,
      clientInfo: (p.clientInfo as Record<string, unknown>) ?? { name: GATEWAY_NAME, version: GATEWAY_VERSION },
    });
    await this.#initialized;
    const ready = this.#d.ready();
    const caps = mergeCapabilities(ready, this.#d.shared);
    const instructions: string[] = [];
    const entry = coverageOf('host', 'request', 'initialize');
    for (const up of ready) {
      const text = up.init?.instructions;
      if (typeof text !== 'string') continue;
      const v = await this.#d.inspector.inspect(up.name, 'initialize', entry.result, up.init);
      if (v.action === 'block') {
        this.#d.stats.count('entries_withheld', up.name, 'withheld');
        instructions.push(withheldInstructions(up.name, v.all));
      } else if (v.action === 'warn') {
        this.#d.notices.warn(up.name, v.all, ['instructions'], `the instructions of ${up.name}`);
        instructions.push(warnedInstructions(up.name, v.all, text));
      } else instructions.push(text);
    }
    const result: Record<string, unknown> = { protocolVersion: version, capabilities: caps, serverInfo: { name: GATEWAY_NAME, version: GATEWAY_VERSION } };
    if (instructions.length) result.instructions = instructions.join('\n\n');
    return rpc.resultResponse(req.id, result);
  }

  async #connectAll(init: Record<string, unknown>): Promise<void> {
    // (each upstream logs and reports why it failed)
    await Promise.all(this.#d.upstreams.map((u) => u.connect(this.#d.shared.has(u) ? SHARED_INIT : init).catch(() => {})));
  }

  /** A host that skipped initialize still gets working upstreams. */
  async ensure(): Promise<void> {
    this.#initialized ??= this.#connectAll(SHARED_INIT);
    await this.#initialized;
  }
}
