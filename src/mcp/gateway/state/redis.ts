/**
 * The gateway's state in Redis, shared by every instance of a fleet:
 *
 *   <prefix>rl:<bucket>:<client>   a token bucket (hash; ./redis-scripts.ts, atomic)
 *   <prefix>pins:<identity key>    the pins of one upstream identity (hash:
 *                                  identity, tool:<name>, change:<name>; JSON values)
 *   <prefix>counters               fleet-wide counters (hash; batched HINCRBY)
 *   <prefix>events                 the audit event stream (a Stream capped near
 *                                  EVENT_STREAM_MAXLEN; field "e": the event's JSON)
 *
 * Runtime-agnostic: commands go through a RedisPort (TCP on Node, HTTP on
 * workers). Nothing here throws at the gateway: a command that fails or
 * takes longer than REDIS_COMMAND_TIMEOUT_MS starts an outage — one warning
 * — during which the instance runs on its local state (./local.ts) and
 * tries Redis again every REDIS_RETRY_MS; the first command that succeeds
 * ends it. During an outage: rate limits are this instance's own; pins are
 * the local copies of those read before, and a tool none of them knows is
 * not pinned but unscanned (../pins.ts, on_unscanned: blocked under block);
 * events go to the local audit log and up to EVENT_QUEUE_MAX wait for the
 * stream; counters wait to be added.
 */
import type { Logger } from '../../log.js';
import type { AuditEvent, AuditSink } from '../audit.js';
import type { PinRecord, PinStore } from '../pins.js';
import { redactUri } from '../report.js';
import type { LocalState } from './local.js';
import { ADD_COUNTERS, REPLACE_HASH, TOKEN_BUCKET } from './redis-scripts.js';
import type { GatewayState, RedisPort, Refusal, StateHealth } from './types.js';

/**
 * A command slower than this is an outage. Rate limiting waits on Redis in
 * every routed request; a healthy Redis on the same network answers in well
 * under a millisecond, so 500 ms only trips on a Redis that is gone or
 * stalled, and bounds what such a Redis adds to a request.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 500;
/** During an outage, Redis is tried again at most this often (requests meanwhile use local state at once). */
export const REDIS_RETRY_MS = 1000;
/** The event stream is trimmed to about this many entries (XADD MAXLEN ~): a day of a busy fleet's non-allow decisions. */
export const EVENT_STREAM_MAXLEN = 100_000;
/** Events kept for the stream during an outage (the oldest are dropped past it; every one is in the local audit log). */
export const EVENT_QUEUE_MAX = 10_000;
/** Counters are added to Redis at most this often (one command for all of them). */
export const COUNTER_FLUSH_MS = 1000;

export interface RedisStateOptions {
  port: RedisPort;
  /** Where the instance falls back to, and the local mirror of pins and the audit log. */
  local: LocalState;
  logger: Logger;
  /** The Redis URL (logged without its password). */
  url: string;
  /** Key prefix (default "raxe:"). */
  prefix?: string;
  timeoutMs?: number;
  retryMs?: number;
  now?: () => number;
}

class Outage extends Error {}

async function sha1(s: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(s));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** HGETALL's reply as an object (a flat array over RESP2 and HTTP, a map over RESP3). */
function hash(reply: unknown): Record<string, string> {
  if (Array.isArray(reply)) {
    const out: Record<string, string> = {};
    for (let i = 0; i + 1 < reply.length; i += 2) out[String(reply[i])] = String(reply[i + 1]);
    return out;
  }
  if (reply instanceof Map) return Object.fromEntries([...reply].map(([k, v]) => [String(k), String(v)]));
  return reply && typeof reply === 'object' ? (reply as Record<string, string>) : {};
}

/** A pin record from its hash (undefined when there is none). */
function recordOf(h: Record<string, string>): PinRecord | undefined {
  if (!h.identity) return undefined;
  const rec: PinRecord = { identity: JSON.parse(h.identity), tools: {}, changes: {} };
  for (const [f, v] of Object.entries(h)) {
    if (f.startsWith('tool:')) rec.tools[f.slice(5)] = JSON.parse(v);
    else if (f.startsWith('change:')) rec.changes[f.slice(7)] = JSON.parse(v);
  }
  return rec;
}

/** A pin record as hash fields. */
function fieldsOf(rec: PinRecord): string[] {
  const fields = ['identity', JSON.stringify(rec.identity)];
  for (const [n, t] of Object.entries(rec.tools)) fields.push(`tool:${n}`, JSON.stringify(t));
  for (const [n, c] of Object.entries(rec.changes ?? {})) fields.push(`change:${n}`, JSON.stringify(c));
  return fields;
}

