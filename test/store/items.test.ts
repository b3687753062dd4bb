import type { Account, MigrationItemOutcome } from '../../store';
import { expectInvalidParameter, tokenOf } from './paging-helpers';
import { describeEachStore } from './targets';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const outcome = (
  n: number,
  status: MigrationItemOutcome['status'] = 'copied',
  extra: Partial<MigrationItemOutcome> = {},
): MigrationItemOutcome => ({
  sourcePath: `/src/f${String(n).padStart(4, '0')} — été.txt`,
  destinationPath: `/dst/f${String(n).padStart(4, '0')} — été.txt`,
  size: status === 'failed' ? null : 5_000_000_000 + n,
  status,
  reason: status === 'copied' ? null : `reason ${n}`,
  sourceId: null,
  note: null,
  ...extra,
});

describeEachStore('migration items', (t) => {
  let alice: Account;
  let bob: Account;
  const count = async (migrationId: string) =>
    Number(
      (
        await t.raw.all<{ n: number | string }>(
          'select count(*) as n from migration_items where migration_id = ?',
          [migrationId],
        )
      )[0]!.n,
    );
  const listAll = async (accountId: string, migrationId: string, status?: MigrationItemOutcome['status']) =>
    (await t.store.items.list(accountId, migrationId, { status }, { pageSize: 1000 })).items;

  beforeAll(async () => {
    alice = await t.store.accounts.create({ name: 'Alice', plan: 'pro' });
    bob = await t.store.accounts.create({ name: 'Bob', plan: 'pro' });
  });

  it('records outcomes and reads them back with large sizes, Unicode paths and times', async () => {
    await t.store.items.record(alice.id, 'mig_a', [outcome(1), outcome(2, 'skipped'), outcome(3, 'failed')]);
    const items = await listAll(alice.id, 'mig_a');
    expect(items).toEqual([
      { migrationId: 'mig_a', ...outcome(1), updatedAt: expect.stringMatching(ISO) },
      { migrationId: 'mig_a', ...outcome(2, 'skipped'), updatedAt: expect.stringMatching(ISO) },
      { migrationId: 'mig_a', ...outcome(3, 'failed'), updatedAt: expect.stringMatching(ISO) },
    ]);
    expect(items[0]!.size).toBe(5_000_000_001);
    expect(items[2]!.size).toBeNull();
  });

  it('upserts idempotently: recording a batch again never duplicates rows, and keeps their order', async () => {
    const batch = Array.from({ length: 120 }, (_, i) => outcome(i, i % 3 === 0 ? 'failed' : 'copied'));
    expect(await t.store.items.record(alice.id, 'mig_idem', batch)).toEqual(batch);
    // Nothing is new the second time: what the metrics count (common/metrics.ts) is counted once.
    expect(await t.store.items.record(alice.id, 'mig_idem', batch)).toEqual([]);
    expect(await count('mig_idem')).toBe(120);

    // A later outcome for the same file replaces its row in place.
    const later = [outcome(0, 'skipped', { reason: 'exists' }), outcome(500)];
    expect(await t.store.items.record(alice.id, 'mig_idem', later)).toEqual([outcome(500)]);
    expect(await count('mig_idem')).toBe(121);
    const items = await listAll(alice.id, 'mig_idem');
    expect(items.map((i) => i.sourcePath)).toEqual([...batch, outcome(500)].map((o) => o.sourcePath));
    expect(items[0]).toMatchObject({ status: 'skipped', reason: 'exists', size: 5_000_000_000 });

    // Duplicates inside one call: the last one wins.
    await t.store.items.record(alice.id, 'mig_idem', [
      outcome(1, 'failed', { reason: 'first' }),
      outcome(1, 'copied'),
    ]);
    expect((await t.store.items.find(alice.id, 'mig_idem', [outcome(1)]))[0]).toMatchObject({
      status: 'copied',
      reason: null,
    });
    expect(await count('mig_idem')).toBe(121);
  });

  it('onlyNew leaves recorded files alone and adds the others', async () => {
    await t.store.items.record(alice.id, 'mig_new', [outcome(1), outcome(2, 'skipped')]);
    const failed = [1, 2, 3].map((n) => outcome(n, 'failed', { reason: 'Retries exhausted' }));
    expect(await t.store.items.record(alice.id, 'mig_new', failed, { onlyNew: true })).toEqual([failed[2]]);
    const items = await listAll(alice.id, 'mig_new');
    expect(items.map((i) => [i.sourcePath, i.status, i.reason])).toEqual([
      [outcome(1).sourcePath, 'copied', null],
      [outcome(2).sourcePath, 'skipped', 'reason 2'],
      [outcome(3).sourcePath, 'failed', 'Retries exhausted'],
    ]);
  });

  it('writes a large batch (more rows than one statement takes) and finds rows by path', async () => {
    const batch = Array.from({ length: 1200 }, (_, i) => outcome(i));
    await t.store.items.record(alice.id, 'mig_big', batch.slice(400, 700));
    // Across statements, the answer still names exactly the files that had no row.
    const fresh = await t.store.items.record(alice.id, 'mig_big', batch);
    expect(fresh).toEqual([...batch.slice(0, 400), ...batch.slice(700)]);
    expect(await count('mig_big')).toBe(1200);
    const found = await t.store.items.find(alice.id, 'mig_big', [...batch, { sourcePath: '/not/recorded' }]);
    expect(found.map((i) => i.sourcePath).sort()).toEqual(batch.map((o) => o.sourcePath).sort());
    expect(await t.store.items.find(alice.id, 'mig_big', [])).toEqual([]);
  });

  it('keys items by the source id: two files of one path (Drive duplicates) are two items', async () => {
    await t.store.items.record(alice.id, 'mig_ids', [
      outcome(1, 'copied', { sourceId: 'id-a', note: null }),
      outcome(1, 'copied', {
        sourceId: 'id-b',
        destinationPath: '/dst/f0001 (2) — été.txt',
        note: 'another entry in this folder has the name "f0001 — été.txt" at the destination: renamed',
      }),
    ]);
    await t.store.items.record(alice.id, 'mig_ids', [outcome(1, 'failed', { sourceId: 'id-b' })]);
    const items = await listAll(alice.id, 'mig_ids');
    expect(items.map((i) => [i.sourceId, i.status])).toEqual([
      ['id-a', 'copied'],
      ['id-b', 'failed'],
    ]);
    expect(items[0]!.sourcePath).toBe(items[1]!.sourcePath);
    const found = await t.store.items.find(alice.id, 'mig_ids', [
      { sourcePath: outcome(1).sourcePath, sourceId: 'id-b' },
    ]);
    expect(found.map((i) => i.sourceId)).toEqual(['id-b']);
  });

  it('stores a source path too long for an index entry', async () => {
    const long = `/${'ü'.repeat(3000)}/file.bin`;
    await t.store.items.record(alice.id, 'mig_long', [outcome(1, 'copied', { sourcePath: long })]);
    await t.store.items.record(alice.id, 'mig_long', [outcome(1, 'copied', { sourcePath: long })]);
    expect((await listAll(alice.id, 'mig_long')).map((i) => i.sourcePath)).toEqual([long]);
  });

  it('pages in a stable order, filtered by status', async () => {
    const batch = Array.from({ length: 25 }, (_, i) =>
      outcome(i, (['copied', 'skipped', 'failed'] as const)[i % 3]),
    );
    // Recorded in several calls, as a copy activity flushes.
    for (let i = 0; i < batch.length; i += 7)
      await t.store.items.record(alice.id, 'mig_page', batch.slice(i, i + 7));

    const walk = async (status?: MigrationItemOutcome['status']) => {
      const pages: string[][] = [];
      let token: string | null = null;
      do {
        const page = await t.store.items.list(
          alice.id,
          'mig_page',
          { status },
          { pageSize: 4, pageToken: token },
        );
        pages.push(page.items.map((i) => i.sourcePath));
        token = page.nextPageToken;
      } while (token && pages.length < 20);
      return pages;
    };
    const all = await walk();
    expect(all.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 4, 1]);
    expect(all.flat()).toEqual(batch.map((o) => o.sourcePath));
    // Re-recording a row (e.g. a retried batch) does not move it.
    await t.store.items.record(alice.id, 'mig_page', [batch[0]!]);
    expect((await walk()).flat()).toEqual(batch.map((o) => o.sourcePath));

    const failed = await walk('failed');
    expect(failed.flat()).toEqual(batch.filter((o) => o.status === 'failed').map((o) => o.sourcePath));
    expect(failed.map((p) => p.length)).toEqual([4, 4]);
    expect((await walk('skipped')).flat()).toHaveLength(8);

    // An exact multiple of the page size ends with a null token, not an empty page.
    const eight = await t.store.items.list(alice.id, 'mig_page', { status: 'failed' }, { pageSize: 8 });
    expect(eight.items).toHaveLength(8);
    expect(eight.nextPageToken).toBeNull();
  });

  it('rejects bad page sizes and tokens naming the parameter', async () => {
    const list = (pageSize: number, pageToken?: string) =>
      t.store.items.list(alice.id, 'mig_page', {}, { pageSize, pageToken });
    await expectInvalidParameter(list(0), 'page_size');
    await expectInvalidParameter(list(1001), 'page_size');
    await expectInvalidParameter(list(10, 'not a token!'), 'page_token');
    await expectInvalidParameter(list(10, tokenOf(['itm', -1])), 'page_token');
    await expectInvalidParameter(list(10, tokenOf(['itm', '1'])), 'page_token');
    // A token of another list is refused.
    await expectInvalidParameter(list(10, tokenOf(['2025-01-01T00:00:00.000Z', 'mig_x'])), 'page_token');
  });

  it('keeps every read and write inside the account', async () => {
    await t.store.items.record(alice.id, 'mig_tenant', [outcome(1), outcome(2)]);
    expect(await listAll(bob.id, 'mig_tenant')).toEqual([]);
    expect(await t.store.items.find(bob.id, 'mig_tenant', [outcome(1)])).toEqual([]);

    // Another account recording under the same migration id and path rewrites nothing.
    const forged = [outcome(1, 'failed', { reason: 'forged' })];
    expect(await t.store.items.record(bob.id, 'mig_tenant', forged)).toEqual([]);
    expect((await listAll(alice.id, 'mig_tenant')).map((i) => i.status)).toEqual(['copied', 'copied']);
    expect(await listAll(bob.id, 'mig_tenant')).toEqual([]);
    expect(await count('mig_tenant')).toBe(2);
  });
});
