// Tenant data in Temporal is ciphertext: a migration started through the API, with a real worker, leaves
// a history in which no payload shows a path or file name to a client without the codec (as
// `temporal workflow show` sees it), while the codec endpoint the Web UI uses decodes the same payloads
// to clear JSON — and answers only the UI's origin and the configured namespace.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { codecServer } from '../../api/codec/server';
import { uiOrigins } from '../../api/codec/origins';
import { parseKeyring } from '../../common/keyring';
import { createPayloadCodec, isEncrypted } from '../../common/payload-codec';
import { openConnector } from '../../connectors';
import { completeOptions, MIGRATION_WORKFLOW_TYPE, type MigrationWorkflowInput } from '../../contract';
import { closeTemporal, createTestApi, request, type TestApi } from '../api/helpers';
import { createTestWorker, TEST_PAYLOAD_KEYS } from '../helpers/temporal';

type JsonPayload = { metadata: Record<string, string>; data: string };

const SECRET_NAME = 'Acme-merger-plan';
let api: TestApi;
let worker: Worker;
let workerConnection: NativeConnection;
let workerRun: Promise<void>;
const codecApp = codecServer({
  codec: createPayloadCodec(parseKeyring(TEST_PAYLOAD_KEYS)),
  namespace: 'default',
  allowedOrigins: uiOrigins('http://127.0.0.1:8233'),
});

beforeAll(async () => {
  api = await createTestApi();
  const activities = createActivities({
    store: api.store,
    connectorFactory: (c) => openConnector(c, { config: api.config }),
    fileConcurrency: 4,
  });
  ({ worker, connection: workerConnection } = await createTestWorker(activities, api.taskQueue));
  workerRun = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await workerRun;
  await workerConnection?.close();
  await api?.close();
  await closeTemporal();
});

/** Every payload anywhere in a history, as the server stores it. */
function payloadsOf(
  value: unknown,
  out: { metadata?: Record<string, Uint8Array>; data?: Uint8Array }[] = [],
) {
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const list = (value as { payloads?: unknown }).payloads;
    if (Array.isArray(list)) out.push(...(list as typeof out));
    for (const v of Object.values(value)) payloadsOf(v, out);
  }
  return out;
}

/** What the SDK's core records of a local activity call beside its result. */
const LOCAL_CALL_FIELDS = [
  'activity_id',
  'activity_type',
  'attempt',
  'backoff',
  'complete_time',
  'original_schedule_time',
  'seq',
];

const toJson = (p: { metadata?: Record<string, Uint8Array>; data?: Uint8Array }): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

it('keeps paths and names out of history, and decodes them through the codec endpoint', async () => {
  const alice = await api.account('pro', 'Alice');
  const roots = { src: path.join(api.root, 'src'), dst: path.join(api.root, 'dst') };
  fs.mkdirSync(path.join(roots.src, SECRET_NAME), { recursive: true });
  fs.mkdirSync(roots.dst, { recursive: true });
  fs.writeFileSync(path.join(roots.src, SECRET_NAME, `${SECRET_NAME}.txt`), 'confidential');
  const ids: Record<string, string> = {};
  for (const [name, root] of Object.entries(roots)) {
    const res = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'local', name, config: { root } });
    expect(res.status).toBe(201);
    ids[name] = res.body.data.id;
  }
  const started = await request(api.app)
    .post('/v1/migrations')
    .set(alice.auth)
    .send({
      source: { connection_id: ids.src, path: `/${SECRET_NAME}` },
      destination: { connection_id: ids.dst, path: `/${SECRET_NAME}-copy` },
    });
  expect(started.status).toBe(202);
  const id = started.body.data.id as string;
  for (let status = ''; !['completed', 'failed', 'completed_with_errors'].includes(status);) {
    await new Promise((r) => setTimeout(r, 300));
    status = (await request(api.app).get(`/v1/migrations/${id}`).set(alice.auth)).body.data.status;
  }
  expect(fs.readFileSync(path.join(roots.dst, `${SECRET_NAME}-copy`, `${SECRET_NAME}.txt`), 'utf8')).toBe(
    'confidential',
  );

  // A client without the codec, as `temporal workflow show` is: ciphertext only.
  const connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
  try {
    const bare = new Client({ connection, namespace: 'default' });
    const row = await api.store.migrations.get(alice.id, id);
    const history = await bare.workflow.getHandle(row!.workflowId).fetchHistory();
    // Version markers (patched()) are written by the SDK's core, codec aside: they hold the patch's id.
    const markers = history.events?.filter(
      (e) => e.markerRecordedEventAttributes?.markerName === 'core_patch',
    );
    expect(
      payloadsOf(markers).map((p) => JSON.parse(Buffer.from(p.data ?? []).toString()) as unknown),
    ).toEqual([
      { id: 'quick-steps', deprecated: false },
      { id: 'listing-runs-ahead', deprecated: false },
      { id: 'admission', deprecated: false },
      { id: 'batches-by-reference', deprecated: false },
      { id: 'parallel-listing', deprecated: false },
    ]);
    // A local activity's marker holds its result, which the codec seals like any payload, and the SDK
    // core's own record of the call (sequence, attempt, activity id and type, times), which it writes
    // as plain JSON: no tenant data.
    const localCalls = (history.events ?? []).flatMap((e) => {
      const marker = e.markerRecordedEventAttributes;
      return marker?.markerName === 'core_local_activity' ? [marker.details!['data']!] : [];
    });
    expect(localCalls.length).toBeGreaterThan(0);
    for (const p of payloadsOf(localCalls)) {
      const call = JSON.parse(Buffer.from(p.data ?? []).toString()) as Record<string, unknown>;
      expect(Object.keys(call).sort()).toEqual(LOCAL_CALL_FIELDS);
    }
    const payloads = payloadsOf({
      ...history,
      events: history.events?.filter((e) => !markers?.includes(e)),
    }).filter((p) => !payloadsOf(localCalls).includes(p));
    expect(payloads.length).toBeGreaterThan(3);
    for (const p of payloads) {
      expect(isEncrypted(p)).toBe(true);
      expect(Buffer.from(p.data ?? []).toString('latin1')).not.toContain(SECRET_NAME);
    }
    expect(Buffer.from(JSON.stringify(history)).toString()).not.toContain(SECRET_NAME);

    // The codec endpoint, called as the Web UI calls it, gives the clear payloads back.
    const decoded = await request(codecApp)
      .post('/codec/decode')
      .set('Origin', 'http://localhost:8233')
      .set('X-Namespace', 'default')
      .send({ payloads: payloads.map(toJson) });
    expect(decoded.status).toBe(200);
    expect(decoded.headers['access-control-allow-origin']).toBe('http://localhost:8233');
    const clear = (decoded.body.payloads as JsonPayload[]).map((p) => ({
      encoding: Buffer.from(p.metadata.encoding!, 'base64').toString(),
      data: Buffer.from(p.data, 'base64').toString(),
    }));
    expect(clear.some((p) => p.encoding === 'json/plain' && p.data.includes(`"/${SECRET_NAME}"`))).toBe(true);
  } finally {
    await connection.close();
  }
});