export class RedisState implements GatewayState {
  readonly pins: PinStore;
  readonly audit: AuditSink;
  readonly #o: RedisStateOptions;
  readonly #p: string;
  readonly #now: () => number;
  readonly #shas = new Map<string, Promise<string>>();
  #down = false;
  #since = 0;
  #nextTry = 0;
  #outages = 0;
  #queue: string[] = [];
  #dropped = 0;
  #draining: Promise<void> | null = null;
  #pending = new Map<string, number>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Pin records as last mirrored locally (JSON), so an unchanged one is not written again. */
  readonly #mirrored = new Map<string, string>();

  constructor(o: RedisStateOptions) {
    this.#o = o;
    this.#p = o.prefix ?? 'raxe:';
    this.#now = o.now ?? (() => Date.now());
    const local = o.local;
    this.pins = {
      load: async (key) => (await this.#loadPins(key)).rec,
      loadChecked: (key) => this.#loadPins(key),
      save: (key, rec) => this.#savePins(key, rec),
    };
    this.audit = {
      write: (e: AuditEvent) => {
        local.audit?.write(e);
        this.#event(JSON.stringify(e));
      },
      flush: async () => {
        await local.audit?.flush?.();
        await this.#drain();
      },
    };
  }

  // ------------------------------------------------------------ commands

  /** One command, or an Outage (fast during one, until the next retry). */
  async #cmd(args: string[]): Promise<unknown> {
    const now = this.#now();
    if (this.#down && now < this.#nextTry) throw new Outage('redis down');
    if (this.#down) this.#nextTry = now + (this.#o.retryMs ?? REDIS_RETRY_MS); // this call is the probe
    const ms = this.#o.timeoutMs ?? REDIS_COMMAND_TIMEOUT_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const reply = await Promise.race([
        this.#o.port.send(args),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))),
      ]);
      if (this.#down) this.#recovered();
      return reply;
    } catch (e) {
      if (/^NOSCRIPT/.test(String((e as Error)?.message ?? e))) {
        if (this.#down) this.#recovered(); // (an answer: Redis is there)
        throw e;
      }
      this.#failed(e);
      throw new Outage(String(e));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a script by its hash, loading it when Redis does not know it yet. */
  async #script(src: string, keys: string[], args: string[]): Promise<unknown> {
    let sha = this.#shas.get(src);
    if (!sha) this.#shas.set(src, (sha = sha1(src)));
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.#cmd(['EVALSHA', await sha, ...tail]);
    } catch (e) {
      if (e instanceof Outage) throw e;
      return this.#cmd(['EVAL', src, ...tail]);
    }
  }

  #failed(e: unknown): void {
    this.#nextTry = this.#now() + (this.#o.retryMs ?? REDIS_RETRY_MS);
    if (this.#down) return;
    this.#down = true;
    this.#since = this.#now();
    this.#outages++;
    const why = e instanceof Error ? e.message : String(e);
    this.#o.logger.warn(
      `state: Redis at ${redactUri(this.#o.url)} is unreachable (${why.split('\n')[0].slice(0, 200)}); this instance runs on its local state until it is back: ` +
        'rate limits per instance, pins known here only (a tool first seen now is unscanned), events in the local audit log',
    );
  }

