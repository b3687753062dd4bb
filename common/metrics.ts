// The product's Prometheus metrics, in one registry that every process serves on GET /metrics (the API,
// and each worker's health server). Every name is declared here once. Labels are aggregate on purpose:
// services, outcomes, statuses, route templates — never an account, migration, path or file name.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export const metricsRegistry = new Registry();

/** What the store records for a file: its item's status (store/items.ts). */
export type FileOutcomeLabel = 'copied' | 'skipped' | 'failed' | 'deleted';

export const filesTotal = new Counter({
  name: 'migrateclouds_files_total',
  help: 'Files whose outcome a migration or sync recorded, by source and destination service and outcome.',
  labelNames: ['source_service', 'destination_service', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const bytesTotal = new Counter({
  name: 'migrateclouds_bytes_total',
  help: 'Bytes of the files counted in migrateclouds_files_total: written when copied, the source size when skipped.',
  labelNames: ['source_service', 'destination_service', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const providerThrottledTotal = new Counter({
  name: 'migrateclouds_provider_throttled_total',
  help: 'Requests a provider answered with throttling (429, a rate-limit 403, 503), by service.',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
});

export const budgetWaitSeconds = new Histogram({
  name: 'migrateclouds_budget_wait_seconds',
  help: "Time each request to a provider waited for its connection's request budget, by service.",
  labelNames: ['service'] as const,
  buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

/** `attempt_failed`: will be retried; `refused`: the receiver or the URL policy ended it; `gave_up`: retries ran out. */
export type WebhookOutcomeLabel = 'delivered' | 'attempt_failed' | 'refused' | 'gave_up';

export const webhookDeliveriesTotal = new Counter({
  name: 'migrateclouds_webhook_deliveries_total',
  help: 'Webhook delivery attempts and ends, by outcome (delivered, attempt_failed, refused, gave_up).',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDurationSeconds = new Histogram({
  name: 'migrateclouds_http_request_duration_seconds',
  help: 'API request latency, by method, route template (`unmatched` for no route) and status.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

let processMetrics = false;
/** Process and Node.js metrics (memory, CPU, event loop, GC) under their standard names; once per process. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/** Counts the outcomes a store newly recorded (never one it already held, so retries count nothing twice). */
export function countRecordedFiles(
  services: { source: string; destination: string },
  recorded: { status: FileOutcomeLabel; size: number | null }[],
): void {
  for (const item of recorded) {
    const labels = {
      source_service: services.source,
      destination_service: services.destination,
      outcome: item.status,
    };
    filesTotal.inc(labels);
    if (item.status === 'copied' || item.status === 'skipped') bytesTotal.inc(labels, item.size ?? 0);
  }
}
