/**
 * Scanning texts and the policy decision. Every text is scanned whole, up to
 * the message limit: long texts in overlapping windows (the engine is
 * linear; windows keep each scan inside the decoders' budget). A text that
 * cannot be scanned completely — the scanner reports it `partial`, throws,
 * or the time budget runs out — is "unscanned", and gets the policy's
 * `on_unscanned` action (fail closed), never a silent pass.
 * Decisions carry rule ids, families and a severity, never the text.
 */
import { meetsThreshold, type Detection, type Scanner, type Severity } from '../../core/index.js';
import type { EffectivePolicy } from './config.js';
import type { ScanPoint } from './coverage/index.js';

export type { ScanPoint } from './coverage/index.js';
export type Action = 'allow' | 'log' | 'warn' | 'block';

/**
 * Characters per scan window. The scanner's decoders have a fixed budget of
 * decoded text per scan (256 Ki characters over every layer: base64, URL,
 * HTML entities, escapes, nested up to three deep); measured on 1 MB of
 * TypeScript, HTML and JSON-escaped text, 32 KiB windows stay inside it
 * where 128 KiB ones do not, at the same total cost.
 */
export const SCAN_WINDOW_CHARS = 32 * 1024;
/**
 * Characters consecutive windows share, so a match that straddles a window
 * boundary is still found whole when it is shorter than this (rule matches
 * are phrases; 2 KiB is far past the longest built-in example).
 */
export const SCAN_WINDOW_OVERLAP_CHARS = 2 * 1024;
/**
 * Most time one decision may spend scanning. Past it the rest is unscanned
 * (on_unscanned): a message built to be slow to scan cannot hold the gateway
 * for longer, and is never passed as clean. 30 s is the default request
 * timeout, far past the scan time of a 10 MB message of ordinary text.
 */
export const SCAN_TIME_BUDGET_MS = 30_000;

/** Why a text was not scanned completely (the scanner's reasons, and the gateway's own). */
export type UnscannedReason = string;

export interface Decision {
  action: Action;
  detections: Detection[];
  /** Detections at or above the threshold (the ones the action is about). */
  triggered: Detection[];
  severity: Severity | 'none';
  rule_ids: string[];
  families: string[];
  /** Present when some text could not be scanned completely: why. */
  unscanned?: UnscannedReason[];
}

export interface ScanOptions {
  point: ScanPoint;
  l2: boolean;
  /** Clock (ms) for the time budget. */
  now?: () => number;
  budgetMs?: number;
}

const RANK: Record<Action, number> = { allow: 0, log: 1, warn: 2, block: 3 };

/** The stricter of two actions. */
export function stricter(a: Action, b: Action): Action {
  return RANK[a] >= RANK[b] ? a : b;
}

/** [start, end) windows over `n` characters of `text`, never splitting a surrogate pair. */
export function windows(text: string, size = SCAN_WINDOW_CHARS, overlap = SCAN_WINDOW_OVERLAP_CHARS): Array<[number, number]> {
  const n = text.length;
  if (n <= size) return [[0, n]];
  const out: Array<[number, number]> = [];
  let start = 0;
  for (;;) {
    let end = Math.min(n, start + size);
    if (end < n && isHigh(text.charCodeAt(end - 1))) end--;
    out.push([start, end]);
    if (end >= n) return out;
    start = end - overlap;
    if (isLow(text.charCodeAt(start))) start--;
  }
}
const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/**
 * Windows scanned between two yields to the event loop while a long text is
 * scanned (about 256 KiB, tens of milliseconds), so other requests and pings
 * are not held for the whole scan; shorter texts never yield.
 */
export const WINDOWS_PER_YIELD = 8;

const later = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
/** Lets other work run (setImmediate where the runtime has it: setTimeout(0) waits at least 1 ms). */
const breathe = () => new Promise<void>((r) => (later ? later(r) : setTimeout(r, 0)));

/**
 * Scans `texts` (joined by newlines) completely: one scan, or overlapping
 * windows for long texts. Detections are merged per rule; `unscanned` holds
 * the reasons some part was not scanned completely.
 */
export async function scanTexts(scanner: Scanner, texts: string[], o: ScanOptions): Promise<{ detections: Detection[]; unscanned: Set<UnscannedReason>; error?: string }> {
  const unscanned = new Set<UnscannedReason>();
  const byRule = new Map<string, Detection>();
  if (texts.length === 0) return { detections: [], unscanned };
  const text = texts.length === 1 ? texts[0] : texts.join('\n');
  const now = o.now ?? (() => performance.now());
  const budget = o.budgetMs ?? SCAN_TIME_BUDGET_MS;
  const t0 = now();
  const ws = windows(text);
  let error: string | undefined;
  for (let i = 0; i < ws.length; i++) {
    if (i > 0) {
      if (now() - t0 > budget) {
        unscanned.add('time_budget');
        break;
      }
      if (i % WINDOWS_PER_YIELD === 0) await breathe();
    }
    const [a, b] = ws[i];
    try {
      const r = await scanner.scan(ws.length === 1 ? text : text.slice(a, b), { context: o.point, l2: o.l2 });
      for (const p of r.partial ?? []) unscanned.add(p);
      for (const d of r.detections) {
        const seen = byRule.get(d.rule_id);
        if (!seen || d.confidence > seen.confidence) byRule.set(d.rule_id, d);
      }
    } catch (e) {
      unscanned.add('scan_error');
      error = e instanceof Error ? e.message : String(e);
    }
  }
  return { detections: [...byRule.values()], unscanned, error };
}

