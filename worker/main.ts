// Worker process: connects to Temporal and runs the migration workflows and activities.
// SIGINT/SIGTERM drain it gracefully (the SDK installs those handlers).
import { Context } from '@temporalio/activity';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { openConnector } from '../connectors';
import { createRequestBudgets } from '../connectors/budget';
import { createSecretBox } from '../common/secret-box';
import { loadConfig } from '../common/config';
import { createLogger } from '../common/logger';
import { retryUntilReady } from '../common/retry';
import { createStore } from '../store';
import { workflowSource } from './bundle';
import { installSdkLogging } from './logging';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  installSdkLogging(logger, config.LOG_LEVEL);
  const store = await createStore(config.databaseUrl);
  const box = config.MIGRATECLOUDS_ENCRYPTION_KEY
    ? createSecretBox(config.MIGRATECLOUDS_ENCRYPTION_KEY)
    : undefined;
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
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.MIGRATECLOUDS_TASK_QUEUE,
    ...workflowSource(),
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
        }),
      fileConcurrency: config.MIGRATION_FILE_CONCURRENCY,
    }),
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    shutdownGraceTime: '10 seconds',
    // A cancellation reaches an activity only in a heartbeat's answer; the default throttle (0.8 × the
    // heartbeat timeout) would hold a cancelled copy for 8 s.
    maxHeartbeatThrottleInterval: '1 second',
  });
  logger.info(
    {
      taskQueue: config.MIGRATECLOUDS_TASK_QUEUE,
      address: config.TEMPORAL_ADDRESS,
      requestBudgets: config.REDIS_URL ? 'redis' : 'memory',
    },
    'worker started',
  );
  try {
    await worker.run();
  } finally {
    await connection.close();
    await budgets.close();
    await store.close();
    logger.info('worker stopped');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