  #recovered(): void {
    this.#down = false;
    this.#o.logger.warn(`state: Redis at ${redactUri(this.#o.url)} is back after ${Math.round((this.#now() - this.#since) / 1000)} s; ${this.#queue.length} queued events go to the stream`);
    void this.#drain();
    this.#schedule();
  }

  // --------------------------------------------------------- rate limits

  async take(client: string, bucket: string, rpm: number): Promise<Refusal | null> {
    if (rpm === 0) return null;
    try {
      const r = (await this.#script(TOKEN_BUCKET, [`${this.#p}rl:${bucket}:${client}`], [String(rpm)])) as unknown[];
      return Number(r[0]) === 1 ? null : { rpm, retryAfterS: Number(r[1]) };
    } catch {
      return this.#o.local.buckets.takeNow(client, bucket, rpm);
    }
  }

  // ---------------------------------------------------------------- pins

  async #loadPins(key: string): Promise<{ rec: PinRecord | undefined; authoritative: boolean }> {
    const local = this.#o.local.pins;
    let h: Record<string, string>;
    try {
      h = hash(await this.#cmd(['HGETALL', `${this.#p}pins:${key}`]));
    } catch {
      return { rec: await local.load(key), authoritative: false };
    }
    const rec = recordOf(h);
    if (!rec) return { rec: undefined, authoritative: true };
    const json = JSON.stringify(rec);
    if (this.#mirrored.get(key) !== json) {
      this.#mirrored.set(key, json);
      await local.save(key, rec);
    }
    return { rec, authoritative: true };
  }

  async #savePins(key: string, rec: PinRecord): Promise<void> {
    this.#mirrored.set(key, JSON.stringify(rec));
    await this.#o.local.pins.save(key, rec);
    try {
      await this.#script(REPLACE_HASH, [`${this.#p}pins:${key}`], fieldsOf(rec));
    } catch {
      // kept locally; the fleet's pin is unchanged, so the next tools/list after the outage finds the change again
    }
  }

  /**
   * Every pin record in Redis, by key, for `raxe mcp pins` (no local
   * fallback: rejects when Redis cannot be read).
   */
  async pinRecords(): Promise<Record<string, PinRecord>> {
    const out: Record<string, PinRecord> = {};
    const pre = `${this.#p}pins:`;
    let cursor = '0';
    do {
      const [next, keys] = (await this.#cmd(['SCAN', cursor, 'MATCH', `${pre}*`, 'COUNT', '200'])) as [string, string[]];
      for (const k of keys) {
        const rec = recordOf(hash(await this.#cmd(['HGETALL', k])));
        if (rec) out[k.slice(pre.length)] = rec;
      }
      cursor = String(next);
    } while (cursor !== '0');
    return out;
  }

  /** Replaces (or with null deletes) one pin record in Redis; rejects when Redis cannot be written. */
  async replacePins(key: string, rec: PinRecord | null): Promise<void> {
    if (rec) await this.#script(REPLACE_HASH, [`${this.#p}pins:${key}`], fieldsOf(rec));
    else await this.#cmd(['DEL', `${this.#p}pins:${key}`]);
  }

  // -------------------------------------------------------------- events

  #event(json: string): void {
    if (this.#down || this.#queue.length > 0) {
      this.#enqueue(json);
      if (!this.#down) void this.#drain();
      return;
    }
    this.#cmd(['XADD', `${this.#p}events`, 'MAXLEN', '~', String(EVENT_STREAM_MAXLEN), '*', 'e', json]).catch(() => this.#enqueue(json));
  }

  #enqueue(json: string): void {
    if (this.#queue.length >= EVENT_QUEUE_MAX) {
      this.#queue.shift();
      this.#dropped++;
    }
    this.#queue.push(json);
  }

  /** Sends the queued events, in order, while Redis answers (during an outage: a probe, at most once per REDIS_RETRY_MS). */
  #drain(): Promise<void> {
    this.#draining ??= (async () => {
      // one at a time: in order, and an event is dropped from the queue only once Redis has it
      while (this.#queue.length > 0) {
        try {
          await this.#cmd(['XADD', `${this.#p}events`, 'MAXLEN', '~', String(EVENT_STREAM_MAXLEN), '*', 'e', this.#queue[0]]);
        } catch {
          return; // still queued; the next recovery sends them
        }
        this.#queue.shift();
      }
    })().finally(() => (this.#draining = null));
    return this.#draining;
  }

  // ------------------------------------------------------------ counters

  count(counter: string, n = 1): void {
    this.#o.local.count(counter, n);
    this.#pending.set(counter, (this.#pending.get(counter) ?? 0) + n);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#flushTimer || this.#pending.size === 0) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = null;
      void this.#flush();
    }, COUNTER_FLUSH_MS);
    (this.#flushTimer as { unref?: () => void }).unref?.();
  }

  async #flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    try {
      await this.#script(ADD_COUNTERS, [`${this.#p}counters`], [...batch].flatMap(([k, v]) => [k, String(v)]));
    } catch {
      for (const [k, v] of batch) this.#pending.set(k, (this.#pending.get(k) ?? 0) + v);
      if (!this.#down) this.#schedule();
    }
  }

  async counters(): Promise<Record<string, number>> {
    try {
      const h = hash(await this.#cmd(['HGETALL', `${this.#p}counters`]));
      const out: Record<string, number> = {};
      for (const [k, v] of Object.entries(h)) out[k] = Number(v);
      for (const [k, v] of this.#pending) out[k] = (out[k] ?? 0) + v;
      return out;
    } catch {
      return this.#o.local.counters();
    }
  }

  health(): StateHealth {
    return {
      backend: 'redis',
      url: redactUri(this.#o.url),
      connected: !this.#down,
      ...(this.#down ? { degraded_since: new Date(this.#since).toISOString() } : {}),
      outages: this.#outages,
      events_queued: this.#queue.length,
      events_dropped: this.#dropped,
    };
  }

  async close(): Promise<void> {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    await this.#flush();
    await this.#drain();
    await this.#o.local.close();
    await this.#o.port.close();
  }
}
