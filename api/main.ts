// API process: builds the dependencies, listens, and shuts down cleanly on SIGINT/SIGTERM.
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadConfig } from '../config';
import { setHttpTimeouts } from '../connectors/http';
import { createRequestBudgets } from '../connectors/budget';
import { createLogger } from '../common/logger';
import { collectProcessMetrics } from '../common/metrics';
import { retryUntilReady } from '../common/retry';
import { keyringFromSettings } from '../common/keyring';
import { createPayloadCodec, encryptingDataConverter } from '../common/payload-codec';
import { createStore } from '../store';
import { createApp } from './app';
import { createReconciler } from './migrations/reconcile';
import { createRateLimiter } from './http/rate-limit';
import { codecServer } from './codec/server';
import { uiOrigins } from './codec/origins';

async function main(): Promise<void> {
  const config = loadConfig();
  setHttpTimeouts(config.http);
  const logger = createLogger(config.LOG_LEVEL, 'api');
  // Required only when asked for: without it nothing of OpenTelemetry is loaded.
  const tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT
    ? (await import('./tracing')).apiTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT)
    : undefined;
  collectProcessMetrics();
  const store = await createStore(config.databaseUrl, {
    logger,
    statementTimeoutSeconds: config.DATABASE_STATEMENT_TIMEOUT_SECONDS,
    poolMax: config.DATABASE_POOL_MAX,
  });
  // `npm start` launches the API while the Temporal dev server is still booting: wait for it.
  const connection = await retryUntilReady(
    `Temporal at ${config.TEMPORAL_ADDRESS}`,
    () =>
      Connection.connect({
        address: config.TEMPORAL_ADDRESS,
        tls: config.TEMPORAL_TLS || undefined,
        apiKey: config.TEMPORAL_API_KEY,
      }),
    { onRetry: (m) => logger.warn(m) },
  );
  // Encrypts what the API sends to Temporal and decrypts what it reads back, as the workers do.
  const keyring = keyringFromSettings(config);
  const dataConverter = encryptingDataConverter(keyring);
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter,
    interceptors: tracing?.clientInterceptors,
  });
  const rateLimiter = createRateLimiter({
    redisUrl: config.REDIS_URL,
    limits: { pro: config.RATE_LIMIT_PRO_PER_MINUTE, enterprise: config.RATE_LIMIT_ENTERPRISE_PER_MINUTE },
    logger,
  });
  // The same per-connection budgets as the workers' (shared when REDIS_URL is set).
  const budgets = createRequestBudgets({ redisUrl: config.REDIS_URL, logger });
  const app = createApp({
    store,
    temporal: { client, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.MIGRATECLOUDS_TASK_QUEUE },
    config,
    logger,
    rateLimiter,
    budgets,
    requestTracing: tracing?.requestTracing,
  });

  // Migrations recorded but never started (the API stopped between the two) start now and every minute.
  const reconciler = createReconciler(
    {
      store,
      temporal: { client, namespace: config.TEMPORAL_NAMESPACE, taskQueue: config.MIGRATECLOUDS_TASK_QUEUE },
      logger,
    },
    { everyMs: 60_000 },
  );

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.PORT, config.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  logger.info(
    { port: config.PORT, host: config.HOST, rateLimits: config.REDIS_URL ? 'redis' : 'memory' },
    'API listening',
  );
  // The Web UI's codec endpoint, for operators: on its own listener, never on the public API port.
  let codec: Server | undefined;
  if (config.TEMPORAL_CODEC_PORT && keyring) {
    const app = codecServer({
      codec: createPayloadCodec(keyring),
      namespace: config.TEMPORAL_NAMESPACE,
      allowedOrigins: uiOrigins(config.TEMPORAL_UI_URL),
    });
    // Operators' convenience only: a port already taken must not take the API down with it.
    codec = await new Promise<Server | undefined>((resolve) => {
      const s = app.listen(config.TEMPORAL_CODEC_PORT, config.TEMPORAL_CODEC_HOST, (err?: Error) => {
        if (!err) return resolve(s);
        logger.error({ err, port: config.TEMPORAL_CODEC_PORT }, 'codec endpoint not started');
        resolve(undefined);
      });
    });
    if (codec)
      logger.info(
        { port: config.TEMPORAL_CODEC_PORT, host: config.TEMPORAL_CODEC_HOST },
        'codec endpoint listening',
      );
  } else if (config.TEMPORAL_CODEC_PORT) {
    logger.warn(
      'TEMPORAL_CODEC_PORT is set but no encryption key is: no codec endpoint (payloads are in clear)',
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'API stopping');
    reconciler.stop();
    // Stop accepting, let in-flight requests finish, then drop idle keep-alive sockets.
    codec?.close();
    codec?.closeAllConnections();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 10_000).unref();
    await closed;
    clearTimeout(force);
    await Promise.allSettled([
      rateLimiter.close(),
      budgets.close(),
      connection.close(),
      store.close(),
      tracing?.shutdown(),
    ]);
    logger.info('API stopped');
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : err);
  process.exit(1);
});
