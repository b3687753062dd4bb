// Starting, reading and cancelling migrations through the API, against the real Temporal dev server.
// No worker polls the suite's task queue, so workflows stay where the API left them.
import fs from 'node:fs';
import path from 'node:path';
import { Connection, Client } from '@temporalio/client';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from './helpers';
import { createReconciler } from '../../api/migrations/reconcile';
import { workflowState } from '../../api/migrations/temporal';
import { createLogger } from '../../common/logger';

let api: TestApi;
let alice: TestAccount;
let bob: TestAccount;
let src: string;
let dst: string;
let bobConn: string;

const started: string[] = [];

async function connection(who: TestAccount, sub: string): Promise<string> {
  fs.mkdirSync(path.join(api.root, sub), { recursive: true });
  const res = await request(api.app)
    .post('/v1/connections')
    .set(who.auth)
    .send({ service: 'local', name: sub, config: { root: path.join(api.root, sub) } });
  return res.body.data.id as string;
}

const body = (over: Record<string, unknown> = {}) => ({
  source: { connection_id: src, path: '/photos' },
  destination: { connection_id: dst, path: '/backup' },
  ...over,
});

function post(who: TestAccount, payload: unknown, key?: string) {
  const req = request(api.app).post('/v1/migrations').set(who.auth);
  return (key === undefined ? req : req.set('Idempotency-Key', key)).send(payload as object);
}

beforeAll(async () => {
  api = await createTestApi();
  alice = await api.account('pro', 'Alice');
  bob = await api.account('pro', 'Bob');
  src = await connection(alice, 'alice-src');
  dst = await connection(alice, 'alice-dst');
  bobConn = await connection(bob, 'bob');
  fs.mkdirSync(path.join(api.root, 'alice-src/photos/2024'), { recursive: true });
  fs.writeFileSync(path.join(api.root, 'alice-src/photos/2024/a.jpg'), 'jpeg');
});
afterAll(async () => {
  for (const id of started) {
    await api.client.workflow
      .getHandle(`migration-${id}`)
      .terminate('test cleanup')
      .catch(() => undefined);
  }
  await api.close();
  await closeTemporal();
});

