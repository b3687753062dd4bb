import { AppError } from '../../common/errors';
import { type Account, type Migration } from '../../store';
import { byCreatedThenId, collectPages, expectInvalidParameter, tokenOf } from './paging-helpers';
import { describeEachStore } from './targets';
import { completeOptions, emptyProgress, type MigrationProgress } from '../../contract';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const source = { connectionId: 'conn_src', service: 'local' as const, path: '/Photos/2024 — été' };
const destination = { connectionId: 'conn_dst', service: 'dropbox' as const, path: '/Backup' };
const progress = (n: number, listingComplete = false): MigrationProgress => ({
  filesDiscovered: 10 * n,
  bytesDiscovered: 5_000_000_000 * n,
  foldersDiscovered: n,
  filesCopied: 8 * n,
  bytesCopied: 4_000_000_000 * n,
  filesSkipped: n,
  bytesSkipped: 1024 * n,
  filesFailed: 0,
  listingComplete,
});

describeEachStore('migrations', (t) => {
  let alice: Account;
  let bob: Account;
  const create = (accountId: string, extra: { idempotencyKey?: string | null; id?: string } = {}) =>
    t.store.migrations.create({
      accountId,
      source,
      destination,
      options: completeOptions({ verify: 'size' }),
      ...extra,
    });

  beforeAll(async () => {
    alice = await t.store.accounts.create({ name: 'Alice', plan: 'pro' });
    bob = await t.store.accounts.create({ name: 'Bob', plan: 'pro' });
  });

  it('creates a pending migration and round-trips its JSON', async () => {
    const options = completeOptions({
      verify: 'size',
      conflict: 'rename',
      include: ['*.jpg', '*.ü'],
      maxDelete: { percent: 12.5 },
    });
    const m = await t.store.migrations.create({ accountId: alice.id, source, destination, options });
    expect(m).toEqual({
      id: expect.stringMatching(/^mig_[0-9A-Za-z]{20}$/),
      accountId: alice.id,
      source,
      destination,
      options,
      workflowId: `migration-${m.id}`,
      status: 'pending',
      progress: emptyProgress(),
      error: null,
      idempotencyKey: null,
      createdAt: expect.stringMatching(ISO),
      updatedAt: m.createdAt,
      startedAt: null,
      finishedAt: null,
      syncId: null,
    });
    expect(await t.store.migrations.get(alice.id, m.id)).toEqual(m);
    expect(await t.store.migrations.getById(m.id)).toEqual(m);
    const raw = await t.raw.all('select source_service, destination_service from migrations where id = ?', [
      m.id,
    ]);
    expect(raw).toEqual([{ source_service: 'local', destination_service: 'dropbox' }]);
  });

  it('reads options stored before some existed with those at their old defaults', async () => {
    const m = await create(alice.id);
    await t.raw.run('update migrations set options = ? where id = ?', ['{"conflict":"rename"}', m.id]);
    const read = await t.store.migrations.get(alice.id, m.id);
    expect(read!.options).toEqual({
      conflict: 'rename',
      googleDocs: 'export',
      invalidNames: 'fail',
      include: [],
      exclude: [],
      dryRun: false,
      verify: 'checksum',
      preserveModifiedTime: true,
      deleteExtraneous: false,
      maxDelete: null,
    });
  });

  it('accepts a caller-chosen id', async () => {
    const m = await create(alice.id, { id: 'mig_chosenByTheApi000001' });
    expect(m.id).toBe('mig_chosenByTheApi000001');
    expect(m.workflowId).toBe('migration-mig_chosenByTheApi000001');
    await expect(create(alice.id, { id: 'mig_chosenByTheApi000001' })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('keeps every read inside the account', async () => {
    const m = await create(alice.id, { idempotencyKey: 'tenant-check' });
    expect(await t.store.migrations.get(bob.id, m.id)).toBeUndefined();
    expect(await t.store.migrations.findByIdempotencyKey(bob.id, 'tenant-check')).toBeUndefined();
    expect((await t.store.migrations.list(bob.id, {}, { pageSize: 1000 })).items).toEqual([]);
    expect(await t.store.migrations.get(alice.id, 'mig_unknown0000000000000')).toBeUndefined();
    expect(await t.store.migrations.getById('mig_unknown0000000000000')).toBeUndefined();
  });

  it('finds by idempotency key, unique per account', async () => {
    const first = await create(alice.id, { idempotencyKey: 'req-123' });
    expect(first.idempotencyKey).toBe('req-123');
    expect(await t.store.migrations.findByIdempotencyKey(alice.id, 'req-123')).toEqual(first);
    expect(await t.store.migrations.findByIdempotencyKey(alice.id, 'req-999')).toBeUndefined();

    const dup = await create(alice.id, { idempotencyKey: 'req-123' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(dup).toBeInstanceOf(AppError);
    expect((dup as AppError).code).toBe('conflict');

    // Another account may use the same key; migrations without a key never collide.
    const bobs = await create(bob.id, { idempotencyKey: 'req-123' });
    expect(await t.store.migrations.findByIdempotencyKey(bob.id, 'req-123')).toEqual(bobs);
    expect(await t.store.migrations.findByIdempotencyKey(alice.id, 'req-123')).toEqual(first);
    await create(alice.id);
    await create(alice.id, { idempotencyKey: null });
  });

  it('pages newest first across three pages with exact ids, with a status filter', async () => {
    const acc = await t.store.accounts.create({ name: 'Pager', plan: 'pro' });
    const made: Migration[] = [];
    for (let i = 0; i < 7; i++) {
      made.push(await create(acc.id));
      await create(bob.id);
    }
    const ids = made
      .sort(byCreatedThenId)
      .reverse()
      .map((m) => m.id);
    const pages = await collectPages((pageToken) =>
      t.store.migrations.list(acc.id, {}, { pageSize: 3, pageToken }),
    );
    expect(pages).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)]);

    const running = [ids[1], ids[4], ids[5]];
    for (const id of running) await t.store.migrations.update(id, { status: 'running' });
    const runningPages = await collectPages((pageToken) =>
      t.store.migrations.list(acc.id, { status: 'running' }, { pageSize: 2, pageToken }),
    );
    expect(runningPages).toEqual([running.slice(0, 2), running.slice(2)]);
    const pending = await t.store.migrations.list(acc.id, { status: 'pending' }, { pageSize: 4 });
    expect(pending).toEqual({ items: expect.any(Array), nextPageToken: null });
    expect(pending.items.map((m) => m.id)).toEqual(ids.filter((id) => !running.includes(id)));
  });

  it('rejects malformed page tokens as invalid_parameter page_token', async () => {
    const list = (pageToken: string) => t.store.migrations.list(alice.id, {}, { pageSize: 5, pageToken });
    // A connections token is not a migrations token.
    const connectionsToken = tokenOf(['2024-01-01T00:00:00.000Z', 'conn_abc']);
    for (const token of [
      '%%%',
      'bnVsbA',
      tokenOf([1, 2]),
      tokenOf(['2024-01-01', 'mig_abc']),
      connectionsToken,
    ]) {
      await expectInvalidParameter(list(token), 'page_token');
    }
  });

  describe('update', () => {
    it('sets startedAt once on running and finishedAt on a final status', async () => {
      const m = await create(alice.id);
      const running = await t.store.migrations.update(m.id, { status: 'running' });
      expect(running).toMatchObject({
        status: 'running',
        startedAt: expect.stringMatching(ISO),
        finishedAt: null,
      });
      const startedAt = running!.startedAt;

      const progressed = await t.store.migrations.update(m.id, { progress: progress(1) });
      expect(progressed).toMatchObject({ status: 'running', progress: progress(1), startedAt });
      expect(progressed!.updatedAt >= running!.updatedAt).toBe(true);

      await t.store.migrations.update(m.id, { status: 'paused' });
      await new Promise((r) => setTimeout(r, 5));
      const resumed = await t.store.migrations.update(m.id, { status: 'running' });
      expect(resumed?.startedAt).toBe(startedAt);

      const done = await t.store.migrations.update(m.id, {
        status: 'completed_with_errors',
        progress: progress(2, true),
        error: '1 file failed: quota exceeded',
      });
      expect(done).toEqual({
        ...m,
        status: 'completed_with_errors',
        progress: progress(2, true),
        error: '1 file failed: quota exceeded',
        updatedAt: expect.stringMatching(ISO),
        startedAt,
        finishedAt: expect.stringMatching(ISO),
      });
      expect(done!.finishedAt! >= startedAt!).toBe(true);
      expect(await t.store.migrations.get(alice.id, m.id)).toEqual(done);
    });

    it('never moves a final migration back to a live status or stale progress', async () => {
      const m = await create(alice.id);
      await t.store.migrations.update(m.id, { status: 'running', progress: progress(1) });
      const done = await t.store.migrations.update(m.id, {
        status: 'completed',
        progress: progress(3, true),
      });

      // Stale writes from an activity that lost the race with the workflow's final write.
      expect(await t.store.migrations.update(m.id, { status: 'running', progress: progress(2) })).toEqual(
        done,
      );
      expect(await t.store.migrations.update(m.id, { progress: progress(2) })).toEqual(done);
      expect(await t.store.migrations.update(m.id, { status: 'paused' })).toEqual(done);
      expect(await t.store.migrations.update(m.id, { error: 'late' })).toEqual(done);
      expect(await t.store.migrations.getById(m.id)).toEqual(done);
      const raw = await t.raw.all<{ status: string; progress: string }>(
        'select status, progress from migrations where id = ?',
        [m.id],
      );
      expect(raw).toEqual([{ status: 'completed', progress: JSON.stringify(progress(3, true)) }]);

      // Nor another final status (a late cancel, a start given up after the run ended); the same one
      // again (a retried activity) changes nothing either.
      expect(await t.store.migrations.update(m.id, { status: 'failed', error: 'too late' })).toEqual(done);
      expect(await t.store.migrations.update(m.id, { status: 'cancelled' })).toEqual(done);
      expect(await t.store.migrations.update(m.id, { status: 'completed' })).toMatchObject({
        status: 'completed',
        finishedAt: done!.finishedAt,
      });
    });

    it('clears an error with null and leaves unmentioned fields alone', async () => {
      const m = await create(alice.id);
      await t.store.migrations.update(m.id, { status: 'running', error: 'transient' });
      const cleared = await t.store.migrations.update(m.id, { error: null });
      expect(cleared).toMatchObject({ status: 'running', error: null, progress: emptyProgress() });
    });

    it('answers undefined for an unknown id', async () => {
      expect(
        await t.store.migrations.update('mig_unknown0000000000000', { status: 'running' }),
      ).toBeUndefined();
      expect(
        await t.store.migrations.update('mig_unknown0000000000000', { status: 'failed' }),
      ).toBeUndefined();
    });
  });

  describe('admit', () => {
    it('runs up to the limit per account, queues the rest, and counts paused ones as holding a slot', async () => {
      const carol = await t.store.accounts.create({ name: 'Carol', plan: 'pro' });
      const dave = await t.store.accounts.create({ name: 'Dave', plan: 'pro' });
      const [a, b, c] = [await create(carol.id), await create(carol.id), await create(carol.id)];
      expect(await t.store.migrations.admit(a.id, carol.id, 2)).toBe('running');
      expect(await t.store.migrations.update(a.id, { status: 'paused' })).toMatchObject({ status: 'paused' });
      expect(await t.store.migrations.admit(b.id, carol.id, 2)).toBe('running');
      expect(await t.store.migrations.admit(c.id, carol.id, 2)).toBe('queued');
      expect(await t.store.migrations.get(carol.id, c.id)).toMatchObject({
        status: 'queued',
        startedAt: null,
      });
      expect(await t.store.migrations.queued(carol.id, 10)).toEqual([c.id]);
      // Asking again changes nothing; an admitted one answers its status as it is.
      expect(await t.store.migrations.admit(c.id, carol.id, 2)).toBe('queued');
      expect(await t.store.migrations.admit(a.id, carol.id, 2)).toBe('paused');
      // Another account's slots are its own; another account's id is not found.
      expect(await t.store.migrations.admit((await create(dave.id)).id, dave.id, 2)).toBe('running');
      expect(await t.store.migrations.admit(c.id, dave.id, 2)).toBeUndefined();
      // A slot frees: the queued one runs.
      await t.store.migrations.update(b.id, { status: 'completed' });
      expect(await t.store.migrations.admit(c.id, carol.id, 2)).toBe('running');
      expect(await t.store.migrations.get(carol.id, c.id)).toMatchObject({
        startedAt: expect.stringMatching(ISO),
      });
      expect(await t.store.migrations.queued(carol.id, 10)).toEqual([]);
      // 0: no limit. A queued migration cancelled stays cancelled.
      const d = await create(carol.id);
      expect(await t.store.migrations.admit(d.id, carol.id, 0)).toBe('running');
      const e = await create(carol.id);
      expect(await t.store.migrations.admit(e.id, carol.id, 1)).toBe('queued');
      await t.store.migrations.update(e.id, { status: 'cancelled' });
      expect(await t.store.migrations.admit(e.id, carol.id, 1)).toBe('cancelled');
    });

    it('never admits more than the limit when many ask at once', async () => {
      const erin = await t.store.accounts.create({ name: 'Erin', plan: 'pro' });
      const all = await Promise.all(Array.from({ length: 12 }, () => create(erin.id)));
      const answers = await Promise.all(all.map((m) => t.store.migrations.admit(m.id, erin.id, 3)));
      expect(answers.filter((s) => s === 'running')).toHaveLength(3);
      expect(answers.filter((s) => s === 'queued')).toHaveLength(9);
    });
  });

  it('counts the migrations of every account by status, every status included', async () => {
    const before = await t.store.migrations.countByStatus();
    const [a, b] = [await create(alice.id), await create(bob.id)];
    await create(bob.id);
    await t.store.migrations.update(a.id, { status: 'running' });
    await t.store.migrations.update(b.id, { status: 'failed' });
    const after = await t.store.migrations.countByStatus();
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(Object.keys(after)).toHaveLength(8);
    const delta = Object.fromEntries(
      Object.entries(after).map(([s, n]) => [s, n - before[s as keyof typeof before]]),
    );
    expect(delta).toEqual({
      pending: 1,
      queued: 0,
      running: 1,
      paused: 0,
      completed: 0,
      completed_with_errors: 0,
      failed: 1,
      cancelled: 0,
    });
  });
});
