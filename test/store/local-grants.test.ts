import { describeEachStore } from './targets';

describeEachStore('local grants', (t) => {
  it('grants, lists per account and takes back; an account removed takes its grants along', async () => {
    const a = await t.store.accounts.create({ name: 'A', plan: 'pro' });
    const b = await t.store.accounts.create({ name: 'B', plan: 'pro' });
    expect(await t.store.localGrants.grant(a.id, '/srv/a')).toBe(true);
    expect(await t.store.localGrants.grant(a.id, '/srv/a')).toBe(false);
    expect(await t.store.localGrants.grant(a.id, '/srv/a2')).toBe(true);
    expect(await t.store.localGrants.grant(b.id, '/srv/b')).toBe(true);

    expect(await t.store.localGrants.rootsOf(a.id)).toEqual(['/srv/a', '/srv/a2']);
    expect(await t.store.localGrants.rootsOf(b.id)).toEqual(['/srv/b']);
    const all = await t.store.localGrants.all();
    expect(all.filter((g) => [a.id, b.id].includes(g.accountId)).map((g) => [g.accountId, g.root])).toEqual([
      [a.id, '/srv/a'],
      [a.id, '/srv/a2'],
      [b.id, '/srv/b'],
    ]);

    expect(await t.store.localGrants.revoke(b.id, '/srv/a')).toBe(false);
    expect(await t.store.localGrants.revoke(a.id, '/srv/a')).toBe(true);
    expect(await t.store.localGrants.rootsOf(a.id)).toEqual(['/srv/a2']);
  });
});
