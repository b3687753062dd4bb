// Worker process: connects to Temporal and runs the migration workflows and activities, and, on a
// queue of their own, webhook deliveries (so a slow receiver never holds up a migration).
// SIGINT/SIGTERM drain it gracefully (the SDK installs those handlers).
import v8 from 'node:v8';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { webhookDeliveryActivities } from '../activities/webhooks';
import { closeCopyThreads, openConnector, shareCopyThreads } from '../connectors';
import { createRequestBudgets } from '../connectors/budget';
import { createSecretBox } from '../common/secret-box';
import { keyringFromSettings } from '../common/keyring';
import { encryptingDataConverter } from '../common/payload-codec';
import { loadConfig } from '../config';
import { setHttpTimeouts } from '../connectors/http';
import { createLogger } from '../common/logger';
import { collectProcessMetrics } from '../common/metrics';
import { retryUntilReady } from '../common/retry';
import { createStore } from '../store';
import { workflowSource } from './bundle';
import { serveHealth } from './health';
import { workerInterceptors } from './interceptors';
import { FairShare } from './fair-share';
import { WORKER_NODE_FLAGS } from './node-flags';
import { workerMetrics } from './metrics';
import { freePort } from '../common/free-port';
import { installSdkRuntime } from './runtime';
import { webhookTaskQueue } from '../contract';
import { needsReauthNotifier, createWebhookPublisher } from '../events';

// Memory: V8 grows a busy isolate's young generation up to 16 MB semi-spaces (32 MB and more of
// resident memory each); the worker's garbage is small and short-lived, so they keep their first
// size (1 MB). Measured: a 1 GiB copy's CPU time unchanged, the worker at rest about 10 MB smaller.
// The launchers also pass --max-semi-space-size (worker/node-flags.ts); set here too, it still
// bounds the isolates started from now on (the workflow thread) when node was started without it.
v8.setFlagsFromString('--semi-space-growth-factor=1');
for (const flag of WORKER_NODE_FLAGS) v8.setFlagsFromString(flag);

