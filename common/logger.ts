// Structured JSON logs. Credentials are redacted wherever they appear in a logged object.
import pino from 'pino';

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

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'migrateclouds') {
  return pino({ name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

export type Logger = pino.Logger;
