// Connects a suite to the dev server started by the global setup, and runs a real worker against it.
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { TASK_QUEUE } from '../../contract';

function address(): string {
  const a = process.env.TEMPORAL_TEST_ADDRESS;
  if (!a)
    throw new Error(
      'TEMPORAL_TEST_ADDRESS is not set: run suites through jest (global setup starts Temporal)',
    );
  return a;
}

export async function connectTestClient(): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address: address() });
  return { client: new Client({ connection, namespace: 'default' }), connection };
}

/** A real worker on a unique task queue (so suites never steal each other's tasks). */
export async function createTestWorker(activities: object, taskQueue: string = TASK_QUEUE) {
  quietRuntime();
  const connection = await NativeConnection.connect({ address: address() });
  const codePath = process.env.TEMPORAL_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('TEMPORAL_TEST_WORKFLOW_BUNDLE is not set');
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue,
    workflowBundle: { codePath },
    activities,
    // As worker/main.ts: cancellations reach copies within a second or two.
    maxHeartbeatThrottleInterval: '1 second',
  });
  return { worker, connection };
}

let runtimeInstalled = false;
/** Worker lifecycle chatter hides test output; keep the SDK's warnings and errors. */
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}
