// On the worker, every log line of a migration names its account, the migration and its workflow: the
// SDK's workflow and activity lines (through the Runtime logger into pino, as worker/main.ts installs
// it) and the pino lines of code running inside an activity.
import fs from 'node:fs';
import path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { openConnector } from '../../connectors';
import { migrationWorkflowId } from '../../contract';
import { installSdkRuntime } from '../../worker/runtime';
import { closeTemporal, createTestApi, request, type TestAccount, type TestApi } from '../api/helpers';
import { captureLogs } from '../helpers/log-capture';
import { createTestWorker, installTestRuntime } from '../helpers/temporal';
import { writeTree } from '../helpers/tree';

const { logger, lines } = captureLogs('debug', 'worker');
let api: TestApi;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
let alice: TestAccount;

beforeAll(async () => {
  // Debug: the SDK's lifecycle lines ("Workflow started", "Activity completed") are logged too.
  installTestRuntime(() => installSdkRuntime({ logger, level: 'debug' }));
  api = await createTestApi();
  const activities = createActivities({
    store: api.store,
    connectorFactory: (c) => {
      logger.info({ service: c.service }, 'opening a connector');
      return openConnector(c, { config: api.config });
    },
    fileConcurrency: 2,
  });
  ({ worker, connection: workerConnection } = await createTestWorker(activities, api.taskQueue));
  workerRun = worker.run();
  alice = await api.account('pro', 'Alice');
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await workerConnection?.close();
  await api?.close();
  await closeTemporal();
});

async function connect(name: string): Promise<string> {
  const root = path.join(api.root, name);
  fs.mkdirSync(root, { recursive: true });
  const res = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'local', name, config: { root } });
  return res.body.data.id as string;
}

async function untilFinal(id: string): Promise<string> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const res = await request(api.app).get(`/v1/migrations/${id}`).set(alice.auth);
    const status = res.body.data.status as string;
    if (['completed', 'completed_with_errors', 'failed', 'cancelled'].includes(status)) return status;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`migration ${id} did not finish`);
}

describe('worker log lines', () => {
  it('carry the migration, account and workflow ids on workflow, activity and connector lines', async () => {
    const src = await connect('src');
    writeTree(path.join(api.root, 'src'), { folders: 2, filesPerFolder: 3, depth: 1, maxBytes: 1000 });
    const dst = await connect('dst');
    const res = await request(api.app)
      .post('/v1/migrations')
      .set(alice.auth)
      .send({ source: { connection_id: src, path: '/' }, destination: { connection_id: dst, path: '/' } });
    expect(res.status).toBe(202);
    const migrationId = res.body.data.id as string;
    expect(await untilFinal(migrationId)).toBe('completed');

    const workflowId = migrationWorkflowId(migrationId);
    // The status is recorded just before the workflow returns: wait for its last lines.
    await api.client.workflow.getHandle(workflowId).result();
    const ids = { workflowId, migrationId, accountId: alice.id };
    const mine = lines.filter((l) => l.workflowId === workflowId);
    const workflowLines = mine.filter((l) => l.workflowType && !l.activityType);
    // The SDK writes its debug "Activity started" before any interceptor sees the activity's header:
    // that line has the ids the workflow id tells (migration, workflow), not the account.
    const started = mine.filter((l) => l.activityType && l.msg === 'Activity started');
    const activityLines = mine.filter((l) => l.activityType && l.sdkComponent && !started.includes(l));
    const connectorLines = mine.filter((l) => l.msg === 'opening a connector');
    expect(workflowLines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['Workflow started', 'Workflow completed']),
    );
    expect(activityLines.map((l) => l.msg)).toEqual(expect.arrayContaining(['Activity completed']));
    expect(connectorLines.length).toBeGreaterThan(0);
    for (const line of [...workflowLines, ...activityLines, ...connectorLines])
      expect(line).toMatchObject(ids);
    for (const line of started) expect(line).toMatchObject({ workflowId, migrationId });
    expect(connectorLines[0]).toHaveProperty('activityType');
    // Every line about the migration's work names it (the API's lines are another logger's).
    expect(lines.filter((l) => l.migrationId === migrationId).length).toBe(mine.length);
  });
});
