// The incremental-sync state on both dialects: the id map (upserts, lookups, a folder's entries
// moving with it, file counts below a folder, prefixes taken literally) and mirror-mode deletion
// candidates (idempotent, paged in key order, covered ones skipped), each scoped to its account.
import type { Account } from '../../store';
import { describeEachStore } from './targets';

describeEachStore('sync state', (t) => {
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    alice = await t.store.accounts.create({ name: 'Alice', plan: 'pro' });
    bob = await t.store.accounts.create({ name: 'Bob', plan: 'pro' });
  });

  it('remembers items by id, moves a folder’s entries with it, and counts files below a folder', async () => {
    const s = t.store.syncState;
    await s.saveEntries(alice.id, 'sync_a', [
      { itemId: 'F1', path: '/photos', folder: true },
      { itemId: 'f1', path: '/photos/a.jpg', folder: false },
      { itemId: 'f2', path: '/photos/2024/b.jpg', folder: false },
      { itemId: 'f3', path: '/photos_50%/c.jpg', folder: false },
      { itemId: 'f4', path: '/notes.txt', folder: false },
    ]);
    // A retried save writes the same rows; a later one moves an item.
    await s.saveEntries(alice.id, 'sync_a', [{ itemId: 'f4', path: '/docs/notes.txt', folder: false }]);
    expect(await s.countFiles(alice.id, 'sync_a', '/')).toBe(4);
    expect(await s.countFiles(alice.id, 'sync_a', '/photos')).toBe(2);
    await s.moveEntries(alice.id, 'sync_a', '/photos', '/pictures');
    const found = await s.findEntries(alice.id, 'sync_a', ['f1', 'f2', 'f3', 'f4', 'nope']);
    expect(Object.fromEntries(found.map((e) => [e.itemId, e.path]))).toEqual({
      f1: '/pictures/a.jpg',
      f2: '/pictures/2024/b.jpg',
      f3: '/photos_50%/c.jpg',
      f4: '/docs/notes.txt',
    });
    await s.removeEntries(alice.id, 'sync_a', ['f1']);
    expect(await s.findEntries(alice.id, 'sync_a', ['f1'])).toEqual([]);
    // Another account sees nothing of this sync.
    expect(await s.findEntries(bob.id, 'sync_a', ['f2'])).toEqual([]);
    expect(await s.countFiles(bob.id, 'sync_a', '/')).toBe(0);
  });

  it('keeps deletion candidates once each, pages them, and skips covered ones when asked', async () => {
    const s = t.store.syncState;
    const c = (p: string, folder = false, files = 1) => ({
      destinationPath: p,
      sourcePath: `/src${p}`,
      folder,
      files,
    });
    await s.addDeletions(alice.id, 'mig_d', [c('/m/old', true, 2), c('/m/old/x.txt'), c('/m/y.txt')]);
    await s.addDeletions(alice.id, 'mig_d', [c('/m/y.txt')]);
    const all = [];
    for (let after: string | null = null; ;) {
      const page = await s.deletionsPage(alice.id, 'mig_d', after, 2);
      if (!page.length) break;
      all.push(...page);
      after = page[page.length - 1]!.key;
    }
    expect(all.map((d) => d.destinationPath).sort()).toEqual(['/m/old', '/m/old/x.txt', '/m/y.txt']);
    expect(await s.folderCandidates(alice.id, 'mig_d', ['/m', '/m/old'])).toEqual(new Set(['/m/old']));
    await s.markCovered(alice.id, 'mig_d', ['/m/old/x.txt']);
    const open = await s.deletionsPage(alice.id, 'mig_d', null, 10, true);
    expect(open.map((d) => d.destinationPath).sort()).toEqual(['/m/old', '/m/y.txt']);
    expect(await s.deletionsPage(bob.id, 'mig_d', null, 10)).toEqual([]);
    await s.dropDeletions(alice.id, 'mig_d');
    expect(await s.deletionsPage(alice.id, 'mig_d', null, 10)).toEqual([]);
  });
});
