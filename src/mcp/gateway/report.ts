/**
 * Telling the operator what the gateway decided: the stats, the audit log
 * (when telemetry is on) and one stderr line per decision — at the default
 * log level every decision that is not "allow", with -v (debug) the allowed
 * ones too. A line carries time, upstream, method, tool or resource, scan
 * point, action, rule ids, severity and unscanned reasons; never text, and
 * resource URIs without their query or userinfo (redactUri).
 */
import type { Logger } from '../log.js';
import type { AuditEvent, AuditSink } from './audit.js';
import type { Decision } from './inspect.js';
import type { GatewayStats } from './stats.js';
import type { GatewayMetrics } from './metrics.js';

/** Longest tool/resource identifier written to a log line or event. */
export const MAX_IDENT_CHARS = 120;

/**
 * An identifier (tool, prompt or resource name) fit for a log line: one
 * line, no spaces, bounded. Names are chosen by upstreams; this keeps one
 * from forging log lines or flooding the log.
 */
export function safeIdent(s: string): string {
  const t = s.replace(/[^\w.:/@+#~%=?&-]/g, '_');
  return t.length > MAX_IDENT_CHARS ? `${t.slice(0, MAX_IDENT_CHARS)}…` : t;
}

/**
 * A URI as the log keeps it: no userinfo (`user:pass@`) and no query or
 * fragment (`?api_key=sk-live-...`): they carry credentials, and the log
 * outlives the request. Anything without a scheme is returned as it is.
 *
 *   redactUri('https://u:p@host/a?key=1#x') // 'https://host/a?redacted'
 */
export function redactUri(s: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]{0,31}:/.exec(s);
  if (!scheme) return s;
  let out = scheme[0];
  let rest = s.slice(out.length);
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, 2 + end);
    out += `//${authority.slice(authority.lastIndexOf('@') + 1)}`;
    rest = end < 0 ? '' : rest.slice(2 + end);
  }
  const q = rest.search(/[?#]/);
  return q < 0 ? out + rest : `${out}${rest.slice(0, q)}?redacted`;
}

export interface DecisionRecord {
  upstream: string;
  method: string;
  point: string;
  d: Decision | null;
  /** The action to record (defaults to the decision's). */
  action?: string;
  /** Tool, prompt or resource the decision is about. */
  what?: string;
  /** Rule ids to record instead of the decision's (policy:deny...). */
  ruleIds?: string[];
  /** With `ruleIds`: their severity and families (a call to a tool withheld earlier). */
  severity?: string;
  families?: string[];
  /** A pin change: the field paths of the tool definition that changed (names only). */
  changed?: string[];
}

export interface RecorderOptions {
  logger: Logger;
  stats: GatewayStats;
  audit?: AuditSink;
  telemetry: boolean;
  /** The MSSP/customer ids of an upstream (from its env), for the audit events. */
  context?(upstream: string): { mssp_id?: string; customer_id?: string };
  now?: () => Date;
  metrics?: GatewayMetrics;
}

export class Recorder {
  readonly #o: RecorderOptions;

  constructor(o: RecorderOptions) {
    this.#o = o;
  }

  /** Records one decision: counters, audit event, stderr line. */
  decision(r: DecisionRecord): void {
    const d = r.d;
    const action = r.action ?? d?.action ?? 'allow';
    // detections under the threshold: allowed (stderr with -v only), but kept in the audit log as "log"
    const audited = action === 'allow' && d?.detections.length ? 'log' : action;
    const st = this.#o.stats;
    if (d?.detections.length) st.threat(r.upstream);
    if (d?.unscanned) st.count('unscanned', r.upstream, 'unscanned');
    const m = this.#o.metrics;
    if (m) {
      m.decision(r.point, audited, d);
      if (r.point === 'rate_limit') m.rateLimited.inc({ bucket: r.upstream === '-' ? '*' : m.upstream(r.upstream) });
    }
    if (audited === 'allow' && this.#o.logger.enabled?.('debug') === false) return; // a clean pass nobody asked to see
    const ts = (this.#o.now?.() ?? new Date()).toISOString();
    const ruleIds = r.ruleIds ?? d?.rule_ids ?? [];
    const what = r.what === undefined ? undefined : safeIdent(redactUri(r.what));
    const line = [
      `decision ${ts}`,
      `upstream=${r.upstream}`,
      `method=${safeIdent(r.method)}`,
      ...(what ? [`${r.point === 'resource' ? 'resource' : 'tool'}=${what}`] : []),
      `point=${r.point}`,
      `action=${action}`,
      `rules=${ruleIds.join(',') || '-'}`,
      `severity=${r.severity ?? d?.severity ?? 'none'}`,
      ...(d?.unscanned ? [`unscanned=${d.unscanned.join(',')}`] : []),
      ...(r.changed?.length ? [`changed=${r.changed.map(safeIdent).join(',')}`] : []),
    ].join(' ');
    if (action === 'allow') this.#o.logger.debug(line);
    else this.#o.logger.info(line);
    if (audited === 'allow') return; // nothing to audit
    const audit = this.#o.audit;
    if (!audit || !this.#o.telemetry) return;
    const ev: AuditEvent = {
      ts,
      upstream: r.upstream,
      method: r.method,
      ...(what ? { tool: what } : {}),
      point: r.point,
      action: audited,
      rule_ids: ruleIds,
      families: r.families ?? d?.families ?? [],
      severity: r.severity ?? d?.severity ?? 'none',
      ...(d?.unscanned ? { unscanned: d.unscanned } : {}),
      ...(r.changed?.length ? { changed_fields: r.changed.map(safeIdent) } : {}),
      ...(this.#o.context?.(r.upstream) ?? {}),
    };
    audit.write(ev);
  }

  /** A line about the gateway itself (an upstream failed, a pin changed): info level, never text. */
  notice(msg: string): void {
    this.#o.logger.info(msg);
  }
}
