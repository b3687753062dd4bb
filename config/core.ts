// The settings every process shares, from the environment. Each service declares its own variables in
// its module (connectors/<service>/service.ts); config/index.ts parses both, and docs/operations/
// configuration.md is generated from them (npm run docs).
import path from 'node:path';
import { z } from 'zod';
import { TASK_QUEUE } from '../contract';

export const projectRoot = path.resolve(
  __dirname,
  __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..',
);

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const coreConfigSchema = z.object({
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
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url()
    .optional()
    .describe(
      'OpenTelemetry collector (OTLP over HTTP, e.g. `http://localhost:4318`): the API and the workers export traces to `$OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces`, from each API request through the workflow to its activities. Unset: no tracing (nothing of OpenTelemetry is loaded).',
    ),
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
  DATABASE_POOL_MAX: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(10)
    .describe(
      'PostgreSQL only: connections one API or worker process keeps at most. Every process × this, plus the ' +
        "Temporal server's own, must stay under the server's `max_connections` (100 by default); `npm run " +
        'cluster` sizes it from there.',
    ),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: z.coerce
    .number()
    .min(0)
    .max(86400)
    .default(30)
    .describe(
      'PostgreSQL only: the longest one SQL statement may run before the server cancels it (`statement_timeout`), so a stuck query cannot hold a pooled connection for ever; `0` turns it off. Schema migrations at start run without it.',
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
  TEMPORAL_CODEC_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(0)
    .describe(
      'Port of the codec endpoint the Temporal Web UI decrypts payloads through (`http://HOST:PORT/codec`), served by the API on a listener of its own; `0` turns it off. `npm start` uses 8234 when unset. Operators only: see docs/operations/encryption.md.',
    ),
  TEMPORAL_CODEC_HOST: z
    .string()
    .default('127.0.0.1')
    .describe(
      'The address the codec endpoint listens on: loopback unless operators reach it through a proxy of their own.',
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
  MIGRATECLOUDS_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .describe(
      'A keyring, `id:key,id:key` (ids of letters, digits, `_`, `-`; keys as MIGRATECLOUDS_ENCRYPTION_KEY), replacing MIGRATECLOUDS_ENCRYPTION_KEY: the first key seals new values and encrypts Temporal payloads, the others still open what they sealed. Rotate by putting a new key first, then `npm run cli -- admin rotate-key` (docs/operations/encryption.md).',
    ),
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
  HTTP_CONNECT_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .max(86400)
    .default(30)
    .describe('Longest wait for a connection to a cloud service.'),
  HTTP_RESPONSE_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .max(86400)
    .default(120)
    .describe(
      "Longest wait for a cloud service's answer once a request is sent (raise it for very slow uplinks: it covers sending one upload chunk of up to 10 MiB).",
    ),
  HTTP_IDLE_TIMEOUT_SECONDS: z.coerce
    .number()
    .positive()
    .max(86400)
    .default(120)
    .describe(
      "Longest pause inside a cloud service's answer (a download) before the request fails and is retried.",
    ),
  TRANSFER_STALL_SECONDS: z.coerce
    .number()
    .positive()
    .max(86400)
    .default(120)
    .describe(
      'A file copy that moves no byte for this long fails and is retried (a large file from its upload session).',
    ),
  WORKER_HEALTH_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(0)
    .describe(
      "The worker's health endpoints: GET /healthz (the process answers) and GET /readyz (200 once it is connected to Temporal and polling its task queues, 503 before and while it shuts down), and GET /metrics (Prometheus). 0: none.",
    ),
  WORKER_HEALTH_HOST: z
    .string()
    .default('127.0.0.1')
    .describe('The address the worker health endpoints listen on (WORKER_HEALTH_PORT).'),
  METRICS_TOKEN: z
    .string()
    .optional()
    .refine((v) => !v || /^[\x21-\x7e]{16,}$/.test(v), {
      message: 'METRICS_TOKEN must be at least 16 printable ASCII characters, without spaces',
    })
    .describe(
      "When set, GET /metrics on the API and on the workers' health port needs `Authorization: Bearer <METRICS_TOKEN>` (at least 16 characters); unset, it is public like /healthz. See docs/operations/observability.md.",
    ),
  MIGRATECLOUDS_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(43200)
    .default(720)
    .describe(
      'A console session unused this long is refused (the user signs in again). See docs/guides/console.md.',
    ),
  MIGRATECLOUDS_SESSION_MAX_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(8760)
    .default(168)
    .describe('A console session ends this long after sign-in, however much it is used.'),
  WORKER_SHUTDOWN_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(10)
    .describe(
      'On SIGTERM, how long running copies may finish before they are stopped; a stopped large file keeps its upload session and resumes on the next worker.',
    ),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce
    .number()
    .int()
    .positive()
    .default(20)
    .describe('Activities one worker runs at once.'),
  WORKER_ACCOUNT_SLOTS: z.coerce
    .number()
    .int()
    .min(0)
    .default(2)
    .describe(
      'While several accounts have work on one worker, each may run this many copy and exploring ' +
        'activities divided by the number of those accounts (at least one; the rest wait for one of ' +
        'their own to end), and keep as large a part of the local copy threads busy. Alone, an account ' +
        'is never held. 0: no sharing.',
    ),
  MIGRATION_FILE_CONCURRENCY: z.coerce
    .number()
    .int()
    .positive()
    .default(8)
    .describe('Files one copy activity transfers at once.'),
  MIGRATECLOUDS_APP_ACCOUNT_SHARE: z.coerce
    .number()
    .gt(0)
    .max(1)
    .default(0.5)
    .describe(
      "The part of a provider app's request budget (`<SERVICE>_APP_REQUESTS_PER_SECOND`) one account may " +
        "use, so that one tenant cannot spend a shared OAuth app's quota: 0.5 leaves at least half to the others.",
    ),
  MIGRATECLOUDS_ACCOUNT_MAX_RUNNING_MIGRATIONS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10)
    .describe(
      'Migrations (and sync runs) one account may have running or paused at once; the rest wait with ' +
        'status queued and start in turn as slots free. 0: no limit. Read by the workers.',
    ),
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

export type RawCoreConfig = z.infer<typeof coreConfigSchema>;

export interface CoreConfig extends RawCoreConfig {
  projectRoot: string;
  /** `DATABASE_URL`, or the SQLite file in the data dir. */
  databaseUrl: string;
}

/** The settings every process shares, from `env`; `issues` names each bad variable. */
export function parseCoreConfig(env: NodeJS.ProcessEnv): { config?: CoreConfig; issues: string[] } {
  const parsed = coreConfigSchema.safeParse(env);
  if (!parsed.success) {
    return { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  }
  const raw = parsed.data;
  const dataDir = path.resolve(projectRoot, raw.MIGRATECLOUDS_DATA_DIR);
  return {
    issues: [],
    config: {
      ...raw,
      MIGRATECLOUDS_DATA_DIR: dataDir,
      projectRoot,
      databaseUrl: raw.DATABASE_URL || `sqlite:${path.join(dataDir, 'migrateclouds.db')}`,
    },
  };
}
