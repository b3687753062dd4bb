// Syncs through the API against the real Temporal dev server: validation naming the field, the
// Temporal Schedule each sync owns, tenant isolation, paging, PATCH, pause/resume, trigger, delete.
// No worker polls the suite's task queue: triggered runs stay where Temporal left them.
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection, ScheduleNotFoundError } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import { AppError } from '../../common/errors';
import { SyncSchedules } from '../../api/syncs/temporal';
import type { Sync } from '../../store';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from './helpers';
import { completeOptions } from '../../contract';

let api: TestApi;
let alice: TestAccount;
let bob: TestAccount;
let src: string;
let dst: string;
let bobConn: string;
const created: string[] = [];

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
  // Yearly: nothing fires while the suite runs.
  schedule: { cron: '0 3 1 1 *' },
  ...over,
});

async function create(who: TestAccount, payload: Record<string, unknown>) {
  const res = await request(api.app).post('/v1/syncs').set(who.auth).send(payload);
  if (res.status === 201) created.push(res.body.data.id as string);
  return res;
}

const describeSchedule = (id: string) => api.client.schedule.getHandle(`sync-${id}`).describe();

beforeAll(async () => {
  api = await createTestApi();
  alice = await api.account('pro', 'Alice');
  bob = await api.account('pro', 'Bob');
  src = await connection(alice, 'alice-src');
  dst = await connection(alice, 'alice-dst');
  bobConn = await connection(bob, 'bob');
  fs.mkdirSync(path.join(api.root, 'alice-src/photos'), { recursive: true });
});

afterAll(async () => {
  for (const id of created) {
    await api.client.schedule
      .getHandle(`sync-${id}`)
      .delete()
      .catch(() => undefined);
  }
  // Runs triggered with no worker to run them.
  for await (const wf of api.client.workflow.list({ query: `TaskQueue = '${api.taskQueue}'` })) {
    await api.client.workflow
      .getHandle(wf.workflowId)
      .terminate('test cleanup')
      .catch(() => undefined);
  }
  await api.close();
  await closeTemporal();
});

