// Structured JSON logs. Credentials are redacted wherever they appear in a logged object.
import pino from 'pino';
import { currentLogFields } from './log-context';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'api_key',
  '*.api_key',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'config.credentials',
  '*.config.credentials',
];

/** `destination`: where lines go (stdout by default; tests capture them). */
export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  name = 'migrateclouds',
  destination?: pino.DestinationStream,
) {
  const options = { name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, mixin: contextMixin };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The ids of the work in progress (common/log-context.ts), on every line. A line's own fields win; a
 * field a child logger already binds is left out, so that no line names one twice.
 */
function contextMixin(_line: object, _level: number, logger: pino.Logger): Record<string, string> {
  const fields = currentLogFields();
  if (!fields) return {};
  const bound = (logger as unknown as Record<symbol, string | undefined>)[pino.symbols.chindingsSym] ?? '';
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (!bound.includes(`"${key}":`)) out[key] = value;
  return out;
}

export type Logger = pino.Logger;
