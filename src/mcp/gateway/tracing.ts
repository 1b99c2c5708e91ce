/**
 * OpenTelemetry spans for relayed requests, through @opentelemetry/api
 * only (runtime-agnostic): without a registered SDK every call here is a
 * no-op. The Node adapter registers one when the standard OTEL_* variables
 * name an exporter (../node/telemetry.ts).
 *
 *   POST /mcp (server; parent: the host's traceparent)
 *     mcp <method>                  one per JSON-RPC request
 *       raxe.scan                   one per scanned message part: point, action, rule ids, families, severity, characters
 *         raxe.scan.l1 / .l2        the time each layer took (summed over the windows)
 *       mcp.upstream <method>       (client) the request at its upstream
 *
 * Attributes carry decisions, rule ids, families, severities, sizes and
 * configured upstream names — never scanned text, arguments or results.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { ScanResult } from '../../core/index.js';
import type { Decision } from './inspect.js';

const tracer = () => trace.getTracer('raxe-mcp-gateway');

/** Runs `fn` in a new active span; the span ends when `fn` settles (an exception marks it as an error). */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.name : 'error' });
      throw e;
    } finally {
      span.end();
    }
  });
}

/** Runs `fn` under the trace context a request's headers carry (W3C traceparent), when a propagator is registered. */
export function withRemoteParent<T>(headers: Headers, fn: () => T): T {
  const carrier: Record<string, string> = {};
  headers.forEach((v, k) => {
    if (k === 'traceparent' || k === 'tracestate') carrier[k] = v;
  });
  if (!carrier.traceparent) return fn();
  return context.with(propagation.extract(context.active(), carrier), fn);
}

/** Adds the active trace context to outgoing headers (an HTTP upstream's request). */
export function injectContext(headers: Record<string, string>): void {
  propagation.inject(context.active(), headers);
}

/** The time each layer took over one decision's windows. */
export class ScanTimes {
  l1 = 0;
  l2 = 0;
  add(r: ScanResult): void {
    this.l1 += r.timings.l1_ms;
    this.l2 += r.timings.l2_ms;
  }
}

/** Whether spans are being recorded (skips building attributes when not). */
export const tracing = (): boolean => trace.getActiveSpan()?.isRecording() ?? false;

/** The attributes of a decision on a span (no text). */
export function decisionAttributes(span: Span, point: string, d: Decision, chars: number, times: ScanTimes): void {
  span.setAttributes({
    'raxe.scan.point': point,
    'raxe.decision.action': d.action,
    'raxe.decision.severity': d.severity,
    'raxe.decision.rule_ids': d.rule_ids,
    'raxe.decision.families': d.families,
    'raxe.scan.chars': chars,
    ...(d.unscanned ? { 'raxe.decision.unscanned': d.unscanned } : {}),
  });
  // the layers as child spans of the time they took (they ran inside this span, window after window)
  const start = Date.now() - times.l1 - times.l2;
  for (const [layer, ms] of [['l1', times.l1], ['l2', times.l2]] as const) {
    if (ms <= 0 && layer === 'l2') continue;
    const s = tracer().startSpan(`raxe.scan.${layer}`, { startTime: start + (layer === 'l2' ? times.l1 : 0), attributes: { 'raxe.scan.layer': layer } });
    s.end(start + (layer === 'l2' ? times.l1 : 0) + ms);
  }
}

export { SpanKind };