/** Scans texts and applies the policy; `extra` detections (e.g. a rug pull) and reasons already known to be unscanned count too. */
export async function decide(
  scanner: Scanner, texts: string[], policy: EffectivePolicy, o: ScanOptions, extra: Detection[] = [], unscannable?: Iterable<UnscannedReason>,
): Promise<Decision & { error?: string }> {
  const r = await scanTexts(scanner, texts, o);
  for (const u of unscannable ?? []) r.unscanned.add(u);
  const d = decision(extra.concat(r.detections), policy, [...r.unscanned].sort());
  return r.error ? { ...d, error: r.error } : d;
}

/** The decision for these detections (and unscanned reasons) under `policy`. */
export function decision(detections: Detection[], policy: EffectivePolicy, unscanned: UnscannedReason[] = []): Decision {
  const triggered = detections.filter((d) => meetsThreshold(d.severity, policy.severity_threshold));
  let severity: Severity | 'none' = 'none';
  const order = ['info', 'low', 'medium', 'high', 'critical'];
  for (const d of detections) if (severity === 'none' || order.indexOf(d.severity) > order.indexOf(severity)) severity = d.severity;
  let action: Action = triggered.length === 0 ? 'allow' : policy.on_threat;
  if (unscanned.length) action = stricter(action, policy.on_unscanned);
  const d: Decision = {
    action,
    detections,
    triggered,
    severity,
    rule_ids: [...new Set(detections.map((x) => x.rule_id))],
    families: [...new Set(detections.map((x) => x.family))],
  };
  if (unscanned.length) d.unscanned = unscanned;
  return d;
}

/** Several decisions about one message as one (the strictest action; each rule once). */
export function combine(ds: Decision[]): Decision {
  if (ds.length === 1) return ds[0];
  const byRule = new Map<string, Detection>();
  const trig = new Map<string, Detection>();
  const unscanned = new Set<string>();
  let action: Action = 'allow';
  let severity: Severity | 'none' = 'none';
  const order = ['none', 'info', 'low', 'medium', 'high', 'critical'];
  for (const d of ds) {
    action = stricter(action, d.action);
    if (order.indexOf(d.severity) > order.indexOf(severity)) severity = d.severity;
    for (const x of d.detections) if (!byRule.has(x.rule_id)) byRule.set(x.rule_id, x);
    for (const x of d.triggered) if (!trig.has(x.rule_id)) trig.set(x.rule_id, x);
    for (const u of d.unscanned ?? []) unscanned.add(u);
  }
  const detections = [...byRule.values()];
  const out: Decision = {
    action, detections, triggered: [...trig.values()], severity,
    rule_ids: detections.map((x) => x.rule_id), families: [...new Set(detections.map((x) => x.family))],
  };
  if (unscanned.size) out.unscanned = [...unscanned].sort();
  return out;
}

/** The -32001 error data: what matched (or why it could not be scanned), never the text. */
export function blockData(d: Decision, point: ScanPoint, upstream: string): Record<string, unknown> {
  const data: Record<string, unknown> = {
    code: -32001,
    rule_ids: d.triggered.map((x) => x.rule_id),
    families: [...new Set(d.triggered.map((x) => x.family))],
    severity: d.severity,
    point,
    upstream,
  };
  if (d.unscanned) {
    data.reason = 'unscanned';
    data.unscanned = d.unscanned;
  }
  return data;
}

/** A one-line human summary: "pi-001 (PI, HIGH), tool-002 (TOOL, CRITICAL)", plus what could not be scanned. */
export function summary(d: Decision): string {
  const parts = d.triggered.map((x) => `${x.rule_id} (${x.family}, ${x.severity.toUpperCase()})`);
  if (d.unscanned) parts.push(`content that could not be scanned completely (${d.unscanned.join(', ')})`);
  return parts.join(', ') || 'nothing';
}

/** Glob match for tool allow/deny lists ("*" matches any run of characters). */
export function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/** Is this tool allowed by the policy's allow/deny lists? */
export function toolAllowed(policy: EffectivePolicy, tool: string): boolean {
  if (policy.deny_tools?.some((p) => globMatch(p, tool))) return false;
  if (policy.allow_tools && !policy.allow_tools.some((p) => globMatch(p, tool))) return false;
  return true;
}
