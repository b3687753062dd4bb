import type { Account } from '../../store';
import type { FileTask } from '../../contract';
import { BATCH_CLAIM_MS } from '../../store';
import { describeEachStore } from './targets';

const task = (i: number): FileTask => ({
  sourcePath: `/src/dossier ${i} — été.txt`,
  sourceId: `id-${i}`,
  destinationPath: `/dst/dossier ${i} — été.txt`,
  size: 100 + i,
  modifiedAt: '2024-01-01T00:00:00.000Z',
  found: null,
});

describeEachStore('migration batches', (t) => {
  let alice: Account;
  let bob: Account;
  const rows = async (migrationId: string) =>
    Number(
      (
        await t.raw.all<{ n: number | string }>(
          'select count(*) as n from migration_batches where migration_id = ?',
          [migrationId],
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    alice = await t.store.accounts.create({ name: 'Alice', plan: 'pro' });
    bob = await t.store.accounts.create({ name: 'Bob', plan: 'pro' });
  });

  it("stores an exploration's batches, and a retried exploration replaces them", async () => {
    const parts = Array.from({ length: 120 }, (_, p) =>
      Array.from({ length: 10 }, (_, i) => task(p * 10 + i)),
    );
    await t.store.batches.save(alice.id, 'mig_a', 7, parts);
    expect(await rows('mig_a')).toBe(120);
    expect(await t.store.batches.load(alice.id, 'mig_a', { exploration: 7, part: 119 })).toEqual(parts[119]);
    // The retry split the files otherwise: only its parts remain.
    await t.store.batches.save(alice.id, 'mig_a', 7, [parts[0]!.concat(parts[1]!)]);
    expect(await rows('mig_a')).toBe(1);
    expect(await t.store.batches.load(alice.id, 'mig_a', { exploration: 7, part: 0 })).toHaveLength(20);
    expect(await t.store.batches.load(alice.id, 'mig_a', { exploration: 7, part: 1 })).toBeNull();
    // Another account reads nothing of it.
    expect(await t.store.batches.load(bob.id, 'mig_a', { exploration: 7, part: 0 })).toBeNull();
  });

  it('lets one owner claim a batch at a time, until the claim is released or runs out', async () => {
    const key = { exploration: 1, part: 0 };
    await t.store.batches.save(alice.id, 'mig_b', 1, [[task(1)]]);
    const now = Date.now();
    expect(await t.store.batches.claim(alice.id, 'mig_b', key, 'run1/5', now)).toBe(true);
    // The owner renews; another waits.
    expect(await t.store.batches.claim(alice.id, 'mig_b', key, 'run1/5', now + 1000)).toBe(true);
    expect(await t.store.batches.claim(alice.id, 'mig_b', key, 'run2/1', now + 2000)).toBe(false);
    // Another account can neither claim nor release it.
    expect(await t.store.batches.claim(bob.id, 'mig_b', key, 'run2/1', now + BATCH_CLAIM_MS * 2)).toBe(false);
    await t.store.batches.release(alice.id, 'mig_b', key, 'run2/1');
    expect(await t.store.batches.claim(alice.id, 'mig_b', key, 'run2/1', now + 2000)).toBe(false);
    // Released by its owner: free at once.
    await t.store.batches.release(alice.id, 'mig_b', key, 'run1/5');
    expect(await t.store.batches.claim(alice.id, 'mig_b', key, 'run2/1', now + 2000)).toBe(true);
    // A claim nobody renews (a crashed worker) lapses.
    expect(
      await t.store.batches.claim(alice.id, 'mig_b', key, 'run3/1', now + 2000 + BATCH_CLAIM_MS + 1),
    ).toBe(true);
    // A batch not stored cannot be claimed.
    expect(await t.store.batches.claim(alice.id, 'mig_b', { exploration: 9, part: 0 }, 'x', now)).toBe(false);
  });

  it('drops copied batches by key, or all of a migration, within its account', async () => {
    const parts = Array.from({ length: 250 }, (_, p) => [task(p)]);
    await t.store.batches.save(alice.id, 'mig_c', 0, parts);
    await t.store.batches.save(alice.id, 'mig_c', 1, parts.slice(0, 5));
    await t.store.batches.save(bob.id, 'mig_d', 0, parts.slice(0, 3));
    const keys = Array.from({ length: 240 }, (_, part) => ({ exploration: 0, part }));
    await t.store.batches.drop(alice.id, 'mig_c', keys);
    expect(await rows('mig_c')).toBe(15);
    await t.store.batches.drop(bob.id, 'mig_c');
    expect(await rows('mig_c')).toBe(15);
    await t.store.batches.drop(alice.id, 'mig_c');
    expect(await rows('mig_c')).toBe(0);
    expect(await rows('mig_d')).toBe(3);
  });
});
