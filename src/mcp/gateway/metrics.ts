/**
 * The gateway's metrics in Prometheus' text exposition format (0.0.4) —
 * a tiny registry of counters, gauges and histograms with labels, Web APIs
 * only, so the same /metrics runs on Node, Deno, Bun and workers. Label
 * values come from small closed sets (actions, families, severities, scan
 * points, configured upstream names, known MCP methods), never from text
 * a client or upstream chose, so no one can grow the series without bound.
 * Metrics are per instance: Prometheus scrapes each one and sums.
 */
import type { ScanResult } from '../../core/index.js';
import type { Decision } from './inspect.js';

type Labels = Record<string, string>;

/** Seconds: scan latency of one window (most take well under a millisecond; long texts tens). */
export const SCAN_BUCKETS_S = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Seconds: a relayed request's time at its upstream. */
export const LATENCY_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Bytes: one JSON-RPC message (up to the 10 MiB default limit). */
export const SIZE_BUCKETS_B = [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 10485760];

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const keyOf = (l: Labels) => Object.keys(l).sort().map((k) => `${k}="${esc(l[k])}"`).join(',');
const num = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  lines(): string[];
}

export class Counter implements Family {
  readonly type = 'counter' as const;
  readonly #v = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, n = 1): void {
    const k = keyOf(labels);
    this.#v.set(k, (this.#v.get(k) ?? 0) + n);
  }
  get(labels: Labels = {}): number {
    return this.#v.get(keyOf(labels)) ?? 0;
  }
  lines(): string[] {
    return [...this.#v].map(([k, v]) => `${this.name}${k ? `{${k}}` : ''} ${num(v)}`);
  }
}

export class Histogram implements Family {
  readonly type = 'histogram' as const;
  readonly #v = new Map<string, { counts: number[]; sum: number; n: number }>();
  constructor(readonly name: string, readonly help: string, readonly buckets: number[]) {}
  observe(labels: Labels, x: number): void {
    const k = keyOf(labels);
    let h = this.#v.get(k);
    if (!h) this.#v.set(k, (h = { counts: this.buckets.map(() => 0), sum: 0, n: 0 }));
    for (let i = 0; i < this.buckets.length; i++) if (x <= this.buckets[i]) h.counts[i]++;
    h.sum += x;
    h.n++;
  }
  lines(): string[] {
    const out: string[] = [];
    for (const [k, h] of this.#v) {
      const pre = k ? `${k},` : '';
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${pre}le="${num(b)}"} ${h.counts[i]}`));
      out.push(`${this.name}_bucket{${pre}le="+Inf"} ${h.n}`, `${this.name}_sum${k ? `{${k}}` : ''} ${num(h.sum)}`, `${this.name}_count${k ? `{${k}}` : ''} ${h.n}`);
    }
    return out;
  }
}

/** A value read at scrape time. */
export class Gauge implements Family {
  constructor(readonly name: string, readonly help: string, readonly read: () => Array<[Labels, number]>, readonly type: 'gauge' | 'counter' = 'gauge') {}
  lines(): string[] {
    return this.read().map(([l, v]) => `${this.name}${Object.keys(l).length ? `{${keyOf(l)}}` : ''} ${num(v)}`);
  }
}

/** Metric families, exposed in registration order. */
export class Registry {
  readonly #families: Family[] = [];
  add<T extends Family>(f: T): T {
    this.#families.push(f);
    return f;
  }
  /** The text a scrape gets (Content-Type: text/plain; version=0.0.4). */
  expose(): string {
    const out: string[] = [];
    for (const f of this.#families) {
      const lines = f.lines();
      if (lines.length === 0 && f.type !== 'counter') continue;
      out.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`, ...lines);
    }
    return out.join('\n') + '\n';
  }
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** MCP methods named in labels; any other is "other" (a client may send any name). */
const METHODS = new Set([
  'initialize', 'ping', 'tools/list', 'tools/call', 'prompts/list', 'prompts/get', 'resources/list', 'resources/templates/list', 'resources/read',
  'resources/subscribe', 'resources/unsubscribe', 'completion/complete', 'logging/setLevel', 'tasks/get', 'tasks/result', 'tasks/cancel', 'tasks/list',
  'sampling/createMessage', 'elicitation/create', 'roots/list',
]);
export const methodLabel = (m: string) => (METHODS.has(m) ? m : 'other');

/**
 * What the gateway records as it works (one per HTTP gateway, shared by its
 * sessions). Values read from the sessions at scrape time (sessions,
 * upstream health and restarts, counters) are added by the app.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #upstreams: Set<string>;
  readonly requests = this.registry.add(new Counter('raxe_mcp_requests_total', 'JSON-RPC requests from hosts, by method'));
  readonly decisions = this.registry.add(new Counter('raxe_decisions_total', 'Scan and policy decisions, by action, family (one per detected family, "none" without detections), severity and scan point'));
  readonly rateLimited = this.registry.add(new Counter('raxe_rate_limited_total', 'Requests refused by a rate limit, by bucket (upstream, or "*" for the gateway\'s own)'));
  readonly scan = this.registry.add(new Histogram('raxe_scan_duration_seconds', 'Time to scan one text window, by layer (l1: rules, l2: the classifier)', SCAN_BUCKETS_S));
  readonly upstreamLatency = this.registry.add(new Histogram('raxe_upstream_request_duration_seconds', 'Time a relayed request spent at its upstream', LATENCY_BUCKETS_S));
  readonly messageSize = this.registry.add(new Histogram('raxe_message_bytes', 'Size of JSON-RPC messages: in (from hosts), out (to hosts)', SIZE_BUCKETS_B));

  constructor(upstreams: string[] = []) {
    this.#upstreams = new Set(upstreams);
  }

  /** An upstream name for a label ("-" when the name is not a configured upstream). */
  upstream(name: string): string {
    return this.#upstreams.has(name) ? name : '-';
  }

  decision(point: string, action: string, d: Decision | null): void {
    const severity = d?.severity ?? 'none';
    const families = d?.families.length ? d.families : ['none'];
    for (const family of families) this.decisions.inc({ action, family, severity, point });
  }

  scanned(r: ScanResult, l2: boolean): void {
    this.scan.observe({ layer: 'l1' }, r.timings.l1_ms / 1000);
    if (l2 && r.timings.l2_ms > 0) this.scan.observe({ layer: 'l2' }, r.timings.l2_ms / 1000);
  }
}
