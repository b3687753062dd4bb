// The Temporal server this project runs (the CLI's dev server, 1.29.1, with matching.enableFairness as
// scripts/lib/temporal-dev-server.ts sets it) hands out waiting tasks in turn between fairness keys: one
// account's backlog of workflows does not hold a later account's back. Without fairness the queue is
// first come, first served and the later account's workflows would start last.
import { randomUUID } from 'node:crypto';
import type { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { connectTestClient, testDataConverter } from '../helpers/temporal';
import {
  completeOptions,
  jobPriority,
  MIGRATION_WORKFLOW_TYPE,
  type MigrationWorkflowInput,
} from '../../contract';

const BACKLOG = 30;
const LATE = 3;

let client: Client;
let clientConnection: Connection;

beforeAll(async () => {
  ({ client, connection: clientConnection } = await connectTestClient());
});
afterAll(async () => clientConnection?.close());

const input = (accountId: string, n: number): MigrationWorkflowInput => ({
  migrationId: `mig_fair${n}`,
  accountId,
  source: { connectionId: 'conn_src', service: 'local', path: '/' },
  destination: { connectionId: 'conn_dst', service: 'local', path: '/' },
  options: completeOptions({}),
});

/** The mean rank of B's workflows among the first workflow tasks the server handed out, on a fresh queue. */
async function meanRankOfLate(): Promise<number> {
  const taskQueue = `fairness-${randomUUID()}`;
  const start = (accountId: string, n: number) =>
    client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: `fairness-${taskQueue}-${n}`,
      args: [input(accountId, n)],
      ...jobPriority(accountId),
    });
  // No worker yet: every first workflow task waits in the queue, A's first.
  const handles: { account: string; handle: Awaited<ReturnType<typeof start>> }[] = [];
  for (let n = 0; n < BACKLOG; n++) handles.push({ account: 'acc_A', handle: await start('acc_A', n) });
  for (let n = BACKLOG; n < BACKLOG + LATE; n++)
    handles.push({ account: 'acc_B', handle: await start('acc_B', n) });

  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    dataConverter: testDataConverter(),
    taskQueue,
    workflowBundle: { codePath: process.env.TEMPORAL_TEST_WORKFLOW_BUNDLE! },
    // Their activities are never run: only the order the first workflow tasks are handed out counts.
    activities: {},
    maxConcurrentWorkflowTaskExecutions: 2,
    maxConcurrentWorkflowTaskPolls: 1,
  });
  const firstTaskAt = async (h: (typeof handles)[number]['handle']) => {
    for (;;) {
      const history = await h.fetchHistory();
      const started = history.events?.find((e) => e.workflowTaskStartedEventAttributes);
      if (started?.eventTime)
        return Number(started.eventTime.seconds) * 1e3 + (started.eventTime.nanos ?? 0) / 1e6;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  try {
    return await worker.runUntil(async () => {
      const times = await Promise.all(
        handles.map(async (h) => ({ account: h.account, at: await firstTaskAt(h.handle) })),
      );
      const order = times.sort((a, b) => a.at - b.at).map((t) => t.account);
      const lateRanks = order.flatMap((account, i) => (account === 'acc_B' ? [i] : []));
      return lateRanks.reduce((a, b) => a + b, 0) / LATE;
    });
  } finally {
    await Promise.all(handles.map((h) => h.handle.terminate().catch(() => undefined)));
    await connection.close();
  }
}

it("dispatches a later account's waiting workflows in turn with an earlier account's backlog", async () => {
  // In turn, B's three come early: their mean rank was 1–12 in most runs here. First come, first served it
  // is 24–30 in every run (the queue has four partitions, each first come, first served). Under a loaded
  // CI run one attempt came out at 25 — partitions forwarding to the root at different moments can undo
  // the order — so the test takes the best of three fresh queues: without fairness, none gets under 18.
  const ranks: number[] = [];
  for (let attempt = 0; attempt < 3 && !(Math.min(...ranks) < 18); attempt++)
    ranks.push(await meanRankOfLate());
  expect(Math.min(...ranks)).toBeLessThan(18);
}, 120_000);
