// Which webhook events a migration's life publishes, end to end: the real API, a real migration worker
// and a real webhook worker against the Temporal dev server, and a receiver on 127.0.0.1 that answers
// 200 and verifies every signature. The source's reads wait at a gate, so the migration is surely
// still running while the test pauses, resumes and cancels it (the gate gives way to the cancellation),
// or while it publishes migration.progress (at a one-second interval given as tuning). A source that is
// gone publishes migration.failed.
import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMigrationWorkflow } from '../../api/migrations/temporal';
import { generateEncryptionKey } from '../../common/secret-box';
import { verifySignature } from '../../common/webhook-signature';
import { type Connector } from '../../connectors';
import {
  completeOptions,
  MIGRATION_WORKFLOW_TYPE,
  migrationWorkflowId,
  webhookDeliveryWorkflowId,
  type MigrationWorkflowInput,
} from '../../contract';
import type { Connection } from '../../store/types';
import { closeTemporal, createTestApi, request, type TestAccount, type TestApi } from '../api/helpers';
import { readingThrough } from '../helpers/connectors';
import { startEventWorkers, type EventWorkers } from '../helpers/event-workers';
import { testDataConverter } from '../helpers/temporal';

const KEY = generateEncryptionKey();
const MIGRATION_EVENTS = [
  'migration.started',
  'migration.progress',
  'migration.paused',
  'migration.resumed',
  'migration.completed',
  'migration.completed_with_errors',
  'migration.failed',
  'migration.cancelled',
];

interface Received {
  deliveryId: string;
  eventType: string;
  verified: boolean;
  event: { id: string; type: string; data: { id: string; status: string; error: string | null } };
}

let api: TestApi;
let alice: TestAccount;
let secret = '';
let hookId = '';
let workers: EventWorkers | undefined;
let receiver: http.Server;
const received: Received[] = [];

/**
 * Reads of a "gate-…" connection wait at its gate until opened, or until their activity is cancelled.
 * Every file is read through `openRead`: without the local copy threads (connectors/local/direct.ts).
 */
interface Gate {
  waiting: number;
  open: () => void;
  opened: Promise<void>;
}
const gates = new Map<string, Gate>();
function gateOf(name: string): Gate {
  let gate = gates.get(name);
  if (!gate) {
    let open = () => {};
    const opened = new Promise<void>((resolve) => (open = resolve));
    gate = { waiting: 0, open, opened };
    gates.set(name, gate);
  }
  return gate;
}

function gated(c: Connection, connector: Connector): Connector {
  if (!c.name.startsWith('gate-')) return connector;
  const gate = gateOf(c.name);
  const openRead: Connector['openRead'] = async (p, options) => {
    gate.waiting++;
    const signal = Context.current().cancellationSignal;
    await Promise.race([
      gate.opened,
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    ]);
    return connector.openRead(p, options);
  };
  return readingThrough(connector, openRead);
}

beforeAll(async () => {
  api = await createTestApi({
    env: { MIGRATECLOUDS_ENCRYPTION_KEY: KEY, MIGRATECLOUDS_WEBHOOK_ALLOW_PRIVATE: 'true' },
  });
  workers = await startEventWorkers(api, KEY, gated);
  alice = await api.account('pro', 'Alice');

  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        deliveryId: String(req.headers['migrateclouds-delivery']),
        eventType: String(req.headers['migrateclouds-event']),
        verified: verifySignature(secret, req.headers['migrateclouds-signature'] as string | undefined, body),
        event: JSON.parse(body),
      });
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const hook = await request(api.app)
    .post('/v1/webhooks')
    .set(alice.auth)
    .send({ url, events: MIGRATION_EVENTS });
  expect(hook.status).toBe(201);
  secret = hook.body.data.secret;
  hookId = hook.body.data.id;
});

afterAll(async () => {
  for (const gate of gates.values()) gate.open();
  await workers?.stop();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  await api?.close();
  await closeTemporal();
});