describe('POST /v1/migrations', () => {
  it('records the migration and starts its workflow', async () => {
    const res = await post(alice, body());
    expect(res.status).toBe(202);
    const m = res.body.data as Record<string, unknown> & { id: string };
    started.push(m.id);
    expect(m).toEqual({
      id: expect.stringMatching(/^mig_/),
      status: 'pending',
      source: { connection_id: src, service: 'local', path: '/photos' },
      destination: { connection_id: dst, service: 'local', path: '/backup' },
      options: {
        conflict: 'skip',
        google_docs: 'export',
        invalid_names: 'fail',
        include: [],
        exclude: [],
        dry_run: false,
        verify: 'checksum',
        preserve_modified_time: true,
        // Mirror mode is for syncs: a migration never deletes.
        delete_extraneous: false,
        max_delete: null,
      },
      progress: {
        files_discovered: 0,
        bytes_discovered: 0,
        folders_discovered: 0,
        files_copied: 0,
        bytes_copied: 0,
        files_skipped: 0,
        bytes_skipped: 0,
        files_failed: 0,
        files_deleted: 0,
        listing_complete: false,
        throughput_bytes_per_second: 0,
        eta_seconds: null,
      },
      error: null,
      sync_id: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
      started_at: null,
      finished_at: null,
    });
    expect(res.headers.location).toBe(`/v1/migrations/${m.id}`);

    const description = await api.client.workflow.getHandle(`migration-${m.id}`).describe();
    expect(description.type).toBe('migrationWorkflow');
    expect(description.taskQueue).toBe(api.taskQueue);
    expect(description.status.name).toBe('RUNNING');
    expect(description.searchAttributes).toMatchObject({
      MigrationAccountId: [alice.id],
      MigrationSourceService: ['local'],
      MigrationDestinationService: ['local'],
    });
    expect(await description.memo).toEqual({ source: 'local:/photos', destination: 'local:/backup' });
  });

  it('returns the same migration for a retried Idempotency-Key, and 409 for a different body', async () => {
    const first = await post(alice, body({ options: { conflict: 'overwrite' } }), 'retry-key-1');
    expect(first.status).toBe(202);
    const id = first.body.data.id as string;
    started.push(id);
    const again = await post(alice, body({ options: { conflict: 'overwrite' } }), 'retry-key-1');
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(first.body.data);
    expect(again.headers.location).toBe(`/v1/migrations/${id}`);

    const rows = await api.store.migrations.list(alice.id, {}, { pageSize: 1000 });
    expect(rows.items.filter((m) => m.idempotencyKey === 'retry-key-1').map((m) => m.id)).toEqual([id]);

    const other = await post(
      alice,
      body({ destination: { connection_id: dst, path: '/elsewhere' } }),
      'retry-key-1',
    );
    expectError(other, 409, 'conflict', 'This Idempotency-Key was already used with a different request');
    // Keys are per account: Bob may use the same one.
    const bobs = await post(
      bob,
      { source: { connection_id: bobConn, path: '/' }, destination: { connection_id: bobConn, path: '/' } },
      'retry-key-1',
    );
    expectError(
      bobs,
      400,
      'invalid_parameter',
      "Invalid parameter 'destination.path': must not be inside the source on the same connection",
    );
  });

  it('validates the Idempotency-Key header', async () => {
    for (const key of ['', 'x'.repeat(256), 'tab\there']) {
      const res = await post(alice, body(), key);
      expectError(
        res,
        400,
        'invalid_parameter',
        "Invalid parameter 'Idempotency-Key': must be 1 to 255 printable ASCII characters",
      );
    }
  });

  it.each([
    ["Invalid parameter 'source': is required", { source: undefined }],
    [
      "Invalid parameter 'source.path': Path must start with a forward slash",
      { source: { connection_id: 'x', path: 'photos' } },
    ],
    ["Invalid parameter 'source.connection_id': is required", { source: { path: '/photos' } }],
    [
      "Invalid parameter 'options.conflict': must be one of: skip, overwrite, rename, newer",
      { options: { conflict: 'merge' } },
    ],
    [
      "Invalid parameter 'options.verify': must be one of: checksum, size, none",
      { options: { conflict: 'skip', verify: true } },
    ],
    [
      "Invalid parameter 'options.priority': is not a known field",
      { options: { conflict: 'skip', priority: 1 } },
    ],
    ["Invalid parameter 'priority': is not a known field", { priority: 1 }],
    [
      "Invalid parameter 'options.google_docs': must be one of: export, skip",
      { options: { google_docs: 'convert' } },
    ],
    [
      "Invalid parameter 'options.invalid_names': must be one of: fail, encode",
      { options: { invalid_names: 'rename' } },
    ],
    ["Invalid parameter 'options': must be an object", { options: 'encode' }],
  ])('answers %s', async (message: string, over: Record<string, unknown>) => {
    expectError(await post(alice, body(over)), 400, 'invalid_parameter', message);
  });

  it('refuses a pattern of more than 32 "*" wildcards, naming it', async () => {
    const include = ['*.jpg', 'photos/**', '{a,b}*', '*a'.repeat(33)];
    const error = expectError(
      await post(alice, body({ options: { include } })),
      400,
      'invalid_parameter',
      `Invalid parameter 'options.include[3]': is not a valid pattern: it has 33 "*" wildcards, more than the 32 allowed`,
    );
    expect(error.details).toMatch(/glob patterns/);
    expectError(
      await post(alice, body({ options: { exclude: ['*.tmp', `{${'*a,'.repeat(39)}*b}`] } })),
      400,
      'invalid_parameter',
      `Invalid parameter 'options.exclude[1]': is not a valid pattern: it has 40 "*" wildcards, more than the 32 allowed`,
    );
  });

  it('checks the connections belong to the caller and the source exists', async () => {
    const unknown = await post(alice, body({ source: { connection_id: 'conn_nope', path: '/photos' } }));
    expectError(
      unknown,
      404,
      'resource_not_found',
      "Connection 'conn_nope' (source.connection_id) was not found",
    );
    const foreign = await post(alice, body({ destination: { connection_id: bobConn, path: '/x' } }));
    expectError(
      foreign,
      404,
      'resource_not_found',
      `Connection '${bobConn}' (destination.connection_id) was not found`,
    );
    const missing = await post(alice, body({ source: { connection_id: src, path: '/nope' } }));
    expectError(
      missing,
      404,
      'resource_not_found',
      `Invalid parameter 'source.path': /nope does not exist on connection ${src}`,
    );
    const inside = await post(
      alice,
      body({ destination: { connection_id: src, path: '/photos/2024/copy' } }),
    );
    expectError(
      inside,
      400,
      'invalid_parameter',
      "Invalid parameter 'destination.path': must not be inside the source on the same connection",
    );
    // None of these recorded anything.
    const all = await api.store.migrations.list(alice.id, {}, { pageSize: 1000 });
    expect(all.items.length).toBe(2);
  });

  it('stores and presents the options, and a replay must repeat every one of them', async () => {
    const options = {
      conflict: 'overwrite',
      google_docs: 'skip',
      invalid_names: 'encode',
      include: ['**/*.jpg'],
      exclude: ['tmp'],
      dry_run: true,
      verify: 'size',
      preserve_modified_time: false,
    };
    const first = await post(alice, body({ options }), 'options-key');
    expect(first.status).toBe(202);
    const id = first.body.data.id as string;
    started.push(id);
    const presented = { ...options, delete_extraneous: false, max_delete: null };
    expect(first.body.data.options).toEqual(presented);
    const stored = await api.store.migrations.get(alice.id, id);
    expect(stored?.options).toEqual({
      conflict: 'overwrite',
      googleDocs: 'skip',
      invalidNames: 'encode',
      include: ['**/*.jpg'],
      exclude: ['tmp'],
      dryRun: true,
      verify: 'size',
      preserveModifiedTime: false,
      deleteExtraneous: false,
      maxDelete: null,
    });
    const read = await request(api.app).get(`/v1/migrations/${id}`).set(alice.auth);
    expect(read.body.data.options).toEqual(presented);

    expect((await post(alice, body({ options }), 'options-key')).status).toBe(200);
    const changes = [
      { google_docs: 'export' },
      { invalid_names: 'fail' },
      { conflict: 'skip' },
      { include: [] },
      { exclude: ['tmp', 'cache'] },
      { dry_run: false },
      { verify: 'checksum' },
      { preserve_modified_time: true },
    ];
    for (const change of changes) {
      const other = await post(alice, body({ options: { ...options, ...change } }), 'options-key');
      expectError(other, 409, 'conflict', 'This Idempotency-Key was already used with a different request');
    }
    // Left out, an option takes its default: not the same request as one that set it.
    const defaults = await post(alice, body({ options: { conflict: 'overwrite' } }), 'options-key');
    expectError(defaults, 409, 'conflict', 'This Idempotency-Key was already used with a different request');
  });

  it('keeps the migration pending and answers 502 when Temporal cannot be reached; the reconciler starts it', async () => {
    const connection = await Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 300 });
    const down = await createTestApi({ client: new Client({ connection }) });
    const carol = await down.account();
    fs.mkdirSync(path.join(down.root, 'c'));
    const conn = await request(down.app)
      .post('/v1/connections')
      .set(carol.auth)
      .send({ service: 'local', config: { root: path.join(down.root, 'c') } });
    const connId = conn.body.data.id as string;
    const res = await request(down.app)
      .post('/v1/migrations')
      .set(carol.auth)
      .send({
        source: { connection_id: connId, path: '/' },
        destination: { connection_id: connId, path: '/' },
      });
    // "/" into "/" is refused before Temporal is asked; a sibling destination is not.
    expect(res.status).toBe(400);
    fs.mkdirSync(path.join(down.root, 'c/in'));
    const failed = await request(down.app)
      .post('/v1/migrations')
      .set(carol.auth)
      .send({
        source: { connection_id: connId, path: '/in' },
        destination: { connection_id: connId, path: '/out' },
      });
    const err = expectError(
      failed,
      502,
      'service_error',
      /^The migration could not be started yet: the workflow service failed \(.+\)$/,
    );
    // Temporal could not be asked whether the start landed: nothing is marked, the row waits.
    const rows = await down.store.migrations.list(carol.id, {}, { pageSize: 10 });
    expect(rows.items.map((m) => m.status)).toEqual(['pending']);
    const m = rows.items[0]!;
    expect(err.details).toBe(
      `Migration ${m.id} is recorded and stays pending; it starts as soon as the service answers ` +
        '(GET it to follow), so do not create it again.',
    );
    // With Temporal back, the reconciler starts it — once the grace left to the API's own start has passed.
    const back = {
      store: down.store,
      temporal: { client: api.client, namespace: 'default', taskQueue: down.taskQueue },
      logger: createLogger('silent'),
    };
    expect(await workflowState(api.client, m)).toBe('missing');
    expect(await createReconciler(back).runOnce()).toBe(0);
    const later = createReconciler(back, { graceMs: -1 });
    expect(await later.runOnce()).toBe(1);
    expect(await workflowState(api.client, m)).toBe('started');
    // Once Temporal has it, it is not started again.
    expect(await later.runOnce()).toBe(0);
    await api.client.workflow.getHandle(m.workflowId).terminate('test over');
    await down.close();
    await connection.close();
  });
});

