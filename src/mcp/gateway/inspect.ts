/**
 * What the gateway scans in each kind of message, and the policy decision.
 * Only strings are scanned; the decision carries rule ids, families and a
 * severity — never the text (privacy).
 */
import { meetsThreshold, type Detection, type Scanner, type Severity } from '../../core/index.js';
import type { EffectivePolicy } from './config.js';

export type ScanPoint = 'tool_call' | 'tool_response' | 'resource' | 'prompt' | 'description' | 'sampling' | 'elicitation';
export type Action = 'allow' | 'log' | 'warn' | 'block';

export interface Decision {
  action: Action;
  detections: Detection[];
  /** Detections at or above the threshold (the ones the action is about). */
  triggered: Detection[];
  severity: Severity | 'none';
  rule_ids: string[];
  families: string[];
}

const MAX_SCAN_CHARS = 4 * 1024 * 1024;

/** Every string leaf of a JSON value (depth-first), up to a total size. */
export function stringLeaves(v: unknown, out: string[] = [], budget = { left: MAX_SCAN_CHARS }): string[] {
  if (budget.left <= 0) return out;
  if (typeof v === 'string') {
    out.push(v.length > budget.left ? v.slice(0, budget.left) : v);
    budget.left -= v.length;
  } else if (Array.isArray(v)) for (const x of v) stringLeaves(x, out, budget);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) stringLeaves(x, out, budget);
  return out;
}

/** Texts of a tools/call result: text content, embedded resources' text, structuredContent strings. */
export function toolResultTexts(result: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const c of (result.content as Array<Record<string, unknown>> | undefined) ?? []) {
    if (c.type === 'text' && typeof c.text === 'string') out.push(c.text);
    else if (c.type === 'resource') {
      const r = c.resource as Record<string, unknown> | undefined;
      if (r && typeof r.text === 'string') out.push(r.text);
    } else if (c.type === 'resource_link') {
      for (const k of ['name', 'title', 'description'] as const) if (typeof c[k] === 'string') out.push(c[k] as string);
    }
  }
  if (result.structuredContent !== undefined) stringLeaves(result.structuredContent, out);
  return out;
}

/** Texts of resources/read contents (text members; binary blobs are not text). */
export function resourceTexts(result: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const c of (result.contents as Array<Record<string, unknown>> | undefined) ?? []) if (typeof c.text === 'string') out.push(c.text);
  return out;
}

/** Texts of prompts/get messages. */
export function promptTexts(result: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof result.description === 'string') out.push(result.description);
  for (const m of (result.messages as Array<Record<string, unknown>> | undefined) ?? []) {
    const c = m.content as Record<string, unknown> | undefined;
    if (!c) continue;
    if (c.type === 'text' && typeof c.text === 'string') out.push(c.text);
    else if (c.type === 'resource') {
      const r = c.resource as Record<string, unknown> | undefined;
      if (r && typeof r.text === 'string') out.push(r.text);
    }
  }
  return out;
}

/** Texts of a sampling/createMessage request: system prompt and message text. */
export function samplingTexts(params: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof params.systemPrompt === 'string') out.push(params.systemPrompt);
  for (const m of (params.messages as Array<Record<string, unknown>> | undefined) ?? []) {
    const cs = Array.isArray(m.content) ? m.content : [m.content];
    for (const c of cs as Array<Record<string, unknown> | undefined>) if (c && c.type === 'text' && typeof c.text === 'string') out.push(c.text);
  }
  return out;
}

/** The descriptive text of a tool, prompt, resource or template list entry (tool poisoning hides here). */
export function descriptionTexts(entry: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of ['title', 'description'] as const) if (typeof entry[k] === 'string') out.push(entry[k] as string);
  // descriptions inside input schemas and prompt arguments
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'description' || k === 'title') && typeof x === 'string') out.push(x);
        else walk(x);
      }
    }
  };
  walk(entry.inputSchema);
  walk(entry.arguments);
  return out;
}

/** Scans texts and applies the policy. */
export async function decide(scanner: Scanner, texts: string[], policy: EffectivePolicy, point: ScanPoint, l2: boolean, extra: Detection[] = []): Promise<Decision> {
  let detections: Detection[] = extra;
  if (texts.length > 0) {
    const r = await scanner.scan(texts.length === 1 ? texts[0] : texts.join('\n'), { context: point, l2 });
    if (r.detections.length) detections = detections.concat(r.detections);
  }
  return decision(detections, policy);
}

export function decision(detections: Detection[], policy: EffectivePolicy): Decision {
  const triggered = detections.filter((d) => meetsThreshold(d.severity, policy.severity_threshold));
  let severity: Severity | 'none' = 'none';
  const order = ['info', 'low', 'medium', 'high', 'critical'];
  for (const d of detections) if (severity === 'none' || order.indexOf(d.severity) > order.indexOf(severity)) severity = d.severity;
  return {
    action: triggered.length === 0 ? 'allow' : policy.on_threat,
    detections,
    triggered,
    severity,
    rule_ids: [...new Set(detections.map((d) => d.rule_id))],
    families: [...new Set(detections.map((d) => d.family))],
  };
}

/** The -32001 error data: what matched, never the text. */
export function blockData(d: Decision, point: ScanPoint, upstream: string) {
  return { code: -32001, rule_ids: d.triggered.map((x) => x.rule_id), families: [...new Set(d.triggered.map((x) => x.family))], severity: d.severity, point, upstream };
}

/** A one-line human summary: "pi-001 (PI, HIGH), tool-002 (TOOL, CRITICAL)". */
export function summary(d: Decision): string {
  return d.triggered.map((x) => `${x.rule_id} (${x.family}, ${x.severity.toUpperCase()})`).join(', ');
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
