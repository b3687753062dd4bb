// The two workers of suites that follow webhook events, on a test API's queues as worker/main.ts runs
// them: migrations (publishing events) on the API's task queue, delivery attempts on its webhook queue.
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Connection } from '../../store/types';
import { createActivities } from '../../activities';
import { webhookDeliveryActivities } from '../../activities/webhooks';
import { createSecretBox } from '../../common/secret-box';
import { openConnector, type Connector } from '../../connectors';
import { webhookTaskQueue } from '../../contract';
import { createWebhookPublisher } from '../../events';
import type { TestApi } from '../api/helpers';
import { createTestWorker } from './temporal';

export interface EventWorkers {
  /** Shuts both workers down and waits for them. */
  stop(): Promise<void>;
}

export async function startEventWorkers(
  api: TestApi,
  encryptionKey: string,
  /** Wraps each connector the migration worker opens (a test's gate or fault). */
  wrap: (c: Connection, connector: Connector) => Connector = (_c, connector) => connector,
): Promise<EventWorkers> {
  const publisher = createWebhookPublisher({
    store: api.store,
    client: api.client,
    taskQueue: webhookTaskQueue(api.taskQueue),
    workflowTaskQueue: api.taskQueue, // as worker/main.ts: attempts on the webhook queue
    retryInitialSeconds: 0.5,
    attemptTimeoutSeconds: 5,
  });
  const migrationActivities = createActivities({
    store: api.store,
    connectorFactory: async (c) => wrap(c, await openConnector(c, { config: api.config })),
    fileConcurrency: 4,
    events: publisher,
  });
  const deliveryActivities = webhookDeliveryActivities({
    store: api.store,
    box: createSecretBox(encryptionKey),
    policy: { allowPrivate: true },
  });
  const running: { worker: Worker; connection: NativeConnection; run: Promise<void> }[] = [];
  for (const [activities, queue] of [
    [migrationActivities, api.taskQueue],
    [deliveryActivities, webhookTaskQueue(api.taskQueue)],
  ] as const) {
    const { worker, connection } = await createTestWorker(activities, queue);
    running.push({ worker, connection, run: worker.run() });
  }
  return {
    async stop() {
      for (const w of running) w.worker.shutdown();
      for (const w of running) {
        await w.run;
        await w.connection.close();
      }
    },
  };
}
