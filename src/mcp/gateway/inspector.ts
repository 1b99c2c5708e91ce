/**
 * One message part through the scanner: the coverage walk pulls its texts
 * out by scan point (./coverage), each point the upstream's config scans is
 * decided under its policy (./inspect.ts), and every decision is recorded
 * (./report.ts). The verdict is the strictest decision; what to do with the
 * message is the caller's (./results.ts).
 */
import type { Detection, Scanner } from '../../core/index.js';
import type { Logger } from '../log.js';
import type { EffectivePolicy, UpstreamConfig } from './config.js';
import { extract, type CompiledPart, type ScanPoint } from './coverage/index.js';
import { combine, decide, type Action, type Decision } from './inspect.js';
import type { Recorder } from './report.js';

/** The config switch that turns scanning at a point off (null: always scanned). */
export const SWITCH: Record<ScanPoint, keyof UpstreamConfig | null> = {
  tool_call: 'scan_tool_calls',
  request: 'scan_tool_calls',
  tool_response: 'scan_tool_responses',
  response: 'scan_tool_responses',
  resource: 'scan_resources',
  prompt: 'scan_prompts',
  completion: 'scan_prompts',
  description: 'scan_descriptions',
  instructions: 'scan_descriptions',
  sampling: null,
  elicitation: null,
  notification: null,
};

export interface Verdict {
  action: Action;
  /** One decision per scan point that had something to scan. */
  decisions: Array<{ point: ScanPoint; d: Decision }>;
  /** All of them as one (each rule once). */
  all: Decision;
  /** The point of the strictest decision. */
  point: ScanPoint;
}

const ALLOW: Decision = { action: 'allow', detections: [], triggered: [], severity: 'none', rule_ids: [], families: [] };

/** A verdict with nothing in it. */
export const CLEAN: Verdict = { action: 'allow', decisions: [], all: ALLOW, point: 'response' };

export interface InspectorDeps {
  scanner: Scanner;
  recorder: Recorder;
  logger: Logger;
  l2: boolean;
  policy(upstream: string): EffectivePolicy;
  /** The upstream's config (for the scan switches); undefined: scan everything. */
  config(upstream: string): UpstreamConfig | undefined;
  now?: () => number;
  budgetMs?: number;
}

/** Detections known before scanning (a rug pull), at a point. */
export interface Extra {
  point: ScanPoint;
  detections: Detection[];
  changed?: string[];
}

export class Inspector {
  readonly #d: InspectorDeps;

  constructor(d: InspectorDeps) {
    this.#d = d;
  }

  /**
   * Scans one part of a message from or to `upstream` and records each
   * decision. `what` names the tool, prompt or resource it is about.
   */
  async inspect(upstream: string, method: string, part: CompiledPart | undefined, value: unknown, what?: string, extra?: Extra): Promise<Verdict> {
    if (!part || part.exempt !== undefined) return CLEAN;
    const ex = extract(part, value);
    const points = new Set<ScanPoint>([...ex.texts.keys(), ...ex.unscannable.keys()]);
    if (extra) points.add(extra.point);
    if (points.size === 0) return CLEAN;
    const cfg = this.#d.config(upstream);
    const policy = this.#d.policy(upstream);
    const decisions: Verdict['decisions'] = [];
    for (const point of points) {
      const sw = SWITCH[point];
      const off = sw !== null && cfg !== undefined && cfg[sw] === false;
      const mine = extra?.point === point ? extra : undefined;
      if (off && !mine) continue;
      const d = await decide(
        this.#d.scanner, off ? [] : ex.texts.get(point) ?? [], policy,
        { point, l2: this.#d.l2, now: this.#d.now, budgetMs: this.#d.budgetMs }, mine?.detections, off ? undefined : ex.unscannable.get(point),
      );
      if (d.error) this.#d.logger.warn(`scan error (${upstream} ${method} ${point}): ${d.error}; treated as unscanned`);
      this.#d.recorder.decision({ upstream, method, point, d, what, changed: mine?.changed });
      decisions.push({ point, d });
    }
    if (decisions.length === 0) return CLEAN;
    let strictest = decisions[0];
    for (const x of decisions) if (rank(x.d.action) > rank(strictest.d.action)) strictest = x;
    const all = combine(decisions.map((x) => x.d));
    return { action: all.action, decisions, all, point: strictest.point };
  }
}

const rank = (a: Action) => ({ allow: 0, log: 1, warn: 2, block: 3 })[a];
