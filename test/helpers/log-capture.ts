// A logger whose JSON lines a test reads back, as an operator's log pipeline would see them.
import { createLogger, type Logger } from '../../common/logger';

export type LogLine = Record<string, unknown> & { msg?: string };

export function captureLogs(level = 'debug', name = 'test'): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = createLogger(level, name, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { logger, lines };
}