async function connect(name: string): Promise<{ id: string; root: string }> {
  const root = path.join(api.root, name);
  fs.mkdirSync(root, { recursive: true });
  const res = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'local', name, config: { root } });
  expect(res.status).toBe(201);
  return { id: res.body.data.id, root };
}

async function waitFor<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const about = (migrationId: string) => received.filter((r) => r.event.data.id === migrationId);
const heard = (migrationId: string, type: string) =>
  waitFor(
    type,
    () => about(migrationId),
    (rs) => rs.some((r) => r.eventType === type),
  );

/**
 * Once the migration's workflow has ended, every event it publishes and its delivery are recorded: waits
 * for every delivery to end, then answers what the receiver got about the migration, one per delivery id.
 */
async function everyDelivery(migrationId: string) {
  await api.client.workflow
    .getHandle(migrationWorkflowId(migrationId))
    .result()
    .catch((err: unknown) => expect(err).toBeInstanceOf(WorkflowFailedError));
  const listed = await request(api.app)
    .get(`/v1/webhooks/${hookId}/deliveries?page_size=100`)
    .set(alice.auth);
  const ids = (listed.body.data.deliveries as { id: string }[]).map((d) => d.id);
  for (const id of ids) await api.client.workflow.getHandle(webhookDeliveryWorkflowId(id)).result();
  const byDelivery = new Map(about(migrationId).map((r) => [r.deliveryId, r]));
  // Each is one the API lists.
  expect(ids).toEqual(expect.arrayContaining([...byDelivery.keys()]));
  return [...byDelivery.values()];
}

const typesOf = (rs: Received[]) => rs.map((r) => r.eventType).sort();

it('publishes started, paused, resumed and cancelled once each, signed, as the store has the migration', async () => {
  const src = await connect('gate-src');
  const dst = await connect('dst');
  for (const name of ['a.txt', 'b.txt']) fs.writeFileSync(path.join(src.root, name), name);
  const started = await request(api.app)
    .post('/v1/migrations')
    .set(alice.auth)
    .send({
      source: { connection_id: src.id, path: '/' },
      destination: { connection_id: dst.id, path: '/' },
    });
  expect(started.status).toBe(202);
  const id = started.body.data.id as string;
  const control = (action: string) => request(api.app).post(`/v1/migrations/${id}/${action}`).set(alice.auth);

  // A copy is waiting at the gate: the migration runs, and has published migration.started.
  await waitFor(
    'a read at the gate',
    () => gateOf('gate-src').waiting,
    (n) => n > 0,
  );
  expect((await control('pause')).status).toBe(200);
  await heard(id, 'migration.paused');
  expect((await control('resume')).status).toBe(200);
  await heard(id, 'migration.resumed');
  expect((await control('cancel')).status).toBe(202);
  await heard(id, 'migration.cancelled');

  const deliveries = await everyDelivery(id);
  expect(received.every((r) => r.verified)).toBe(true);
  const byType = (type: string) => deliveries.filter((r) => r.eventType === type);
  for (const [type, status] of [
    ['migration.started', 'running'],
    ['migration.paused', 'paused'],
    ['migration.resumed', 'running'],
    ['migration.cancelled', 'cancelled'],
  ]) {
    expect(byType(type!)).toHaveLength(1);
    expect(byType(type!)[0]!.event).toMatchObject({ type, data: { id, status } });
  }
  // A migration of seconds has no minute of running to report: at most one progress event.
  expect(byType('migration.progress').length).toBeLessThanOrEqual(1);
  expect(typesOf(deliveries.filter((r) => r.eventType !== 'migration.progress'))).toEqual([
    'migration.cancelled',
    'migration.paused',
    'migration.resumed',
    'migration.started',
  ]);
  // One event per delivery: no event was published twice under two ids.
  expect(new Set(deliveries.map((r) => r.event.id)).size).toBe(deliveries.length);
});

