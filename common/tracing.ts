// Optional OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT): a tracer provider that batches spans
// to the collector over OTLP/HTTP (JSON). Required only when tracing is on, so a process without it
// loads nothing of OpenTelemetry.
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource as ResourceClass } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

export interface Tracing {
  resource: Resource;
  spanProcessor: SpanProcessor;
  /** Sends what is still batched. */
  shutdown(): Promise<void>;
}

/**
 * Registers the process's tracer provider (and W3C trace-context propagation and the async context
 * manager, so spans started in a request or an activity parent the ones started below them).
 */
export function startTracing(serviceName: string, endpoint: string): Tracing {
  const resource = new ResourceClass({ 'service.name': serviceName });
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const spanProcessor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { resource, spanProcessor, shutdown: () => provider.shutdown() };
}