it('keeps error messages that name paths out of history too', async () => {
  const bob = await api.account('pro', 'Bob');
  const root = path.join(api.root, 'bob');
  fs.mkdirSync(root, { recursive: true });
  const conn = await api.store.connections.create({
    accountId: bob.id,
    service: 'local',
    name: 'bob',
    config: { root },
  });
  const endpoint = { connectionId: conn.id, service: 'local' as const, path: `/${SECRET_NAME}` };
  const options = completeOptions({});
  const migration = await api.store.migrations.create({
    accountId: bob.id,
    source: endpoint,
    destination: endpoint,
    options,
  });
  // The source fails with an error naming the path, as connectors' errors do.
  const failing = {
    ...createActivities({
      store: api.store,
      connectorFactory: (c) => openConnector(c, { config: api.config }),
      fileConcurrency: 1,
    }),
    inspectSource: async () => {
      throw ApplicationFailure.create({ message: `/${SECRET_NAME} cannot be read`, nonRetryable: true });
    },
  };
  const queue = `${api.taskQueue}-failing`;
  const made = await createTestWorker(failing, queue);
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId: bob.id,
    source: endpoint,
    destination: endpoint,
    options,
  };
  const connection = await Connection.connect({ address: process.env.TEMPORAL_TEST_ADDRESS! });
  try {
    await made.worker.runUntil(async () => {
      const handle = await api.client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
        taskQueue: queue,
        workflowId: migration.workflowId,
        args: [input],
      });
      await handle.result().catch(() => undefined);
    });
    const bare = new Client({ connection, namespace: 'default' });
    const history = await bare.workflow.getHandle(migration.workflowId).fetchHistory();
    const failed = history.events?.filter((e) => e.activityTaskFailedEventAttributes) ?? [];
    expect(failed.length).toBeGreaterThan(0);
    expect(JSON.stringify(failed)).toContain('Encoded failure');
    // The workflow's own failure, which it encodes itself (its bundle carries the failure converter).
    const ended = history.events?.find((e) => e.workflowExecutionFailedEventAttributes);
    expect(ended?.workflowExecutionFailedEventAttributes?.failure?.message).toBe('Encoded failure');
    expect(JSON.stringify(history)).not.toContain(SECRET_NAME);
    // The store keeps the error for the account's own API, in clear.
    expect((await api.store.migrations.get(bob.id, migration.id))!.error).toContain(SECRET_NAME);
  } finally {
    await made.connection.close();
    await connection.close();
  }
});

describe('the codec endpoint', () => {
  const one = {
    payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: 'MQ==' }],
  };

  it('answers the UI origin’s preflight, and refuses other origins and namespaces', async () => {
    const preflight = await request(codecApp)
      .options('/codec/decode')
      .set('Origin', 'http://127.0.0.1:8233')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type,x-namespace');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://127.0.0.1:8233');
    expect(preflight.headers['access-control-allow-headers']).toMatch(/X-Namespace/i);
    const foreign = await request(codecApp)
      .post('/codec/decode')
      .set('Origin', 'https://evil.example')
      .send(one);
    expect(foreign.status).toBe(403);
    const otherNs = await request(codecApp).post('/codec/decode').set('X-Namespace', 'other').send(one);
    expect(otherNs.status).toBe(403);
  });

  it('encodes, decodes its own output, and says nothing about a payload it cannot open', async () => {
    const encoded = await request(codecApp).post('/codec/encode').send(one);
    expect(encoded.status).toBe(200);
    const [sealed] = encoded.body.payloads as JsonPayload[];
    expect(Buffer.from(sealed!.metadata.encoding!, 'base64').toString()).toBe('binary/encrypted');
    const back = await request(codecApp).post('/codec/decode').send(encoded.body);
    expect(back.body).toEqual(one);
    const altered = { payloads: [{ ...sealed!, data: Buffer.alloc(40, 1).toString('base64') }] };
    const refused = await request(codecApp).post('/codec/decode').send(altered);
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ error: 'payload cannot be decoded' });
    expect((await request(codecApp).post('/codec/decode').send({ nope: 1 })).status).toBe(400);
  });
});
