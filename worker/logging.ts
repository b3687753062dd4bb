// Routes the Temporal SDK's own logs into our structured logger. The SDK logs routine chatter at INFO
// (webpack bundle stats, state changes), so it is kept at WARN unless LOG_LEVEL asks for debug or trace.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../common/logger';

const TO_PINO = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

export function installSdkLogging(logger: Logger, level: string): void {
  const sdkLevel: LogLevel = level === 'trace' ? 'TRACE' : level === 'debug' ? 'DEBUG' : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(sdkLevel, (entry) => {
      // The webhook Worker is activity-only by design; the SDK warns about that at every start.
      const expected = entry.message.startsWith('No workflows registered');
      logger[expected ? 'debug' : TO_PINO[entry.level]]({ ...entry.meta }, entry.message);
    }),
  });
}
