/**
 * Task routing: which upstream owns a task the host may ask about
 * (tasks/get, tasks/result, tasks/cancel). Learnt from the CreateTaskResult
 * of a task-augmented tools/call, from tasks/list and from task status
 * notifications. Task ids are relayed unchanged; bounded in size.
 */
import type { Upstream } from './upstream.js';

/** Most tasks remembered at once (the oldest are forgotten first). */
export const MAX_TRACKED_TASKS = 10_000;

export interface TaskRoute {
  up: Upstream;
  /** The tool the task runs, when known (for the log lines). */
  tool?: string;
}

export class TaskRoutes {
  readonly #byId = new Map<string, TaskRoute>();

  /** Remembers that `up` owns task `id` (a later owner of the same id replaces the earlier one). */
  remember(id: unknown, up: Upstream, tool?: string): void {
    if (typeof id !== 'string' || id === '') return;
    const old = this.#byId.get(id);
    this.#byId.delete(id);
    this.#byId.set(id, { up, tool: tool ?? (old?.up === up ? old.tool : undefined) });
    if (this.#byId.size > MAX_TRACKED_TASKS) this.#byId.delete(this.#byId.keys().next().value!);
  }

  owner(id: unknown): TaskRoute | undefined {
    return typeof id === 'string' ? this.#byId.get(id) : undefined;
  }

  get size(): number {
    return this.#byId.size;
  }
}
