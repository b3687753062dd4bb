import type { Account } from '../../store';
import { describeEachStore } from './targets';

const folder = (seq: number) => ({
  seq,
  path: `/wide/sub-${String(seq).padStart(5, '0')} — été`,
  pageToken: seq % 3 === 0 ? `token-${seq}` : null,
});

describeEachStore('migration frontier', (t) => {
  let alice: Account;
  let bob: Account;
  const rows = async (migrationId: string) =>
    Number(
      (
        await t.raw.all<{ n: number | string }>(
          'select count(*) as n from migration_frontier where migration_id = ?',
          [migrationId],
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    alice = await t.store.accounts.create({ name: 'Alice', plan: 'pro' });
    bob = await t.store.accounts.create({ name: 'Bob', plan: 'pro' });
  });

  it('saves a stack by seq, idempotently, and loads a range of it in order', async () => {
    const all = Array.from({ length: 2500 }, (_, i) => folder(i));
    await t.store.frontier.save(alice.id, 'mig_a', all);
    // A retried spill writes the same rows again: no duplicates, no error.
    await t.store.frontier.save(alice.id, 'mig_a', all.slice(1000, 1200));
    expect(await rows('mig_a')).toBe(2500);
    expect(await t.store.frontier.load(alice.id, 'mig_a', 2400, 2500)).toEqual(all.slice(2400));
    expect(await t.store.frontier.load(alice.id, 'mig_a', 0, 3)).toEqual(all.slice(0, 3));
  });

  it('removes the top of a stack (twice = once) and keeps other migrations and accounts apart', async () => {
    await t.store.frontier.save(alice.id, 'mig_b', [folder(0), folder(1), folder(2)]);
    await t.store.frontier.save(bob.id, 'mig_c', [folder(0)]);
    await t.store.frontier.remove(alice.id, 'mig_b', 1);
    await t.store.frontier.remove(alice.id, 'mig_b', 1);
    expect(await t.store.frontier.load(alice.id, 'mig_b', 0, 10)).toEqual([folder(0)]);
    // Another account sees nothing of a migration, and cannot remove its rows.
    expect(await t.store.frontier.load(bob.id, 'mig_b', 0, 10)).toEqual([]);
    await t.store.frontier.remove(bob.id, 'mig_b', 0);
    expect(await rows('mig_b')).toBe(1);
    // Rewriting a seq replaces the row.
    await t.store.frontier.save(alice.id, 'mig_b', [{ seq: 0, path: '/other', pageToken: 'p' }]);
    expect(await t.store.frontier.load(alice.id, 'mig_b', 0, 1)).toEqual([
      { seq: 0, path: '/other', pageToken: 'p' },
    ]);
    await t.store.frontier.remove(alice.id, 'mig_b', 0);
    expect(await rows('mig_b')).toBe(0);
    expect(await rows('mig_c')).toBe(1);
  });
});
