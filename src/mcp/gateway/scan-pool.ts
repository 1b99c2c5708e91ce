/**
 * Heavy scans off the request path: long texts are scanned by a pool of
 * workers (threads), so the event loop that answers pings, routes requests
 * and relays other sessions' messages is never held by a scan. One small
 * interface (`WorkerPort`, made by a `WorkerFactory`) is all a runtime has
 * to provide — node:worker_threads on Node, Deno and Bun (./../node) — and
 * everything else here is runtime-agnostic.
 *
 * Fairness: every task belongs to a lane (the HTTP session, or the stdio
 * host), and idle workers take the next task of each lane in turn, so one
 * session scanning 4 MB texts (128 windows) delays another session's scan
 * by at most one window per worker, not by its whole backlog.
 *
 * A worker that crashes fails the task it held (the gateway counts that
 * text as unscanned: fail closed) and is replaced.
 */
import type { ScanResult } from '../../core/index.js';
import type { Logger } from '../log.js';

/** A text shorter than this is scanned inline: copying it to a thread costs more than scanning it. */
export const POOL_MIN_CHARS = 16 * 1024;

/** One worker, as the pool sees it. */
export interface WorkerPort {
  post(msg: ScanTask): void;
  onMessage(f: (msg: ScanReply) => void): void;
  /** The worker failed or exited: its task (if any) is lost. */
  onFailure(f: (why: string) => void): void;
  terminate(): Promise<void>;
}

export type WorkerFactory = () => WorkerPort;

/** What a worker is asked: scan `text` (with the options of Scanner.scan). */
export interface ScanTask {
  id: number;
  text: string;
  context: string;
  l2: boolean;
}

/** What a worker answers. */
export type ScanReply = { id: number; result: ScanResult } | { id: number; error: string };

/** Scans off the caller's thread. */
export interface ScanPool {
  /** Scans `text` in `lane`'s turn; rejects when the worker failed. */
  scan(text: string, o: { context: string; l2: boolean }, lane: string): Promise<ScanResult>;
  /** Workers running, scans done, workers that failed, tasks waiting. */
  stats(): { workers: number; done: number; failures: number; queued: number };
  close(): Promise<void>;
}

interface Task {
  msg: ScanTask;
  resolve(r: ScanResult): void;
  reject(e: Error): void;
}

interface Slot {
  port: WorkerPort;
  task: Task | null;
}

export class WorkerScanPool implements ScanPool {
  readonly #factory: WorkerFactory;
  readonly #size: number;
  readonly #log: Logger;
  readonly #slots: Slot[] = [];
  /** Waiting tasks per lane; Map order is the round-robin order. */
  readonly #lanes = new Map<string, Task[]>();
  #seq = 0;
  #closed = false;
  /** Scans done, and workers that failed (and were replaced). */
  done = 0;
  failures = 0;

  /** `size` workers, started on first use. */
  constructor(factory: WorkerFactory, size: number, logger: Logger) {
    this.#factory = factory;
    this.#size = Math.max(1, size);
    this.#log = logger;
  }

  scan(text: string, o: { context: string; l2: boolean }, lane: string): Promise<ScanResult> {
    if (this.#closed) return Promise.reject(new Error('the scan pool is closed'));
    return new Promise((resolve, reject) => {
      const task: Task = { msg: { id: ++this.#seq, text, context: o.context, l2: o.l2 }, resolve, reject };
      const q = this.#lanes.get(lane);
      if (q) q.push(task);
      else {
        // a lane with nothing waiting goes first: the lanes waiting have just been served
        const rest = [...this.#lanes];
        this.#lanes.clear();
        this.#lanes.set(lane, [task]);
        for (const [k, v] of rest) this.#lanes.set(k, v);
      }
      this.#pump();
    });
  }

  /** Hands waiting tasks, one lane at a time, to idle workers. */
  #pump(): void {
    while (this.#lanes.size > 0) {
      const slot = this.#idle();
      if (!slot) return;
      const [lane, q] = this.#lanes.entries().next().value as [string, Task[]];
      const task = q.shift()!;
      this.#lanes.delete(lane);
      if (q.length) this.#lanes.set(lane, q); // to the back of the turn
      slot.task = task;
      slot.port.post(task.msg);
    }
  }

  #idle(): Slot | undefined {
    const free = this.#slots.find((s) => s.task === null);
    if (free || this.#slots.length >= this.#size) return free;
    const slot: Slot = { port: this.#factory(), task: null };
    slot.port.onMessage((m) => {
      const t = slot.task;
      if (!t || t.msg.id !== m.id) return;
      slot.task = null;
      this.done++;
      if ('error' in m) t.reject(new Error(m.error));
      else t.resolve(m.result);
      this.#pump();
    });
    slot.port.onFailure((why) => {
      const i = this.#slots.indexOf(slot);
      if (i < 0) return;
      this.#slots.splice(i, 1);
      if (this.#closed) return;
      this.failures++;
      this.#log.warn(`scan worker failed (${why}); its text counts as unscanned, a new worker takes over`);
      slot.task?.reject(new Error(`scan worker failed: ${why}`));
      slot.task = null;
      this.#pump();
    });
    this.#slots.push(slot);
    return slot;
  }

  stats(): { workers: number; done: number; failures: number; queued: number } {
    let queued = 0;
    for (const q of this.#lanes.values()) queued += q.length;
    return { workers: this.#slots.length, done: this.done, failures: this.failures, queued };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const q of this.#lanes.values()) for (const t of q) t.reject(new Error('the scan pool is closed'));
    this.#lanes.clear();
    const slots = this.#slots.splice(0);
    for (const s of slots) s.task?.reject(new Error('the scan pool is closed'));
    await Promise.all(slots.map((s) => s.port.terminate().catch(() => {})));
  }
}
