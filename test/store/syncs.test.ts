import { completeOptions } from '../../contract';
import type { Account } from '../../store';
import { byCreatedThenId, collectPages, expectInvalidParameter } from './paging-helpers';
import { describeEachStore } from './targets';

const source = { connectionId: 'conn_src', service: 'local' as const, path: '/Photos' };
const destination = { connectionId: 'conn_dst', service: 'dropbox' as const, path: '/Backup' };

describeEachStore('syncs', (t) => {
  let alice: Account;
  let bob: Account;
  const create = (accountId: string, over: { paused?: boolean } = {}) =>
    t.store.syncs.create({
      accountId,
      source,
      destination,
      options: completeOptions({ conflict: 'skip', maxDelete: { percent: 10 } }),
      schedule: { cron: '0 * * * *' },
      timezone: 'Europe/Berlin',
      paused: over.paused ?? false,
    });

  beforeAll(async () => {
    alice = await t.store.accounts.create({ name: 'Alice', plan: 'pro' });
    bob = await t.store.accounts.create({ name: 'Bob', plan: 'pro' });
  });

  it('creates, reads back and keeps each sync to its account', async () => {
    const s = await create(alice.id, { paused: true });
    expect(s).toEqual({
      id: expect.stringMatching(/^syn_[0-9A-Za-z]{20}$/),
      accountId: alice.id,
      source,
      destination,
      options: completeOptions({ conflict: 'skip', maxDelete: { percent: 10 } }),
      schedule: { cron: '0 * * * *' },
      timezone: 'Europe/Berlin',
      paused: true,
      cursor: null,
      lastRun: null,
      idempotencyKey: null,
      idempotencyFingerprint: null,
      createdAt: expect.any(String),
      updatedAt: s.createdAt,
    });
    expect(await t.store.syncs.get(alice.id, s.id)).toEqual(s);
    expect(await t.store.syncs.getById(s.id)).toEqual(s);
    expect(await t.store.syncs.get(bob.id, s.id)).toBeUndefined();
    expect(await t.store.syncs.update(bob.id, s.id, { paused: false })).toBeUndefined();
    expect(await t.store.syncs.delete(bob.id, s.id)).toBe(false);
    expect((await t.store.syncs.get(alice.id, s.id))?.paused).toBe(true);
  });

  it('finds by idempotency key, unique per account; syncs without a key never collide', async () => {
    const keyed = (accountId: string, key: string | null) =>
      t.store.syncs.create({
        accountId,
        source,
        destination,
        options: completeOptions({}),
        schedule: { interval: '1h' },
        timezone: 'UTC',
        paused: false,
        idempotencyKey: key,
        idempotencyFingerprint: key && `digest-of-${key}`,
      });
    const first = await keyed(alice.id, 'sync-req-1');
    expect(first).toMatchObject({
      idempotencyKey: 'sync-req-1',
      idempotencyFingerprint: 'digest-of-sync-req-1',
    });
    expect(await t.store.syncs.findByIdempotencyKey(alice.id, 'sync-req-1')).toEqual(first);
    expect(await t.store.syncs.findByIdempotencyKey(alice.id, 'sync-req-2')).toBeUndefined();
    expect(await t.store.syncs.findByIdempotencyKey(bob.id, 'sync-req-1')).toBeUndefined();

    const dup = await keyed(alice.id, 'sync-req-1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(dup).toMatchObject({
      code: 'conflict',
      message: 'A sync with this id or idempotency key already exists',
    });
    const bobs = await keyed(bob.id, 'sync-req-1');
    expect(await t.store.syncs.findByIdempotencyKey(bob.id, 'sync-req-1')).toEqual(bobs);
    expect(await t.store.syncs.findByIdempotencyKey(alice.id, 'sync-req-1')).toEqual(first);
    await keyed(alice.id, null);
    await keyed(alice.id, null);

    // Deleting the sync frees its key.
    expect(await t.store.syncs.delete(alice.id, first.id)).toBe(true);
    expect(await t.store.syncs.findByIdempotencyKey(alice.id, 'sync-req-1')).toBeUndefined();
    expect((await keyed(alice.id, 'sync-req-1')).id).not.toBe(first.id);
  });

  it('updates only what it is given', async () => {
    const s = await create(alice.id);
    const u = await t.store.syncs.update(alice.id, s.id, { schedule: { interval: '15m' }, paused: true });
    expect(u).toMatchObject({
      schedule: { interval: '15m' },
      paused: true,
      timezone: 'Europe/Berlin',
      options: s.options,
    });
  });

  it('records runs, reads the last run’s status, and saves a cursor only for the latest run', async () => {
    const s = await create(alice.id);
    const run = (n: number) =>
      t.store.migrations.create({
        accountId: alice.id,
        source,
        destination,
        options: completeOptions({}),
        syncId: s.id,
        id: `mig_run${n}${s.id.slice(4, 12)}`,
      });
    const first = await run(1);
    expect(first.syncId).toBe(s.id);
    expect(await t.store.syncs.recordRunStarted(s.id, first.id)).toBe(true);
    await t.store.migrations.update(first.id, { status: 'completed' });
    expect((await t.store.syncs.get(alice.id, s.id))?.lastRun).toEqual({
      migrationId: first.id,
      status: 'completed',
    });
    expect(await t.store.syncs.saveCursor(s.id, first.id, '{"feed":"abc"}')).toBe(true);
    expect((await t.store.syncs.getById(s.id))?.cursor).toBe('{"feed":"abc"}');

    const second = await run(2);
    await t.store.syncs.recordRunStarted(s.id, second.id);
    // The first run's late save must not overwrite what the newer run will save.
    expect(await t.store.syncs.saveCursor(s.id, first.id, 'stale')).toBe(false);
    expect((await t.store.syncs.getById(s.id))?.cursor).toBe('{"feed":"abc"}');
    expect((await t.store.syncs.getById(s.id))?.lastRun).toEqual({
      migrationId: second.id,
      status: 'pending',
    });

    const runs = await t.store.migrations.list(alice.id, { syncId: s.id }, { pageSize: 10 });
    expect(runs.items.map((m) => m.id)).toEqual([second.id, first.id]);

    expect(await t.store.syncs.delete(alice.id, s.id)).toBe(true);
    expect(await t.store.syncs.recordRunStarted(s.id, 'mig_x')).toBe(false);
    // Its runs stay, as migrations of their own.
    expect(await t.store.migrations.get(alice.id, first.id)).toMatchObject({ syncId: s.id });
  });

  it('lists newest first in pages, per account', async () => {
    const carol = await t.store.accounts.create({ name: 'Carol', plan: 'pro' });
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await create(carol.id));
    // Created in the same millisecond, they order by id.
    const ids = made.sort(byCreatedThenId).map((s) => s.id);
    const pages = await collectPages((token) =>
      t.store.syncs.list(carol.id, { pageSize: 2, pageToken: token }),
    );
    expect(pages.flat()).toEqual([...ids].reverse());
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    await expectInvalidParameter(
      t.store.syncs.list(carol.id, { pageSize: 2, pageToken: 'nope!' }),
      'page_token',
    );
  });
});