describe('POST /v1/syncs', () => {
  it('records the sync and creates its Temporal Schedule', async () => {
    const res = await create(alice, body({ timezone: 'europe/berlin' }));
    expect(res.status).toBe(201);
    const s = res.body.data;
    expect(res.headers.location).toBe(`/v1/syncs/${s.id}`);
    expect(s).toEqual({
      id: expect.stringMatching(/^syn_[0-9A-Za-z]{20}$/),
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
        delete_extraneous: false,
        max_delete: 100,
      },
      schedule: { cron: '0 3 1 1 *' },
      // The canonical spelling: Temporal loads zones by their exact name.
      timezone: 'Europe/Berlin',
      state: 'active',
      schedule_id: `sync-${s.id}`,
      next_run_at: expect.stringMatching(/^\d{4}-01-01T02:00:00\.000Z$/),
      last_run: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const d = await describeSchedule(s.id);
    expect(d.spec.timezone).toBe('Europe/Berlin');
    expect(d.policies.overlap).toBe('SKIP');
    expect(d.state.paused).toBe(false);
    expect(d.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'syncRunWorkflow',
      taskQueue: api.taskQueue,
      workflowId: `sync-${s.id}-run`,
      args: [{ syncId: s.id, accountId: alice.id }],
      memo: { source: 'local:/photos', destination: 'local:/backup', sync: s.id },
    });
    const attrs = Object.fromEntries(
      (d.action.typedSearchAttributes as TypedSearchAttributes).getAll().map((p) => [p.key.name, p.value]),
    );
    expect(attrs).toEqual({
      MigrationAccountId: alice.id,
      MigrationSourceService: 'local',
      MigrationDestinationService: 'local',
    });
    expect(d.memo).toEqual({ source: 'local:/photos', destination: 'local:/backup', sync: s.id });
  });

  it('takes an interval and mirror-mode options, and can start paused', async () => {
    const res = await create(
      alice,
      body({
        schedule: { interval: '1h30m' },
        options: { delete_extraneous: true, max_delete: '10%', exclude: ['*.tmp'] },
        paused: true,
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      schedule: { interval: '1h30m' },
      timezone: 'UTC',
      state: 'paused',
      next_run_at: null,
      options: { delete_extraneous: true, max_delete: '10%', exclude: ['*.tmp'], conflict: 'skip' },
    });
    const stored = await api.store.syncs.get(alice.id, res.body.data.id);
    expect(stored?.options).toMatchObject({ deleteExtraneous: true, maxDelete: { percent: 10 } });
    const d = await describeSchedule(res.body.data.id);
    expect(d.state.paused).toBe(true);
    expect(d.spec.intervals).toMatchObject([{ every: 5_400_000 }]);
  });

  it.each([
    [{ schedule: { cron: '61 * * * *' } }, 'schedule.cron', /minute field "61": 61 is outside 0-59/],
    [{ schedule: { cron: '* * * *' } }, 'schedule.cron', /must have 5 fields/],
    [{ schedule: { cron: '0 0 * * 5-1' } }, 'schedule.cron', /runs backwards/],
    [{ schedule: { cron: '0 0 L * *' } }, 'schedule.cron', /"L" is not a number/],
    [{ schedule: { cron: '@every 5m' } }, 'schedule.cron', /interval/],
    [{ schedule: { cron: 'CRON_TZ=UTC 0 * * * *' } }, 'schedule.cron', /timezone/],
    [{ schedule: { interval: '15x' } }, 'schedule.interval', /is not an interval/],
    [{ schedule: { interval: '30m1h' } }, 'schedule.interval', /is not an interval/],
    [{ schedule: { interval: '30s' } }, 'schedule.interval', /must be at least 1m/],
    [{ schedule: { interval: '400d' } }, 'schedule.interval', /must be at most 366d/],
    [{ schedule: {} }, 'schedule', /either "cron" or "interval"/],
    [{ schedule: { cron: '0 * * * *', interval: '1h' } }, 'schedule.interval', /must not be given/],
    [{ schedule: { every: '1h' } }, 'schedule.every', /not a known field/],
    [{ schedule: undefined }, 'schedule', /is required/],
    [{ timezone: 'Mars/Olympus' }, 'timezone', /not a known IANA time zone/],
    [{ timezone: '+01:00' }, 'timezone', /not a known IANA time zone/],
    [{ options: { max_delete: '150%' } }, 'options.max_delete', /percentage/],
    [{ options: { max_delete: -1 } }, 'options.max_delete', /number of files/],
    [{ options: { delete_extraneous: 'yes' } }, 'options.delete_extraneous', /boolean/],
  ])('refuses %j naming %s', async (over, param, message) => {
    const res = await create(alice, body(over));
    const error = expectError(res, 400, 'invalid_parameter');
    expect(error.message).toMatch(new RegExp(`^Invalid parameter '${param.replace('.', '\\.')}': `));
    expect(error.message).toMatch(message);
  });

  it('refuses a pattern of more than 32 "*" wildcards, creating or changing a sync', async () => {
    const over = '*a'.repeat(33);
    const message = 'is not a valid pattern: it has 33 "*" wildcards, more than the 32 allowed';
    expectError(
      await create(alice, body({ options: { exclude: ['*.tmp', over] } })),
      400,
      'invalid_parameter',
      `Invalid parameter 'options.exclude[1]': ${message}`,
    );
    const id = (await create(alice, body({ options: { include: ['*a'.repeat(32)] } }))).body.data
      .id as string;
    expectError(
      await request(api.app)
        .patch(`/v1/syncs/${id}`)
        .set(alice.auth)
        .send({ options: { include: [over] } }),
      400,
      'invalid_parameter',
      `Invalid parameter 'options.include[0]': ${message}`,
    );
  });

  it('checks both ends as a migration does', async () => {
    expectError(
      await create(alice, body({ source: { connection_id: bobConn, path: '/' } })),
      404,
      'resource_not_found',
      /source\.connection_id/,
    );
    expectError(
      await create(alice, body({ source: { connection_id: src, path: '/nope' } })),
      404,
      'resource_not_found',
      /source\.path/,
    );
    expectError(
      await create(
        alice,
        body({
          source: { connection_id: src, path: '/' },
          destination: { connection_id: src, path: '/photos/x' },
        }),
      ),
      400,
      'invalid_parameter',
      /destination\.path/,
    );
  });

  it('maps a spec Temporal refuses to invalid_parameter naming the field', async () => {
    // The API's own checks come first; here the schedule helper meets Temporal's refusal directly.
    const schedules = new SyncSchedules(api.client, api.taskQueue);
    const base = (await api.store.syncs.create({
      accountId: alice.id,
      source: { connectionId: src, service: 'local', path: '/photos' },
      destination: { connectionId: dst, service: 'local', path: '/backup' },
      options: completeOptions({}),
      schedule: { cron: '0 0 L * *' },
      timezone: 'UTC',
      paused: true,
    })) as Sync;
    const refused = (sync: Sync) =>
      schedules.create(sync).then(
        () => undefined,
        (e: unknown) => e,
      );
    const cron = await refused(base);
    expect(cron).toBeInstanceOf(AppError);
    expect((cron as AppError).message).toMatch(
      /^Invalid parameter 'schedule\.cron': was refused by Temporal: .*DayOfMonth/,
    );
    const zone = await refused({ ...base, schedule: { cron: '0 * * * *' }, timezone: 'Mars/Olympus' });
    expect((zone as AppError).message).toMatch(
      /^Invalid parameter 'timezone': was refused by Temporal: unknown time zone/,
    );
  });
});

describe('Idempotency-Key on POST /v1/syncs', () => {
  const post = (who: TestAccount, payload: Record<string, unknown>, key: string) =>
    request(api.app).post('/v1/syncs').set(who.auth).set('Idempotency-Key', key).send(payload);
  const keyed = async (who: TestAccount, key: string) =>
    (await api.store.syncs.list(who.id, { pageSize: 1000 })).items
      .filter((s) => s.idempotencyKey === key)
      .map((s) => s.id);

  it('returns the same sync for a retried key, even after a PATCH, and 409 for a different body', async () => {
    const first = await post(alice, body({ options: { conflict: 'overwrite' } }), 'sync-key-1');
    expect(first.status).toBe(201);
    const id = first.body.data.id as string;
    created.push(id);
    const again = await post(alice, body({ options: { conflict: 'overwrite' } }), 'sync-key-1');
    expect(again.status).toBe(200);
    // next_run_at decorates the answer when Temporal answers within 2 s (null otherwise, on a loaded
    // machine); everything else is the sync the first request made.
    const withoutNext = (data: Record<string, unknown>) => ({ ...data, next_run_at: undefined });
    expect(withoutNext(again.body.data)).toEqual(withoutNext(first.body.data));
    expect([first.body.data.next_run_at, null]).toContain(again.body.data.next_run_at);
    expect(again.headers.location).toBe(`/v1/syncs/${id}`);
    // The same request spelled otherwise (normalized path, explicit defaults) is a retry too.
    const spelled = body({
      source: { connection_id: src, path: '/photos/' },
      timezone: 'UTC',
      paused: false,
      options: { conflict: 'overwrite', max_delete: 100 },
    });
    expect((await post(alice, spelled, 'sync-key-1')).body.data.id).toBe(id);
    expect(await keyed(alice, 'sync-key-1')).toEqual([id]);

    // The sync changed since, the request did not: still a retry, answered with the sync as it is now.
    await request(api.app).patch(`/v1/syncs/${id}`).set(alice.auth).send({ timezone: 'Asia/Tokyo' });
    const later = await post(alice, body({ options: { conflict: 'overwrite' } }), 'sync-key-1');
    expect(later.status).toBe(200);
    expect(later.body.data).toMatchObject({ id, timezone: 'Asia/Tokyo' });

    for (const over of [
      { destination: { connection_id: dst, path: '/elsewhere' } },
      { schedule: { cron: '0 4 1 1 *' } },
      { paused: true },
      { options: { conflict: 'skip' } },
    ]) {
      const other = await post(alice, body({ options: { conflict: 'overwrite' }, ...over }), 'sync-key-1');
      const err = expectError(
        other,
        409,
        'conflict',
        'This Idempotency-Key was already used with a different request',
      );
      expect(err.details).toBe(`It created sync ${id}; use a new key for a different sync.`);
    }
    expect(await keyed(alice, 'sync-key-1')).toEqual([id]);

    // Keys are per account: Erin's own sync with the same key.
    const erin = await api.account('pro', 'Erin');
    const erins = await post(
      erin,
      {
        source: { connection_id: await connection(erin, 'erin-src'), path: '/' },
        destination: { connection_id: await connection(erin, 'erin-dst'), path: '/' },
        schedule: { cron: '0 3 1 1 *' },
      },
      'sync-key-1',
    );
    expect(erins.status).toBe(201);
    created.push(erins.body.data.id as string);
    expect(erins.body.data.id).not.toBe(id);
  });

  it('validates the header, naming it, and documents it', async () => {
    for (const key of ['', 'x'.repeat(256), 'tab\there']) {
      expectError(
        await post(alice, body(), key),
        400,
        'invalid_parameter',
        "Invalid parameter 'Idempotency-Key': must be 1 to 255 printable ASCII characters",
      );
    }
    const doc = (await request(api.app).get('/v1/openapi.json')).body;
    const create = doc.paths['/v1/syncs'].post;
    expect(create.parameters).toEqual([
      expect.objectContaining({
        name: 'Idempotency-Key',
        in: 'header',
        description: expect.stringMatching(/same sync/),
      }),
    ]);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '409']));
  });

  it('ends a race of two identical requests with one sync and its one schedule', async () => {
    const dave = await api.account('pro', 'Dave');
    const from = await connection(dave, 'dave-src');
    const to = await connection(dave, 'dave-dst');
    const payload = {
      source: { connection_id: from, path: '/' },
      destination: { connection_id: to, path: '/' },
      schedule: { interval: '6h' },
    };
    const both = await Promise.all([post(dave, payload, 'race-key'), post(dave, payload, 'race-key')]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 201]);
    const id = both[0]!.body.data.id as string;
    created.push(id);
    expect(both[1]!.body.data.id).toBe(id);
    const all = (await api.store.syncs.list(dave.id, { pageSize: 10 })).items;
    expect(all.map((s) => s.id)).toEqual([id]);
    expect((await describeSchedule(id)).action).toMatchObject({ args: [{ syncId: id, accountId: dave.id }] });
  });

  it('schedules again on a retry when the schedule is missing (a crash before scheduling)', async () => {
    const first = await post(alice, body({ paused: true }), 'sync-key-crash');
    const id = first.body.data.id as string;
    created.push(id);
    await api.client.schedule.getHandle(`sync-${id}`).delete();
    const again = await post(alice, body({ paused: true }), 'sync-key-crash');
    expect(again.status).toBe(200);
    expect(again.body.data.id).toBe(id);
    expect((await describeSchedule(id)).state.paused).toBe(true);
  });
});