it('publishes migration.failed once when the source is missing', async () => {
  const src = await connect('plain-src');
  const dst = await connect('plain-dst');
  // Past the API's own check: the source is gone by the time the workflow looks.
  const migration = await api.store.migrations.create({
    accountId: alice.id,
    source: { connectionId: src.id, service: 'local', path: '/vanished' },
    destination: { connectionId: dst.id, service: 'local', path: '/' },
    options: completeOptions({}),
  });
  await startMigrationWorkflow(api.client, migration, api.taskQueue);
  await heard(migration.id, 'migration.failed');

  const deliveries = await everyDelivery(migration.id);
  expect(deliveries.every((r) => r.verified)).toBe(true);
  expect(typesOf(deliveries)).toEqual(['migration.failed', 'migration.started']);
  expect(deliveries.find((r) => r.eventType === 'migration.failed')!.event.data).toMatchObject({
    id: migration.id,
    status: 'failed',
    error: expect.stringContaining('/vanished'),
  });
});

it('publishes migration.progress while the last copy runs, no more often than its interval', async () => {
  const src = await connect('gate-progress');
  const dst = await connect('progress-dst');
  fs.writeFileSync(path.join(src.root, 'big.bin'), 'x'.repeat(1024));
  const migration = await api.store.migrations.create({
    accountId: alice.id,
    source: { connectionId: src.id, service: 'local', path: '/' },
    destination: { connectionId: dst.id, service: 'local', path: '/' },
    options: completeOptions({}),
  });
  // As the API starts it, with progress events allowed every second instead of every minute.
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: alice.id,
    source: migration.source,
    destination: migration.destination,
    options: completeOptions({ conflict: 'skip' }),
    tuning: { progressEveryMs: 1000 },
  };
  await api.client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    workflowId: migrationWorkflowId(migration.id),
    taskQueue: api.taskQueue,
    args: [input],
  });

  // Listing is over and the one copy waits at the gate: the progress events come from that wait.
  await waitFor(
    'two progress events',
    () => about(migration.id).filter((r) => r.eventType === 'migration.progress'),
    (rs) => rs.length >= 2,
  );
  gateOf('gate-progress').open();
  await heard(migration.id, 'migration.completed');

  const deliveries = await everyDelivery(migration.id);
  expect(deliveries.every((r) => r.verified)).toBe(true);
  const progress = deliveries.filter((r) => r.eventType === 'migration.progress');
  expect(progress.length).toBeGreaterThanOrEqual(2);
  expect(new Set(progress.map((r) => r.event.id)).size).toBe(progress.length);
  for (const r of progress) expect(r.event.data).toMatchObject({ id: migration.id, status: 'running' });
  expect(typesOf(deliveries.filter((r) => r.eventType !== 'migration.progress'))).toEqual([
    'migration.completed',
    'migration.started',
  ]);
  // On the workflow's own clock (its workflow task's start), each publish is at least a second after the last.
  const times = await progressPublishTimes(migration.id);
  expect(times).toHaveLength(progress.length);
  for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);
});

/** When the workflow decided each migration.progress publish: its workflow task's start, in ms. */
async function progressPublishTimes(migrationId: string): Promise<number[]> {
  const history = await api.client.workflow.getHandle(migrationWorkflowId(migrationId)).fetchHistory();
  const events = history.events ?? [];
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
    Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
  const codec = testDataConverter()!.payloadCodecs[0]!;
  const times: number[] = [];
  for (const e of events) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType?.name !== 'publishMigrationEvent') continue;
    // History holds payloads as the codec sealed them: decode like the Web UI's codec endpoint does.
    const [payload] = await codec.decode([a.input!.payloads![0]! as Payload]);
    const arg = defaultPayloadConverter.fromPayload<{ type: string }>(payload!);
    if (arg.type !== 'migration.progress') continue;
    const completed = byId.get(Number(a.workflowTaskCompletedEventId));
    const started = byId.get(Number(completed!.workflowTaskCompletedEventAttributes!.startedEventId));
    times.push(ms(started!.eventTime));
  }
  return times;
}
