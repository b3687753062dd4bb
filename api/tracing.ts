// The API's OpenTelemetry tracing (OTEL_EXPORTER_OTLP_ENDPOINT): loaded by main.ts only when it is set.
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { RequestHandler } from 'express';
import { startTracing } from '../common/tracing';
import { requestTracing } from './http/tracing';

export interface ApiTracing {
  /** For the API's Temporal client: starts, signals and queries are spans, their context sent along. */
  clientInterceptors: ClientInterceptors;
  requestTracing: RequestHandler;
  shutdown(): Promise<void>;
}

export function apiTracing(endpoint: string): ApiTracing {
  const { shutdown } = startTracing('migrateclouds-api', endpoint);
  return {
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    requestTracing: requestTracing(),
    shutdown,
  };
}