async function main(): Promise<void> {
  const config = loadConfig();
  setHttpTimeouts(config.http);
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  // The SDK's metrics are exported only where /metrics can serve them: with a health port.
  const exporterPort = config.WORKER_HEALTH_PORT ? await freePort() : undefined;
  const exported = installSdkRuntime({ logger, level: config.LOG_LEVEL, metricsPort: exporterPort });
  const sdkMetricsPort = exported ? exporterPort : undefined;
  collectProcessMetrics();
  // Required only when asked for: without it nothing of OpenTelemetry is loaded.
  const tracing = config.OTEL_EXPORTER_OTLP_ENDPOINT
    ? (await import('./tracing')).workerTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT)
    : undefined;
  const store = await createStore(config.databaseUrl, {
    statementTimeoutSeconds: config.DATABASE_STATEMENT_TIMEOUT_SECONDS,
    poolMax: config.DATABASE_POOL_MAX,
  });
  // Opens values sealed under any key of the ring; seals refreshed tokens under the current one.
  const keyring = keyringFromSettings(config);
  const box = keyring && createSecretBox(keyring);
  // One request budget per connection, shared with every other worker (and the API) through Redis.
  const budgets = createRequestBudgets({ redisUrl: config.REDIS_URL, logger });
  const connection = await retryUntilReady(
    `Temporal at ${config.TEMPORAL_ADDRESS}`,
    () =>
      NativeConnection.connect({
        address: config.TEMPORAL_ADDRESS,
        tls: config.TEMPORAL_TLS || undefined,
        apiKey: config.TEMPORAL_API_KEY,
      }),
    { onRetry: (m) => logger.warn(m) },
  );
  // Publishing an event starts its delivery workflows, which takes a client.
  const clientConnection = await Connection.connect({
    address: config.TEMPORAL_ADDRESS,
    tls: config.TEMPORAL_TLS || undefined,
    apiKey: config.TEMPORAL_API_KEY,
  });
  // Payloads (inputs, results, heartbeat details, failures) are encrypted on every client and worker.
  const dataConverter = encryptingDataConverter(keyring);
  const webhookQueue = webhookTaskQueue(config.MIGRATECLOUDS_TASK_QUEUE);
  const events = createWebhookPublisher({
    store,
    client: new Client({
      connection: clientConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      dataConverter,
      interceptors: tracing?.clientInterceptors,
    }),
    taskQueue: webhookQueue,
    workflowTaskQueue: config.MIGRATECLOUDS_TASK_QUEUE,
    retryInitialSeconds: config.MIGRATECLOUDS_WEBHOOK_FIRST_RETRY_SECONDS,
    attemptTimeoutSeconds: config.MIGRATECLOUDS_WEBHOOK_TIMEOUT_SECONDS,
  });
  const notifyNeedsReauth = needsReauthNotifier(store, events);
  if (config.MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE) {
    logger.warn(
      'MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE is on: webhooks may reach private and loopback addresses',
    );
  }
  // The prebuilt bundles carry no tracing interceptors: with tracing on, the workflows are bundled now.
  const source = workflowSource(dataConverter, { prebuilt: !tracing });
  // Each account's share of this worker while others have work here too (worker/fair-share.ts).
  const share =
    config.WORKER_ACCOUNT_SLOTS > 0 ? new FairShare({ slots: config.WORKER_ACCOUNT_SLOTS }) : undefined;
  if (share) shareCopyThreads((tenant, threads) => share.portion(tenant, threads));
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter,
    taskQueue: config.MIGRATECLOUDS_TASK_QUEUE,
    ...source,
    interceptors: workerInterceptors(source, tracing, share),
    sinks: tracing?.sinks,
    activities: createActivities({
      store,
      // Called inside an activity: its cancellation also ends waits for the budget.
      connectorFactory: (c) =>
        openConnector(c, {
          credentials: store.connections,
          config,
          box,
          budgets,
          signal: Context.current().cancellationSignal,
          onNeedsReauth: notifyNeedsReauth(c),
          grants: store.localGrants,
        }),
      fileConcurrency: config.MIGRATION_FILE_CONCURRENCY,
      maxRunningMigrations: config.MIGRATECLOUDS_ACCOUNT_MAX_RUNNING_MIGRATIONS,
      stallMs: config.TRANSFER_STALL_SECONDS * 1000,
      events,
    }),
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    shutdownGraceTime: config.WORKER_SHUTDOWN_GRACE_SECONDS * 1000,
    // A cancellation reaches an activity only in a heartbeat's answer; the default throttle (0.8 × the
    // heartbeat timeout) would hold a cancelled copy for 8 s.
    maxHeartbeatThrottleInterval: '1 second',
  });
  const webhookWorker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter,
    taskQueue: webhookQueue,
    interceptors: workerInterceptors({}, tracing),
    // Activities only: a second copy of the workflow code would cost ~50 MB of memory.
    activities: webhookDeliveryActivities({
      store,
      box,
      policy: { allowPrivate: config.MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE },
    }),
    // Attempts mostly wait on receivers: many at once cost little.
    maxConcurrentActivityTaskExecutions: 50,
    shutdownGraceTime: '10 seconds',
  });
  const health = config.WORKER_HEALTH_PORT
    ? await serveHealth(
        { host: config.WORKER_HEALTH_HOST, port: config.WORKER_HEALTH_PORT },
        () => ({ migrations: worker.getState(), webhooks: webhookWorker.getState() }),
        { metrics: workerMetrics(sdkMetricsPort), metricsToken: config.METRICS_TOKEN },
      )
    : undefined;
  logger.info(
    {
      taskQueue: config.MIGRATECLOUDS_TASK_QUEUE,
      webhookTaskQueue: webhookQueue,
      address: config.TEMPORAL_ADDRESS,
      requestBudgets: config.REDIS_URL ? 'redis' : 'memory',
    },
    'worker started',
  );
  try {
    // One stopping (a signal stops both; a failure must not leave the other running) stops the other.
    await Promise.all(
      [worker, webhookWorker].map((w) =>
        w.run().finally(() => {
          if (worker.getState() === 'RUNNING') worker.shutdown();
          if (webhookWorker.getState() === 'RUNNING') webhookWorker.shutdown();
        }),
      ),
    );
  } finally {
    await health?.close();
    // After the copies ended (a cancelled one stops its threads between two files).
    await closeCopyThreads();
    await clientConnection.close();
    await connection.close();
    await budgets.close();
    await store.close();
    await tracing?.shutdown();
    logger.info('worker stopped');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