describe('reading and cancelling', () => {
  it('reads one migration and lists them newest first, filtered by status', async () => {
    const list = await request(api.app).get('/v1/migrations').set(alice.auth);
    expect(list.status).toBe(200);
    const ids = (list.body.data.migrations as { id: string }[]).map((m) => m.id);
    expect(ids).toEqual([...started].reverse());
    expect(list.body.data.next_page_token).toBeNull();

    const paged = await request(api.app).get('/v1/migrations').query({ page_size: 1 }).set(alice.auth);
    expect(paged.body.data.migrations.map((m: { id: string }) => m.id)).toEqual([ids[0]]);
    expect(typeof paged.body.data.next_page_token).toBe('string');

    const one = await request(api.app).get(`/v1/migrations/${started[0]!}`).set(alice.auth);
    expect(one.status).toBe(200);
    expect(one.body.data).toMatchObject({ id: started[0], status: 'pending' });

    // Running but nobody answers the live query (no worker): the stored state, promptly.
    await api.store.migrations.update(started[1]!, { status: 'running' });
    const t0 = Date.now();
    const stale = await request(api.app).get(`/v1/migrations/${started[1]!}`).set(alice.auth);
    expect(stale.body.data).toMatchObject({
      id: started[1],
      status: 'running',
      started_at: expect.any(String),
    });
    expect(Date.now() - t0).toBeLessThan(5_000);

    const none = await request(api.app).get('/v1/migrations').send({ status: 'completed' }).set(alice.auth);
    expect(none.body.data).toEqual({ migrations: [], next_page_token: null });
    const badStatus = await request(api.app).get('/v1/migrations?status=done').set(alice.auth);
    expectError(
      badStatus,
      400,
      'invalid_parameter',
      /^Invalid parameter 'status': must be one of: pending, queued, running/,
    );
  });

  it('cancels an unfinished migration and refuses a finished one', async () => {
    const id = started[0]!;
    const res = await request(api.app).post(`/v1/migrations/${id}/cancel`).set(alice.auth);
    expect(res.status).toBe(202);
    expect(res.body.data.id).toBe(id);
    const description = await api.client.workflow.getHandle(`migration-${id}`).describe();
    // The cancellation request is recorded; with no worker the workflow has not acted on it yet.
    const history = await api.client.workflow.getHandle(`migration-${id}`).fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionCancelRequestedEventAttributes)).toBe(true);
    expect(description.status.name).toBe('RUNNING');

    await api.store.migrations.update(id, { status: 'completed' });
    const finished = await request(api.app).post(`/v1/migrations/${id}/cancel`).set(alice.auth);
    expectError(finished, 409, 'conflict', `Migration ${id} is already completed`);
  });

  it('hides one account’s migrations from another', async () => {
    const id = started[1]!;
    const msg = `Migration '${id}' was not found`;
    expectError(
      await request(api.app).get(`/v1/migrations/${id}`).set(bob.auth),
      404,
      'resource_not_found',
      msg,
    );
    expectError(
      await request(api.app).post(`/v1/migrations/${id}/cancel`).set(bob.auth),
      404,
      'resource_not_found',
      msg,
    );
    const list = await request(api.app).get('/v1/migrations').set(bob.auth);
    expect(list.body.data).toEqual({ migrations: [], next_page_token: null });
    const replay = await post(bob, body(), 'retry-key-1');
    expectError(
      replay,
      404,
      'resource_not_found',
      `Connection '${src}' (source.connection_id) was not found`,
    );
  });
});
