/**
 * What the gateway tells the host about itself, as `notifications/message`
 * from the logger "raxe": warned decisions (rule ids, never text), upstreams
 * that stopped, failed for good or came back. Held until the host has the
 * initialize response (a notification before it breaks the handshake).
 */
import * as rpc from './jsonrpc.js';
import type { ScanPoint } from './coverage/index.js';
import type { Decision } from './inspect.js';
import { warnData } from './results.js';
import type { Upstream } from './upstream.js';

export class HostNotices {
  readonly #send: (m: rpc.Message) => void;
  /** Held until flush(); null once flushed. */
  #held: rpc.Notification[] | null = [];
  /** The state last told per upstream (a retry that fails again is not news). */
  readonly #told = new Map<string, string>();

  constructor(send: (m: rpc.Message) => void) {
    this.#send = send;
  }

  /** A log message to the host (held until the handshake is done). */
  log(level: 'warning' | 'error' | 'info', data: Record<string, unknown>): void {
    const n: rpc.Notification = { jsonrpc: '2.0', method: 'notifications/message', params: { level, logger: 'raxe', data } };
    if (this.#held) this.#held.push(n);
    else this.#send(n);
  }

  /** Sends what was held: call right after the initialize response. */
  flush(): void {
    const held = this.#held ?? [];
    this.#held = null;
    for (const n of held) this.#send(n);
  }

  /** A warned decision. */
  warn(upstream: string, d: Decision, points: ScanPoint[], what: string): void {
    const rules = d.triggered.map((x) => x.rule_id).join(', ') || '(content that could not be scanned)';
    this.log('warning', { message: `raxe: ${[...new Set(points)].join(' and ')} of ${what} (${upstream}) matched ${rules}`, ...warnData(d, points, upstream) });
  }

  /** An upstream stopped (restarting: its calls get -32003) or failed for good (-32002). */
  stopped(up: Upstream, reason: string): void {
    if (this.#told.get(up.name) === up.state) return;
    this.#told.set(up.name, up.state);
    const failed = up.state === 'failed';
    this.log(failed ? 'error' : 'warning', {
      message: failed
        ? `raxe: upstream ${up.name} failed (${reason}) and is not restarted: its tools, prompts and resources are unavailable (-32002)`
        : `raxe: upstream ${up.name} stopped (${reason}); restarting — its calls get -32003 meanwhile`,
      upstream: up.name,
      state: up.state,
    });
  }

  /** An upstream is back: the host should list again. */
  restarted(up: Upstream): void {
    this.#told.delete(up.name);
    this.log('info', { message: `raxe: upstream ${up.name} is back`, upstream: up.name, state: up.state });
    const c = up.capabilities();
    if (c.tools) this.#send({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    if (c.prompts) this.#send({ jsonrpc: '2.0', method: 'notifications/prompts/list_changed' });
    if (c.resources) this.#send({ jsonrpc: '2.0', method: 'notifications/resources/list_changed' });
  }
}
