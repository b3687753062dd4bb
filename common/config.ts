// Every setting comes from the environment, parsed once here. The table in README.md mirrors this schema.
import path from 'node:path';
import { z } from 'zod';
import { TASK_QUEUE } from '../contract';

const projectRoot = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..',
);

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe(
      'The environment: `development`, `production` or `test` (`npm test` sets `test`; the Docker image and docker-compose.yml set `production`). MigrateClouds itself does not change behaviour with it.',
    ),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('The port the API listens on.'),
  HOST: z.string().default('0.0.0.0').describe('The address the API listens on.'),
  PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .describe(
      "The API's public origin: OAuth redirect URIs (`$PUBLIC_URL/v1/oauth/<service>/callback`, register it with the provider) and the OpenAPI server. Unset: `http://localhost:$PORT`.",
    ),
  /** Express `trust proxy`: unset = clients connect directly; e.g. "1" (hops) or "loopback, 10.0.0.0/8". */
  TRUST_PROXY: z
    .string()
    .optional()
    .describe(
      'Behind a reverse proxy: hop count (`1`) or trusted addresses (`loopback, 10.0.0.0/8`), so per-address limits see clients. Unset: clients connect directly.',
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino level (`silent` … `trace`); credentials are always redacted.'),
  MIGRATECLOUDS_DATA_DIR: z
    .string()
    .default(path.join(projectRoot, '.data'))
    .describe(
      'SQLite database, dev API key, encryption key made by `npm start`, Temporal dev db, default files root.',
    ),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^postgres(ql)?:\/\//.test(v) || /^sqlite:/.test(v), {
      message: 'DATABASE_URL must start with postgres://, postgresql:// or sqlite:',
    })
    .describe(
      '`postgres://…` to use PostgreSQL (`postgresql://…` and `sqlite:<file>` are accepted too); schema migrations run at start. Unset: SQLite at `migrateclouds.db` in the data dir (`.data/migrateclouds.db`).',
    ),
  REDIS_URL: z
    .string()
    .optional()
    .refine((v) => !v || /^rediss?:\/\//.test(v), {
      message: 'REDIS_URL must start with redis:// or rediss://',
    })
    .describe(
      '`redis://…` (or `rediss://…`) to share rate limits between API processes and request budgets between workers. Unset: each process keeps its own, in memory.',
    ),
  TEMPORAL_ADDRESS: z
    .string()
    .default('127.0.0.1:7233')
    .describe('Temporal frontend for the worker and the API.'),
  TEMPORAL_NAMESPACE: z
    .string()
    .default('default')
    .describe('Temporal namespace of the migration workflows and sync schedules.'),
  /** Task queue of the migration workflows and activities (API and workers must agree). */
  MIGRATECLOUDS_TASK_QUEUE: z
    .string()
    .min(1)
    .default(TASK_QUEUE)
    .describe(
      'Task queue of the migration workflows; API and workers must agree (webhook attempts use `<queue>-webhooks`).',
    ),
  TEMPORAL_UI_URL: z
    .string()
    .default('http://127.0.0.1:8233')
    .describe("The Temporal Web UI, printed by `npm start`; its port is the dev server's Web UI port."),
  TEMPORAL_TLS: boolish.describe(
    '`true`, `1` or `yes`: connect to Temporal over TLS (Temporal Cloud or a TLS cluster). Off when unset.',
  ),
  TEMPORAL_API_KEY: z.string().optional().describe('API key for Temporal Cloud.'),
  MIGRATECLOUDS_LOCAL_ROOTS: z
    .string()
    .optional()
    .describe(
      'Colon-separated folders that `local` connections must stay inside. Unset: `files` in the data dir (`.data/files`).',
    ),
  /** `npm start` in demo mode (like `--demo`): provider emulators with sample files, and connections to them. */
  MIGRATECLOUDS_DEMO: boolish.describe(
    '`1`, `true` or `yes`: `npm start` runs in demo mode (same as `npm start -- --demo`): provider emulators with sample files, and connections to them. Off when unset.',
  ),
  /** 32 bytes (base64 or 64 hex digits) that encrypt connection credentials at rest (AES-256-GCM). */
  MIGRATECLOUDS_ENCRYPTION_KEY: z
    .string()
    .optional()
    .describe(
      '32 bytes (base64 or 64 hex digits) that encrypt cloud credentials and webhook secrets at rest (AES-256-GCM); every API and worker needs the same. Unset: no cloud connections or webhooks (`npm start` makes one once in `.data/encryption-key`).',
    ),
  // OAuth apps and endpoints of the cloud services; the URLs point at emulators in tests and the demo.
  GOOGLE_DRIVE_CLIENT_ID: z
    .string()
    .optional()
    .describe("The Google OAuth app's client id; with its secret, enables `google_drive` connections."),
  GOOGLE_DRIVE_CLIENT_SECRET: z.string().optional().describe("The Google OAuth app's client secret."),
  GOOGLE_DRIVE_API_URL: z
    .string()
    .url()
    .default('https://www.googleapis.com/')
    .describe("The Drive API's base URL (an emulator's in tests and the demo)."),
  GOOGLE_DRIVE_TOKEN_URL: z
    .string()
    .url()
    .default('https://oauth2.googleapis.com/token')
    .describe("Google's OAuth token endpoint."),
  GOOGLE_DRIVE_AUTH_URL: z
    .string()
    .url()
    .default('https://accounts.google.com/o/oauth2/v2/auth')
    .describe("Google's consent screen."),
  ONEDRIVE_CLIENT_ID: z
    .string()
    .optional()
    .describe(
      "The Microsoft app's application (client) id; with its secret, enables `onedrive` connections.",
    ),
  ONEDRIVE_CLIENT_SECRET: z.string().optional().describe("The Microsoft app's client secret."),
  ONEDRIVE_API_URL: z
    .string()
    .url()
    .default('https://graph.microsoft.com/v1.0')
    .describe("Microsoft Graph's base URL (an emulator's in tests and the demo)."),
  ONEDRIVE_TOKEN_URL: z
    .string()
    .url()
    .default('https://login.microsoftonline.com/common/oauth2/v2.0/token')
    .describe("Microsoft's OAuth token endpoint (tenant `common`)."),
  ONEDRIVE_AUTH_URL: z
    .string()
    .url()
    .default('https://login.microsoftonline.com/common/oauth2/v2.0/authorize')
    .describe("Microsoft's consent screen (tenant `common`)."),
  DROPBOX_CLIENT_ID: z
    .string()
    .optional()
    .describe("The Dropbox app's key; with its secret, enables `dropbox` connections."),
  DROPBOX_CLIENT_SECRET: z.string().optional().describe("The Dropbox app's secret."),
  DROPBOX_API_URL: z
    .string()
    .url()
    .default('https://api.dropboxapi.com')
    .describe("Dropbox's API host (an emulator's in tests and the demo)."),
  DROPBOX_CONTENT_URL: z
    .string()
    .url()
    .default('https://content.dropboxapi.com')
    .describe("Dropbox's content host (uploads and downloads)."),
  DROPBOX_TOKEN_URL: z
    .string()
    .url()
    .default('https://api.dropboxapi.com/oauth2/token')
    .describe("Dropbox's OAuth token endpoint."),
  DROPBOX_AUTH_URL: z
    .string()
    .url()
    .default('https://www.dropbox.com/oauth2/authorize')
    .describe("Dropbox's consent screen."),
  RATE_LIMIT_PRO_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(60)
    .describe('API requests per minute for `pro` accounts.'),
  RATE_LIMIT_ENTERPRISE_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(300)
    .describe('API requests per minute for `enterprise` accounts.'),
  // Requests per second each connection may send its service (one budget per connection, shared by
  // every worker through Redis when REDIS_URL is set); 0 = no budget.
  GOOGLE_DRIVE_REQUESTS_PER_SECOND: z.coerce
    .number()
    .min(0)
    .default(10)
    .describe(
      'Requests/s each Google Drive connection may send, one budget shared by every worker and the API; `0` = unlimited.',
    ),
  ONEDRIVE_REQUESTS_PER_SECOND: z.coerce
    .number()
    .min(0)
    .default(10)
    .describe(
      'Requests/s each OneDrive connection may send, one budget shared by every worker and the API; `0` = unlimited.',
    ),
  DROPBOX_REQUESTS_PER_SECOND: z.coerce
    .number()
    .min(0)
    .default(10)
    .describe(
      'Requests/s each Dropbox connection may send, one budget shared by every worker and the API; `0` = unlimited.',
    ),
  LOCAL_REQUESTS_PER_SECOND: z.coerce
    .number()
    .min(0)
    .default(0)
    .describe(
      'Requests/s each `local` connection may make (each connector call counts as one request); `0` = unlimited.',
    ),
  // When local writes are fsynced: batch (default), file or off; see connectors/local/durability.ts.
  LOCAL_FSYNC: z
    .enum(['batch', 'file', 'off'])
    .default('batch')
    .describe(
      'When `local` writes reach the disk: `batch` (data before the name, folders once per batch, before reporting), `file` (file and folder per file) or `off` (no fsync, like rclone).',
    ),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce
    .number()
    .int()
    .positive()
    .default(20)
    .describe('Activities one worker runs at once.'),
  MIGRATION_FILE_CONCURRENCY: z.coerce
    .number()
    .int()
    .positive()
    .default(8)
    .describe('Files one copy activity transfers at once.'),
  /** Shortest interval a sync may run at (as often as the finest cron); tests and demos lower it. */
  SYNC_MIN_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(60)
    .describe('The shortest `schedule.interval` a sync may have, in seconds (tests lower it).'),
  /** Development and tests only: webhooks may use http:// and private or loopback targets (never link-local or metadata). */
  MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE: boolish.describe(
    'Development only: `true` lets webhooks use `http://` and private or loopback targets (link-local and metadata stay refused). Off when unset.',
  ),
  /** First retry delay of a failed webhook delivery, in seconds; it doubles up to an hour, for 24 hours. */
  MIGRATECLOUDS_WEBHOOK_FIRST_RETRY_SECONDS: z.coerce
    .number()
    .positive()
    .default(10)
    .describe(
      'First retry delay of a failed webhook delivery, in seconds; it doubles up to an hour, for 24 hours (tests use `0.5`).',
    ),
  /** How long one delivery attempt may take (connect, send, answer), in seconds. */
  MIGRATECLOUDS_WEBHOOK_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .max(60)
    .default(10)
    .describe('How long one delivery attempt may take (connect, send, answer), in seconds; at most 60.'),
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
