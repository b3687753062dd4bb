// Connects a suite to the dev server started by the global setup, and runs a real worker against it.
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { TASK_QUEUE } from '../../contract';
import { keyringFromSettings } from '../../common/keyring';
import { encryptingDataConverter } from '../../common/payload-codec';
import type { FairShare } from '../../worker/fair-share';
import { workerInterceptors } from '../../worker/interceptors';

/** Suites encrypt payloads as a deployment with a key does (the product's codec, a fixed test key). */
export const TEST_PAYLOAD_KEYS = `test1:${Buffer.alloc(32, 41).toString('base64')}`;
type KeySettings = Parameters<typeof keyringFromSettings>[0];
const testKeys: KeySettings = { MIGRATECLOUDS_ENCRYPTION_KEYS: TEST_PAYLOAD_KEYS };
export const testDataConverter = (keys: KeySettings = testKeys) =>
  encryptingDataConverter(keyringFromSettings(keys));

function address(): string {
  const a = process.env.TEMPORAL_TEST_ADDRESS;
  if (!a)
    throw new Error(
      'TEMPORAL_TEST_ADDRESS is not set: run suites through jest (global setup starts Temporal)',
    );
  return a;
}

/**
 * A client of the suite's dev server. It encrypts as the suite's workers do: pass the key settings of
 * a worker process the suite spawns (`{}` when that worker has no key).
 */
export async function connectTestClient(
  keys: KeySettings = testKeys,
): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address: address() });
  return {
    client: new Client({ connection, namespace: 'default', dataConverter: testDataConverter(keys) }),
    connection,
  };
}

/**
 * A real worker on a unique task queue (so suites never steal each other's tasks); with `share`, each
 * account's share of it is kept as worker/main.ts keeps it.
 */
export async function createTestWorker(
  activities: object,
  taskQueue: string = TASK_QUEUE,
  keys: KeySettings = testKeys,
  share?: FairShare,
) {
  quietRuntime();
  const connection = await NativeConnection.connect({ address: address() });
  const codePath = process.env.TEMPORAL_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('TEMPORAL_TEST_WORKFLOW_BUNDLE is not set');
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    dataConverter: testDataConverter(keys),
    taskQueue,
    workflowBundle: { codePath },
    activities,
    interceptors: workerInterceptors({}, undefined, share),
    // As worker/main.ts: cancellations reach copies within a second or two.
    maxHeartbeatThrottleInterval: '1 second',
  });
  return { worker, connection };
}

let runtimeInstalled = false;
/** Instead of the quiet runtime: a suite that reads the SDK's logs installs its own (before any worker). */
export function installTestRuntime(install: () => void): void {
  runtimeInstalled = true;
  install();
}

/** Worker lifecycle chatter hides test output; keep the SDK's warnings and errors. */
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/** A client and a running test worker on `taskQueue`; `stop` shuts both down (after the worker drains). */
export async function runTestWorker(
  activities: object,
  taskQueue: string,
): Promise<{ client: Client; stop(): Promise<void> }> {
  const { client, connection: clientConnection } = await connectTestClient();
  const { worker, connection } = await createTestWorker(activities, taskQueue);
  const running = worker.run();
  return {
    client,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
    },
  };
}
