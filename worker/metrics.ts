// GET /metrics on the worker's health port: the product's metrics (common/metrics.ts), then the Temporal
// SDK's own (temporal_*), read from its exporter on a loopback port nobody else is meant to scrape.
import { metricsRegistry } from '../common/metrics';

const SDK_TIMEOUT_MS = 2_000;

export interface MetricsText {
  contentType: string;
  text(): Promise<string>;
}

/** The product's metrics, followed by the SDK's when `sdkPort` is set (a comment says when they failed). */
export function workerMetrics(sdkPort?: number): MetricsText {
  return {
    contentType: metricsRegistry.contentType,
    async text() {
      const own = await metricsRegistry.metrics();
      if (sdkPort === undefined) return own;
      try {
        const res = await fetch(`http://127.0.0.1:${sdkPort}/metrics`, {
          signal: AbortSignal.timeout(SDK_TIMEOUT_MS),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return own + (await res.text());
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return `${own}# The Temporal SDK's metrics are unavailable: ${why.replace(/\s+/g, ' ')}\n`;
      }
    },
  };
}
