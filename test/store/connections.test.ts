import type { Account, Connection } from '../../store';
import { byCreatedThenId, collectPages, expectInvalidParameter, tokenOf } from './paging-helpers';
import { describeEachStore } from './targets';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describeEachStore('connections', (t) => {
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    alice = await t.store.accounts.create({ name: 'Alice', plan: 'pro' });
    bob = await t.store.accounts.create({ name: 'Bob', plan: 'pro' });
  });

  it('round-trips config JSON and never returns secrets', async () => {
    const config = {
      root: '/srv/nas/ünïcødé ✓',
      nested: { list: [1, 2.5, -3, 'x', null, true], empty: {}, deep: { a: [{ b: false }] } },
      big: 9007199254740991,
      quote: 'he said "hi"\n\tand left\\',
    };
    const created = await t.store.connections.create({
      accountId: alice.id,
      service: 'local',
      name: 'NAS',
      config,
      secrets: 'v1:encrypted-blob',
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^conn_[0-9A-Za-z]{20}$/),
      accountId: alice.id,
      service: 'local',
      name: 'NAS',
      config,
      status: 'active',
      createdAt: expect.stringMatching(ISO),
      updatedAt: created.createdAt,
    });
    const read = await t.store.connections.get(alice.id, created.id);
    expect(read).toEqual(created);
    expect(Object.keys(read!)).not.toContain('secrets');
    const listed = (await t.store.connections.list(alice.id, { pageSize: 1000 })).items;
    expect(listed.find((c) => c.id === created.id)).toEqual(created);
    expect(listed.every((c) => !('secrets' in c))).toBe(true);
    expect((await t.store.connections.listByService(alice.id, 'local')).every((c) => !('secrets' in c))).toBe(
      true,
    );

    const raw = await t.raw.all<{ secrets: string; config: string }>(
      'select secrets, config from connections where id = ?',
      [created.id],
    );
    expect(raw).toEqual([{ secrets: 'v1:encrypted-blob', config: JSON.stringify(config) }]);
  });

  it('reads and replaces sealed secrets and the status only within the account', async () => {
    const id = 'conn_presetid0000000001';
    const created = await t.store.connections.create({
      id,
      accountId: alice.id,
      service: 'dropbox',
      name: 'Box',
      config: {},
      secrets: 'sealed-1',
    });
    expect(created.id).toBe(id);
    expect(await t.store.connections.readSecrets(alice.id, id)).toBe('sealed-1');
    expect(await t.store.connections.readSecrets(bob.id, id)).toBeNull();
    expect(await t.store.connections.updateSecrets(bob.id, id, 'stolen')).toBe(false);
    expect(await t.store.connections.updateSecrets(alice.id, id, 'sealed-2')).toBe(true);
    expect(await t.store.connections.readSecrets(alice.id, id)).toBe('sealed-2');
    expect(await t.store.connections.setStatus(bob.id, id, 'needs_reauth')).toBe(false);
    expect(await t.store.connections.setStatus(alice.id, id, 'needs_reauth')).toBe(true);
    expect((await t.store.connections.get(alice.id, id))?.status).toBe('needs_reauth');
    expect(await t.store.connections.updateSecrets(alice.id, 'conn_missing', 'x')).toBe(false);
  });

  it('keeps every method inside the account', async () => {
    const own = await t.store.connections.create({
      accountId: alice.id,
      service: 'dropbox',
      name: 'DB',
      config: {},
    });
    expect(await t.store.connections.get(bob.id, own.id)).toBeUndefined();
    expect((await t.store.connections.list(bob.id, { pageSize: 1000 })).items).toEqual([]);
    expect(await t.store.connections.listByService(bob.id, 'dropbox')).toEqual([]);
    expect(await t.store.connections.delete(bob.id, own.id)).toBe(false);
    expect(await t.store.connections.get(alice.id, own.id)).toEqual(own);
  });

  it('lists by service, oldest first', async () => {
    const acc = await t.store.accounts.create({ name: 'Svc', plan: 'pro' });
    const made: Connection[] = [];
    for (const service of ['onedrive', 'local', 'onedrive', 'google_drive', 'onedrive'] as const) {
      made.push(await t.store.connections.create({ accountId: acc.id, service, name: service, config: {} }));
    }
    const onedrive = made.filter((c) => c.service === 'onedrive').sort(byCreatedThenId);
    expect(await t.store.connections.listByService(acc.id, 'onedrive')).toEqual(onedrive);
    expect((await t.store.connections.listByService(acc.id, 'dropbox')).length).toBe(0);
  });

  it('deletes once', async () => {
    const c = await t.store.connections.create({
      accountId: alice.id,
      service: 'local',
      name: 'tmp',
      config: {},
    });
    expect(await t.store.connections.delete(alice.id, c.id)).toBe(true);
    expect(await t.store.connections.get(alice.id, c.id)).toBeUndefined();
    expect(await t.store.connections.delete(alice.id, c.id)).toBe(false);
  });

  it('pages oldest first across three pages with exact ids, unaffected by other accounts', async () => {
    const acc = await t.store.accounts.create({ name: 'Pager', plan: 'pro' });
    const other = await t.store.accounts.create({ name: 'Noise', plan: 'pro' });
    const made: Connection[] = [];
    for (let i = 0; i < 7; i++) {
      made.push(
        await t.store.connections.create({
          accountId: acc.id,
          service: 'local',
          name: `c${i}`,
          config: { i },
        }),
      );
      await t.store.connections.create({ accountId: other.id, service: 'local', name: `n${i}`, config: {} });
    }
    const ids = made.sort(byCreatedThenId).map((c) => c.id);
    const pages = await collectPages((pageToken) =>
      t.store.connections.list(acc.id, { pageSize: 3, pageToken }),
    );
    expect(pages).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)]);

    // An exactly full last page ends the list without an extra empty page.
    const six = await collectPages((pageToken) =>
      t.store.connections.list(acc.id, { pageSize: 6, pageToken }),
    );
    expect(six).toEqual([ids.slice(0, 6), ids.slice(6)]);
    const seven = await t.store.connections.list(acc.id, { pageSize: 7 });
    expect(seven.items.map((c) => c.id)).toEqual(ids);
    expect(seven.nextPageToken).toBeNull();
  });

  it('rejects malformed page tokens and sizes as invalid parameters', async () => {
    const list = (pageToken: string, pageSize = 10) =>
      t.store.connections.list(alice.id, { pageSize, pageToken });
    for (const token of [
      'not base64 !',
      'e30',
      tokenOf({ createdAt: '2024-01-01T00:00:00.000Z', id: 'conn_abc' }),
      tokenOf(['2024-01-01T00:00:00.000Z']),
      tokenOf(['yesterday', 'conn_abc']),
      tokenOf(['2024-01-01T00:00:00.000Z', "conn_x' or 1=1 --"]),
      tokenOf(['2024-01-01T00:00:00.000Z', 'mig_abc']),
      'x'.repeat(5000),
    ]) {
      await expectInvalidParameter(list(token), 'page_token');
    }
    await expectInvalidParameter(list('', 0), 'page_size');
    await expectInvalidParameter(list('', 1001), 'page_size');
    await expectInvalidParameter(list('', 2.5), 'page_size');
    expect((await list('', 1000)).nextPageToken).toBeNull();
  });
});