describe('reading, changing and deleting', () => {
  it('keeps every sync to its account', async () => {
    const id = (await create(alice, body())).body.data.id as string;
    const asBob = (method: 'get' | 'post' | 'patch' | 'delete', p: string) => {
      const agent = request(api.app);
      return agent[method](p)
        .set(bob.auth)
        .send(method === 'patch' ? { timezone: 'UTC' } : {});
    };
    for (const [method, p] of [
      ['get', `/v1/syncs/${id}`],
      ['get', `/v1/syncs/${id}/runs`],
      ['patch', `/v1/syncs/${id}`],
      ['post', `/v1/syncs/${id}/pause`],
      ['post', `/v1/syncs/${id}/resume`],
      ['post', `/v1/syncs/${id}/trigger`],
      ['delete', `/v1/syncs/${id}`],
    ] as const) {
      expectError(await asBob(method, p), 404, 'resource_not_found', `Sync '${id}' was not found`);
    }
    expect((await request(api.app).get('/v1/syncs').set(bob.auth)).body.data).toEqual({
      syncs: [],
      next_page_token: null,
    });
    // Untouched by any of it.
    expect((await describeSchedule(id)).state.paused).toBe(false);
    expect((await request(api.app).get(`/v1/syncs/${id}`).set(alice.auth)).status).toBe(200);
  });

  it('lists newest first, in pages', async () => {
    const carol = await api.account('pro', 'Carol');
    const c1 = await connection(carol, 'carol-1');
    const c2 = await connection(carol, 'carol-2');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await create(carol, {
        source: { connection_id: c1, path: '/' },
        destination: { connection_id: c2, path: `/copy-${i}` },
        schedule: { interval: `${i + 1}h` },
        paused: true,
      });
      ids.push(res.body.data.id as string);
    }
    const first = await request(api.app).get('/v1/syncs?page_size=2').set(carol.auth);
    expect(first.body.data.syncs.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.data.syncs[0].state).toBe('paused');
    const second = await request(api.app)
      .get('/v1/syncs')
      .set(carol.auth)
      .send({ page_size: 2, page_token: first.body.data.next_page_token });
    expect(second.body.data.syncs.map((s: { id: string }) => s.id)).toEqual([ids[0]]);
    expect(second.body.data.next_page_token).toBeNull();
    expectError(
      await request(api.app).get('/v1/syncs?page_token=bogus').set(carol.auth),
      400,
      'invalid_parameter',
      /page_token/,
    );
  });

  it('PATCH changes the schedule, time zone and options, and the Temporal Schedule with them', async () => {
    const id = (await create(alice, body({ options: { conflict: 'overwrite' } }))).body.data.id as string;
    const patched = await request(api.app)
      .patch(`/v1/syncs/${id}`)
      .set(alice.auth)
      .send({ schedule: { interval: '2h' }, timezone: 'America/New_York', options: { max_delete: '5%' } });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({
      schedule: { interval: '2h' },
      timezone: 'America/New_York',
      state: 'active',
      next_run_at: expect.any(String),
      // Options not named keep their values.
      options: { conflict: 'overwrite', max_delete: '5%', delete_extraneous: false },
    });
    // An interval counts from the epoch: the next run is on an even UTC hour.
    expect(new Date(patched.body.data.next_run_at as string).getUTCHours() % 2).toBe(0);
    const d = await describeSchedule(id);
    expect(d.spec).toMatchObject({ intervals: [{ every: 7_200_000 }], timezone: 'America/New_York' });
    expect(d.spec.calendars ?? []).toEqual([]);

    // A refused change changes nothing.
    const bad = await request(api.app)
      .patch(`/v1/syncs/${id}`)
      .set(alice.auth)
      .send({ schedule: { cron: '0 25 * * *' }, options: { dry_run: true } });
    expectError(bad, 400, 'invalid_parameter', /^Invalid parameter 'schedule\.cron'/);
    const read = await request(api.app).get(`/v1/syncs/${id}`).set(alice.auth);
    expect(read.body.data).toMatchObject({ schedule: { interval: '2h' }, options: { dry_run: false } });

    expectError(
      await request(api.app).patch(`/v1/syncs/${id}`).set(alice.auth).send({}),
      400,
      'invalid_parameter',
      /^Invalid parameter 'body': changes nothing/,
    );
    expectError(
      await request(api.app).patch(`/v1/syncs/${id}`).set(alice.auth).send({ timezone: 'Nowhere/Land' }),
      400,
      'invalid_parameter',
      /^Invalid parameter 'timezone'/,
    );
    expectError(
      await request(api.app)
        .patch(`/v1/syncs/${id}`)
        .set(alice.auth)
        .send({ source: { connection_id: src, path: '/' } }),
      400,
      'invalid_parameter',
      /^Invalid parameter 'source': is not a known field/,
    );
  });

  it('pauses and resumes the schedule', async () => {
    const id = (await create(alice, body())).body.data.id as string;
    const paused = await request(api.app).post(`/v1/syncs/${id}/pause`).set(alice.auth);
    expect(paused.status).toBe(200);
    expect(paused.body.data).toMatchObject({ state: 'paused', next_run_at: null });
    expect((await describeSchedule(id)).state.paused).toBe(true);
    // Again: no change.
    expect((await request(api.app).post(`/v1/syncs/${id}/pause`).set(alice.auth)).body.data.state).toBe(
      'paused',
    );
    expect((await api.store.syncs.get(alice.id, id))?.paused).toBe(true);
    // A new schedule while paused keeps it paused.
    const patched = await request(api.app)
      .patch(`/v1/syncs/${id}`)
      .set(alice.auth)
      .send({ schedule: { cron: '@daily' } });
    expect(patched.body.data).toMatchObject({
      state: 'paused',
      next_run_at: null,
      schedule: { cron: '@daily' },
    });
    expect((await describeSchedule(id)).state.paused).toBe(true);

    const resumed = await request(api.app).post(`/v1/syncs/${id}/resume`).set(alice.auth);
    expect(resumed.body.data).toMatchObject({ state: 'active', next_run_at: expect.any(String) });
    expect((await describeSchedule(id)).state.paused).toBe(false);
    expect((await api.store.syncs.get(alice.id, id))?.paused).toBe(false);
  });

  it('triggers a run now, and refuses a second one while it is in progress', async () => {
    const id = (await create(alice, body({ paused: true }))).body.data.id as string;
    const triggered = await request(api.app).post(`/v1/syncs/${id}/trigger`).set(alice.auth);
    expect(triggered.status).toBe(202);
    // No worker here: the run's workflow starts and waits, which is "in progress".
    const deadline = Date.now() + 10_000;
    while (!(await describeSchedule(id)).info.runningActions.length) {
      if (Date.now() > deadline) throw new Error('the triggered run never started');
      await new Promise((r) => setTimeout(r, 200));
    }
    const [running] = (await describeSchedule(id)).info.runningActions;
    expect(running!.workflow.workflowId).toMatch(new RegExp(`^sync-${id}-run-`));
    expect((await describeSchedule(id)).state.paused).toBe(true);
    expectError(
      await request(api.app).post(`/v1/syncs/${id}/trigger`).set(alice.auth),
      409,
      'conflict',
      /in progress/,
    );
  });

  it('lists the runs, newest first, presented as migrations', async () => {
    const id = (await create(alice, body())).body.data.id as string;
    const sync = (await api.store.syncs.get(alice.id, id))!;
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const m = await api.store.migrations.create({
        // Made within one millisecond they order by id: ids that sort as made keep the test stable.
        id: `mig_r${i}${id.slice(6)}`,
        accountId: alice.id,
        source: sync.source,
        destination: sync.destination,
        options: sync.options,
        syncId: id,
      });
      await api.store.syncs.recordRunStarted(id, m.id);
      runs.push(m.id);
    }
    // A migration of its own is not a run.
    await api.store.migrations.create({
      accountId: alice.id,
      source: sync.source,
      destination: sync.destination,
      options: completeOptions({}),
    });
    await api.store.migrations.update(runs[2]!, { status: 'running' });

    const page = await request(api.app).get(`/v1/syncs/${id}/runs?page_size=2`).set(alice.auth);
    expect(page.status).toBe(200);
    expect(page.body.data.migrations.map((m: { id: string }) => m.id)).toEqual([runs[2], runs[1]]);
    expect(page.body.data.migrations[0]).toMatchObject({
      status: 'running',
      source: { connection_id: src, path: '/photos' },
      options: { delete_extraneous: false, max_delete: 100 },
      sync_id: id,
    });
    const rest = await request(api.app)
      .get(`/v1/syncs/${id}/runs`)
      .set(alice.auth)
      .send({ page_token: page.body.data.next_page_token });
    expect(rest.body.data).toEqual({
      migrations: [expect.objectContaining({ id: runs[0] })],
      next_page_token: null,
    });

    const read = await request(api.app).get(`/v1/syncs/${id}`).set(alice.auth);
    expect(read.body.data.last_run).toEqual({ migration_id: runs[2], status: 'running' });
  });

  it('deletes the sync and its schedule', async () => {
    const id = (await create(alice, body())).body.data.id as string;
    const deleted = await request(api.app).delete(`/v1/syncs/${id}`).set(alice.auth);
    expect(deleted.status).toBe(200);
    expect(deleted.body.data).toMatchObject({ id, next_run_at: null });
    await expect(describeSchedule(id)).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expectError(await request(api.app).get(`/v1/syncs/${id}`).set(alice.auth), 404, 'resource_not_found');
    expectError(
      await request(api.app).get(`/v1/syncs/${id}/runs`).set(alice.auth),
      404,
      'resource_not_found',
    );
    expectError(await request(api.app).delete(`/v1/syncs/${id}`).set(alice.auth), 404, 'resource_not_found');
  });
});

