// The Temporal SDK's one runtime, installed before any connection or Worker exists: its logs go into our
// structured logger, and, when the worker has a health port to serve them from, its metrics go to a
// Prometheus exporter on a loopback port of its own that GET /metrics reads (worker/metrics.ts).
// The SDK logs routine chatter at INFO (webpack bundle stats, state changes), so it is kept at WARN
// unless LOG_LEVEL asks for debug or trace.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../common/logger';

const TO_PINO = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * Installs the runtime; answers whether the SDK's metrics are exported on `metricsPort`. A port taken
 * between being found free and being bound (or any exporter failure) leaves the worker running without
 * them, with a warning: its own metrics and probes matter more.
 */
export function installSdkRuntime(opts: { logger: Logger; level: string; metricsPort?: number }): boolean {
  const { logger, level, metricsPort } = opts;
  const sdkLevel: LogLevel = level === 'trace' ? 'TRACE' : level === 'debug' ? 'DEBUG' : 'WARN';
  const sdkLogger = new DefaultLogger(sdkLevel, (entry) => {
    // The webhook Worker is activity-only by design; the SDK warns about that at every start.
    const expected = entry.message.startsWith('No workflows registered');
    logger[expected ? 'debug' : TO_PINO[entry.level]]({ ...entry.meta }, entry.message);
  });
  if (metricsPort !== undefined) {
    try {
      Runtime.install({
        logger: sdkLogger,
        telemetryOptions: {
          metrics: {
            prometheus: {
              bindAddress: `127.0.0.1:${metricsPort}`,
              // Prometheus conventions, as the product's metrics: seconds, units and _total in names.
              useSecondsForDurations: true,
              unitSuffix: true,
              countersTotalSuffix: true,
            },
          },
        },
      });
      return true;
    } catch (err) {
      logger.warn(
        { err },
        "the Temporal SDK's metrics exporter could not start: /metrics serves without them",
      );
    }
  }
  Runtime.install({ logger: sdkLogger });
  return false;
}
