// The worker's OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT): loaded by main.ts only when it is
// set. Workflows continue the trace their start carried (RunWorkflow, StartActivity spans, exported
// through a sink since workflow code does no I/O); activities continue their workflow's (RunActivity).
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
  type OpenTelemetrySinks,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { startTracing } from '../common/tracing';

export interface WorkerTracing {
  /** Bundled with the workflows: the worker then bundles at start instead of using the prebuilt bundle. */
  workflowModules: string[];
  activity: ActivityInterceptorsFactory[];
  sinks: InjectedSinks<OpenTelemetrySinks>;
  /** For the client that starts webhook deliveries from activities. */
  clientInterceptors: ClientInterceptors;
  shutdown(): Promise<void>;
}

export function workerTracing(endpoint: string): WorkerTracing {
  const { resource, spanProcessor, shutdown } = startTracing('migrateclouds-worker', endpoint);
  return {
    workflowModules: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
    activity: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    sinks: { exporter: makeWorkflowExporter(spanProcessor, resource) },
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    shutdown,
  };
}