describe('with Temporal down', () => {
  it('creates nothing and answers 502; reads answer from the store at once', async () => {
    const connection = await Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 300 });
    // The same store and local roots as the suite's app, with a Temporal that never answers.
    const down = await createTestApi({
      client: new Client({ connection }),
      store: api.store,
      env: { MIGRATECLOUDS_LOCAL_ROOTS: api.root },
    });
    try {
      const payload = body({ destination: { connection_id: dst, path: '/while-down' } });
      const res = await request(down.app)
        .post('/v1/syncs')
        .set(alice.auth)
        .set('Idempotency-Key', 'sync-key-down')
        .send(payload);
      expectError(res, 502, 'service_error', /^The sync could not be scheduled: the workflow service failed/);
      expect(await api.store.syncs.findByIdempotencyKey(alice.id, 'sync-key-down')).toBeUndefined();
      const before = (await api.store.syncs.list(alice.id, { pageSize: 1000 })).items.length;
      expect(
        (await request(api.app).get('/v1/syncs?page_size=1000').set(alice.auth)).body.data.syncs,
      ).toHaveLength(before);

      // Syncs made while it was up: listed with what the store knows, without waiting on each.
      const list = await request(down.app).get('/v1/syncs?page_size=1000').set(alice.auth);
      expect(list.status).toBe(200);
      expect(list.body.data.syncs.length).toBe(before);
      expect(list.body.data.syncs.every((s: { next_run_at: unknown }) => s.next_run_at === null)).toBe(true);

      // Nothing was kept under the key: the retry, with Temporal back, creates the sync.
      const retry = await request(api.app)
        .post('/v1/syncs')
        .set(alice.auth)
        .set('Idempotency-Key', 'sync-key-down')
        .send(payload);
      expect(retry.status).toBe(201);
      created.push(retry.body.data.id as string);
    } finally {
      await down.close();
      await connection.close();
    }
  });
});

describe('mirror mode on POST /v1/migrations', () => {
  it('is refused for a one-off migration, naming the option', async () => {
    const res = await request(api.app)
      .post('/v1/migrations')
      .set(alice.auth)
      .send({
        source: { connection_id: src, path: '/photos' },
        destination: { connection_id: dst, path: '/backup' },
        options: { delete_extraneous: true },
      });
    expectError(
      res,
      400,
      'invalid_parameter',
      /^Invalid parameter 'options\.delete_extraneous': is for syncs only/,
    );
  });
});
