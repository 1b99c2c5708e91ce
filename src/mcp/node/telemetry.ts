/**
 * Node: OpenTelemetry traces for the gateway (../gateway/tracing.ts makes
 * the spans), exported over OTLP/HTTP when the standard variables ask for
 * it and off otherwise:
 *
 *   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT   where to (unset: no traces)
 *   OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL   http/protobuf (default) or http/json; grpc is refused
 *   OTEL_EXPORTER_OTLP_(TRACES_)HEADERS, _TIMEOUT   read by the exporter
 *   OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES   the resource (default service name raxe-mcp-gateway)
 *   OTEL_TRACES_EXPORTER=none, OTEL_SDK_DISABLED=true   off
 *   OTEL_BSP_SCHEDULE_DELAY, OTEL_BSP_MAX_EXPORT_BATCH_SIZE   batching
 *
 * The host's W3C traceparent is honoured (its span becomes the parent).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { Logger } from '../log.js';

export interface Tracing {
  /** Exports what is pending and stops. */
  shutdown(): Promise<void>;
}

/**
 * The exporter class of a dynamically imported OTLP package: a named export
 * from source, the default export's property once bundled (esbuild turns a
 * CommonJS chunk into `export default`).
 */
function exporterOf(m: { OTLPTraceExporter?: new () => SpanExporter; default?: { OTLPTraceExporter?: new () => SpanExporter } }): new () => SpanExporter {
  const C = m.OTLPTraceExporter ?? m.default?.OTLPTraceExporter;
  if (!C) throw new Error('the OpenTelemetry OTLP exporter package has no OTLPTraceExporter');
  return C;
}

/** Starts tracing when `env` names an OTLP endpoint; null (no-op spans) otherwise. Throws for a protocol it cannot speak. */
export async function startTracing(env: NodeJS.ProcessEnv, log: Logger): Promise<Tracing | null> {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || /^true$/i.test(env.OTEL_SDK_DISABLED ?? '') || /^none$/i.test(env.OTEL_TRACES_EXPORTER ?? '')) return null;
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || 'http/protobuf').toLowerCase();
  let exporter: SpanExporter;
  if (protocol === 'http/protobuf') exporter = new (exporterOf(await import('@opentelemetry/exporter-trace-otlp-proto')))();
  else if (protocol === 'http/json') exporter = new (exporterOf(await import('@opentelemetry/exporter-trace-otlp-http')))();
  else throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol}: raxe exports traces over OTLP/HTTP only; use http/protobuf or http/json`);
  const num = (v: string | undefined) => (v && Number.isFinite(Number(v)) && Number(v) > 0 ? Number(v) : undefined);
  const resource = resourceFromAttributes({ 'service.name': 'raxe-mcp-gateway' }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new TracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: num(env.OTEL_BSP_SCHEDULE_DELAY), maxExportBatchSize: num(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE) })],
  });
  const contexts = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contexts);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  log.info(`traces: OTLP/HTTP (${protocol}) to ${endpoint.replace(/\/\/[^@/]*@/, '//')}`);
  return {
    async shutdown() {
      await provider.shutdown().catch(() => {});
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
