import { createHash } from 'node:crypto';
import type { Account } from '../../store';
import { describeEachStore } from './targets';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describeEachStore('accounts and API keys', (t) => {
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    alice = await t.store.accounts.create({ name: 'Alice Ltd', plan: 'pro' });
    bob = await t.store.accounts.create({ name: 'Bob Inc', plan: 'enterprise' });
  });

  it('creates and reads accounts', async () => {
    expect(alice).toEqual({
      id: expect.stringMatching(/^acc_[0-9A-Za-z]{20}$/),
      name: 'Alice Ltd',
      plan: 'pro',
      createdAt: expect.stringMatching(ISO),
    });
    expect(await t.store.accounts.get(alice.id)).toEqual(alice);
    expect(await t.store.accounts.get(bob.id)).toEqual({ ...bob, plan: 'enterprise' });
    expect(await t.store.accounts.get('acc_doesnotexist00000000')).toBeUndefined();
  });

  it('shows the plaintext once and stores only its SHA-256 and a prefix', async () => {
    const { apiKey, plaintext } = await t.store.apiKeys.create({
      accountId: alice.id,
      name: 'ci',
      scope: 'write',
    });
    expect(plaintext).toMatch(/^mc_[0-9A-Za-z]{40}$/);
    expect(apiKey).toEqual({
      id: expect.stringMatching(/^key_[0-9A-Za-z]{20}$/),
      accountId: alice.id,
      name: 'ci',
      scope: 'write',
      prefix: plaintext.slice(0, 10),
      createdAt: expect.stringMatching(ISO),
      lastUsedAt: null,
      revokedAt: null,
    });
    const rows = await t.raw.all('select * from api_keys where id = ?', [apiKey.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      id: apiKey.id,
      account_id: alice.id,
      name: 'ci',
      scope: 'write',
      prefix: plaintext.slice(0, 10),
      key_hash: sha256(plaintext),
      created_at: apiKey.createdAt,
      last_used_at: null,
      revoked_at: null,
    });
    // No column holds the secret part of the key.
    for (const value of Object.values(rows[0])) expect(String(value)).not.toContain(plaintext.slice(10));
  });

  it('authenticates a key to its key record and account', async () => {
    const { apiKey, plaintext } = await t.store.apiKeys.create({
      accountId: bob.id,
      name: 'deploy',
      scope: 'write',
    });
    const auth = await t.store.apiKeys.authenticate(plaintext);
    expect(auth?.account).toEqual(bob);
    expect(auth?.apiKey).toEqual({ ...apiKey, lastUsedAt: expect.stringMatching(ISO) });
  });

  it('rejects unknown, altered and malformed keys', async () => {
    const { plaintext } = await t.store.apiKeys.create({ accountId: alice.id, name: 'x', scope: 'write' });
    const last = plaintext.at(-1) === 'a' ? 'b' : 'a';
    for (const bad of [
      plaintext.slice(0, -1) + last,
      plaintext + 'Z',
      plaintext.slice(0, 35),
      'mc_' + 'A'.repeat(31),
      plaintext.replace('mc_', 'mk_'),
      ` ${plaintext}`,
      plaintext.slice(0, 20) + '-' + plaintext.slice(21),
      '',
    ]) {
      expect(await t.store.apiKeys.authenticate(bad)).toBeUndefined();
    }
  });

  it('rejects malformed keys without a query (works even on a closed store)', async () => {
    const closed = await t.open();
    await closed.close();
    expect(await closed.apiKeys.authenticate('not-a-key')).toBeUndefined();
    expect(await closed.apiKeys.authenticate('mc_short')).toBeUndefined();
    await expect(closed.apiKeys.authenticate('mc_' + 'A'.repeat(40))).rejects.toThrow();
  });

  it('records last_used_at at most about once a minute', async () => {
    const { apiKey, plaintext } = await t.store.apiKeys.create({
      accountId: alice.id,
      name: 'usage',
      scope: 'write',
    });
    const first = await t.store.apiKeys.authenticate(plaintext);
    const firstUse = first!.apiKey.lastUsedAt!;
    expect(Date.now() - Date.parse(firstUse)).toBeLessThan(10_000);
    const lastUsed = async () =>
      (
        await t.raw.all<{ last_used_at: string }>('select last_used_at from api_keys where id = ?', [
          apiKey.id,
        ])
      )[0].last_used_at;
    expect(await lastUsed()).toBe(firstUse);

    // Within the minute: no new write.
    const second = await t.store.apiKeys.authenticate(plaintext);
    expect(second!.apiKey.lastUsedAt).toBe(firstUse);
    expect(await lastUsed()).toBe(firstUse);

    // Older than a minute: refreshed.
    const old = new Date(Date.now() - 120_000).toISOString();
    await t.raw.run('update api_keys set last_used_at = ? where id = ?', [old, apiKey.id]);
    const third = await t.store.apiKeys.authenticate(plaintext);
    expect(third!.apiKey.lastUsedAt! > old).toBe(true);
    expect(Date.now() - Date.parse(third!.apiKey.lastUsedAt!)).toBeLessThan(10_000);
    expect(await lastUsed()).toBe(third!.apiKey.lastUsedAt);
  });

  it('revokes only the owner account key, once', async () => {
    const { apiKey, plaintext } = await t.store.apiKeys.create({
      accountId: alice.id,
      name: 'revoke-me',
      scope: 'write',
    });

    expect(await t.store.apiKeys.revoke(bob.id, apiKey.id)).toBe(false);
    expect((await t.store.apiKeys.authenticate(plaintext))?.apiKey.id).toBe(apiKey.id);

    expect(await t.store.apiKeys.revoke(alice.id, apiKey.id)).toBe(true);
    expect(await t.store.apiKeys.authenticate(plaintext)).toBeUndefined();
    const revoked = (await t.store.apiKeys.list(alice.id)).find((k) => k.id === apiKey.id);
    expect(revoked?.revokedAt).toMatch(ISO);

    // Revoking again succeeds and keeps the first revocation time.
    expect(await t.store.apiKeys.revoke(alice.id, apiKey.id)).toBe(true);
    expect((await t.store.apiKeys.list(alice.id)).find((k) => k.id === apiKey.id)?.revokedAt).toBe(
      revoked?.revokedAt,
    );

    expect(await t.store.apiKeys.revoke(alice.id, 'key_doesnotexist0000000')).toBe(false);
  });

  it('lists only the account own keys, oldest first, without secrets', async () => {
    const carol = await t.store.accounts.create({ name: 'Carol', plan: 'pro' });
    const dave = await t.store.accounts.create({ name: 'Dave', plan: 'pro' });
    const created = [];
    for (const name of ['one', 'two', 'three']) {
      created.push((await t.store.apiKeys.create({ accountId: carol.id, name, scope: 'write' })).apiKey);
      await t.store.apiKeys.create({ accountId: dave.id, name: `dave-${name}`, scope: 'read' });
    }
    const expected = [...created].sort((a, b) => (a.createdAt + a.id < b.createdAt + b.id ? -1 : 1));
    const listed = await t.store.apiKeys.list(carol.id);
    expect(listed).toEqual(expected);
    expect(listed.every((k) => !('keyHash' in k) && !('key_hash' in k))).toBe(true);
    expect((await t.store.apiKeys.list(dave.id)).map((k) => k.name).sort()).toEqual([
      'dave-one',
      'dave-three',
      'dave-two',
    ]);
    expect(await t.store.apiKeys.list('acc_nobody00000000000000')).toEqual([]);
  });

  it('refuses a key for an account that does not exist (foreign keys on)', async () => {
    await expect(
      t.store.apiKeys.create({ accountId: 'acc_nobody00000000000000', name: 'x', scope: 'write' }),
    ).rejects.toMatchObject({ code: t.backend === 'sqlite' ? 'SQLITE_CONSTRAINT_FOREIGNKEY' : '23503' });
  });
});
