// The rotation's view of the store: every sealed value, paged in id order, replaced only if unchanged.
import { describeEachStore } from './targets';

describeEachStore('sealed secrets', (t) => {
  it('pages connections with secrets and webhooks, and swaps only an unchanged value', async () => {
    const account = await t.store.accounts.create({ name: 'S', plan: 'pro' });
    const ids = ['conn_seal_a', 'conn_seal_b', 'conn_seal_c'];
    for (const id of ids)
      await t.store.connections.create({
        id,
        accountId: account.id,
        service: 'dropbox',
        name: id,
        config: {},
        secrets: `old-${id}`,
      });
    await t.store.connections.create({
      accountId: account.id,
      service: 'local',
      name: 'plain',
      config: { root: '/x' },
    });
    await t.store.webhooks.create({
      id: 'wh_seal_a',
      accountId: account.id,
      url: 'https://hooks.invalid/a',
      events: ['migration.completed'],
      description: null,
      secret: 'old-wh',
    });

    const first = await t.store.sealedSecrets.page('connection', null, 2);
    const mine = async () => {
      const all = [];
      for (let after: string | null = null; ;) {
        const page = await t.store.sealedSecrets.page('connection', after, 2);
        all.push(...page);
        if (page.length < 2) return all.filter((v) => ids.includes(v.id));
        after = page[page.length - 1]!.id;
      }
    };
    expect(first.length).toBe(2);
    expect((await mine()).map((v) => [v.id, v.sealed])).toEqual(ids.map((id) => [id, `old-${id}`]));

    expect(await t.store.sealedSecrets.swap('connection', 'conn_seal_a', 'old-conn_seal_a', 'new-a')).toBe(
      true,
    );
    // A refresh got there first: the rotation leaves its value alone.
    await t.store.connections.updateSecrets(account.id, 'conn_seal_b', 'refreshed-b');
    expect(await t.store.sealedSecrets.swap('connection', 'conn_seal_b', 'old-conn_seal_b', 'new-b')).toBe(
      false,
    );
    expect(await t.store.connections.readSecrets(account.id, 'conn_seal_a')).toBe('new-a');
    expect(await t.store.connections.readSecrets(account.id, 'conn_seal_b')).toBe('refreshed-b');

    const hooks = await t.store.sealedSecrets.page('webhook', null, 100);
    expect(hooks.find((v) => v.id === 'wh_seal_a')?.sealed).toBe('old-wh');
    expect(await t.store.sealedSecrets.swap('webhook', 'wh_seal_a', 'old-wh', 'new-wh')).toBe(true);
    expect(await t.store.webhooks.readSecret(account.id, 'wh_seal_a')).toBe('new-wh');
  });
});
