// Every setting comes from the environment, parsed once here. The table in README.md mirrors this schema.
import path from 'node:path';
import { z } from 'zod';
import { TASK_QUEUE } from './temporal';

const projectRoot = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..',
);

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  /** Express `trust proxy`: unset = clients connect directly; e.g. "1" (hops) or "loopback, 10.0.0.0/8". */
  TRUST_PROXY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MIGRATECLOUDS_DATA_DIR: z.string().default(path.join(projectRoot, '.data')),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^postgres(ql)?:\/\//.test(v) || /^sqlite:/.test(v), {
      message: 'DATABASE_URL must start with postgres://, postgresql:// or sqlite:',
    }),
  REDIS_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^rediss?:\/\//.test(v), {
      message: 'REDIS_URL must start with redis:// or rediss://',
    }),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** Task queue of the migration workflows and activities (API and workers must agree). */
  MIGRATECLOUDS_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
  TEMPORAL_UI_URL: z.string().default('http://127.0.0.1:8233'),
  TEMPORAL_TLS: boolish,
  TEMPORAL_API_KEY: z.string().optional(),
  MIGRATECLOUDS_LOCAL_ROOTS: z.string().optional(),
  /** `npm start` in demo mode (like `--demo`): provider emulators with sample files, and connections to them. */
  MIGRATECLOUDS_DEMO: boolish,
  /** 32 bytes (base64 or 64 hex digits) that encrypt connection credentials at rest (AES-256-GCM). */
  MIGRATECLOUDS_ENCRYPTION_KEY: z.string().optional(),
  // OAuth apps and endpoints of the cloud services; the URLs point at emulators in tests and the demo.
  GOOGLE_DRIVE_CLIENT_ID: z.string().optional(),
  GOOGLE_DRIVE_CLIENT_SECRET: z.string().optional(),
  GOOGLE_DRIVE_API_URL: z.string().url().default('https://www.googleapis.com/'),
  GOOGLE_DRIVE_TOKEN_URL: z.string().url().default('https://oauth2.googleapis.com/token'),
  GOOGLE_DRIVE_AUTH_URL: z.string().url().default('https://accounts.google.com/o/oauth2/v2/auth'),
  ONEDRIVE_CLIENT_ID: z.string().optional(),
  ONEDRIVE_CLIENT_SECRET: z.string().optional(),
  ONEDRIVE_API_URL: z.string().url().default('https://graph.microsoft.com/v1.0'),
  ONEDRIVE_TOKEN_URL: z.string().url().default('https://login.microsoftonline.com/common/oauth2/v2.0/token'),
  ONEDRIVE_AUTH_URL: z
    .string()
    .url()
    .default('https://login.microsoftonline.com/common/oauth2/v2.0/authorize'),
  DROPBOX_CLIENT_ID: z.string().optional(),
  DROPBOX_CLIENT_SECRET: z.string().optional(),
  DROPBOX_API_URL: z.string().url().default('https://api.dropboxapi.com'),
  DROPBOX_CONTENT_URL: z.string().url().default('https://content.dropboxapi.com'),
  DROPBOX_TOKEN_URL: z.string().url().default('https://api.dropboxapi.com/oauth2/token'),
  DROPBOX_AUTH_URL: z.string().url().default('https://www.dropbox.com/oauth2/authorize'),
  RATE_LIMIT_PRO_PER_MINUTE: z.coerce.number().int().positive().default(60),
  RATE_LIMIT_ENTERPRISE_PER_MINUTE: z.coerce.number().int().positive().default(300),
  // Requests per second each connection may send its service (one budget per connection, shared by
  // every worker through Redis when REDIS_URL is set); 0 = no budget.
  GOOGLE_DRIVE_REQUESTS_PER_SECOND: z.coerce.number().min(0).default(10),
  ONEDRIVE_REQUESTS_PER_SECOND: z.coerce.number().min(0).default(10),
  DROPBOX_REQUESTS_PER_SECOND: z.coerce.number().min(0).default(10),
  LOCAL_REQUESTS_PER_SECOND: z.coerce.number().min(0).default(0),
  // When local writes are fsynced: batch (default), file or off; see connectors/local/durability.ts.
  LOCAL_FSYNC: z.enum(['batch', 'file', 'off']).default('batch'),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(20),
  MIGRATION_FILE_CONCURRENCY: z.coerce.number().int().positive().default(8),
  /** Shortest interval a sync may run at (as often as the finest cron); tests and demos lower it. */
  SYNC_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(60),
  /** Development and tests only: webhooks may use http:// and private or loopback targets (never link-local or metadata). */
  MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE: boolish,
  /** First retry delay of a failed webhook delivery, in seconds; it doubles up to an hour, for 24 hours. */
  MIGRATECLOUDS_WEBHOOK_FIRST_RETRY_SECONDS: z.coerce.number().positive().default(10),
  /** How long one delivery attempt may take (connect, send, answer), in seconds. */
  MIGRATECLOUDS_WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().max(60).default(10),
});

export type RawConfig = z.infer<typeof configSchema>;

export interface Config extends RawConfig {
  projectRoot: string;
  /** Absolute, resolved local roots that `local` connections must stay inside. */
  localRoots: string[];
  /** `DATABASE_URL`, or the SQLite file in the data dir. */
  databaseUrl: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const raw = parsed.data;
  const dataDir = path.resolve(projectRoot, raw.MIGRATECLOUDS_DATA_DIR);
  const roots = (raw.MIGRATECLOUDS_LOCAL_ROOTS ?? path.join(dataDir, 'files'))
    .split(':')
    .filter(Boolean)
    .map((r) => path.resolve(projectRoot, r));
  return {
    ...raw,
    MIGRATECLOUDS_DATA_DIR: dataDir,
    projectRoot,
    localRoots: roots,
    databaseUrl: raw.DATABASE_URL || `sqlite:${path.join(dataDir, 'migrateclouds.db')}`,
  };
}
