// The real `migrateclouds` CLI (built into dist/ by scripts/prepare.sh, as `npm run cli` runs it) against a
// temporary SQLite file; its keys are then checked through the store itself.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSecretBox, generateEncryptionKey } from '../../common/secret-box';
import { createStore } from '../../store';
import type { Store } from '../../store/types';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli/main.js');
let dir: string;
let databaseUrl: string;
let store: Store;

function cli(...args: string[]) {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]) {
  const res = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, MIGRATECLOUDS_DATA_DIR: dir, ...env },
    encoding: 'utf8',
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

beforeAll(async () => {
  // The build step `npm run cli` runs (minus npm ci, never wanted mid-test); stdout must stay empty so the CLI's
  // JSON can be piped.
  const prepareOut = execFileSync(
    'bash',
    ['scripts/prepare.sh', '--quiet', '--no-temporal', '--no-install'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  expect(prepareOut).toBe('');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cli-'));
  databaseUrl = `sqlite:${path.join(dir, 'cli.db')}`;
  store = await createStore(databaseUrl);
}, 300_000);

afterAll(async () => {
  await store?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('migrateclouds admin create-account', () => {
  it('prints one JSON line whose key authenticates as the new account', async () => {
    const res = cli('admin', 'create-account', '--name', 'Acme Corp', '--plan', 'pro');
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout.endsWith('\n')).toBe(true);
    expect(res.stdout.trimEnd().split('\n')).toHaveLength(1);
    const out = JSON.parse(res.stdout) as { account_id: string; api_key: string };
    expect(Object.keys(out).sort()).toEqual(['account_id', 'api_key']);
    expect(out.account_id).toMatch(/^acc_[0-9A-Za-z]{20}$/);
    expect(out.api_key).toMatch(/^mc_[0-9A-Za-z]{32,}$/);

    const auth = await store.apiKeys.authenticate(out.api_key);
    expect(auth?.account).toMatchObject({ id: out.account_id, name: 'Acme Corp', plan: 'pro' });
  });

  it('creates enterprise accounts', async () => {
    const res = cli('admin', 'create-account', '--name', 'Big Co', '--plan', 'enterprise');
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as { account_id: string };
    expect((await store.accounts.get(out.account_id))?.plan).toBe('enterprise');
  });

  it('rejects an unknown plan with a usage error naming the allowed ones', () => {
    const res = cli('admin', 'create-account', '--name', 'Acme', '--plan', 'gold');
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain("argument 'gold' is invalid");
    expect(res.stderr).toContain('pro, enterprise');
  });

  it('rejects a missing or blank name', () => {
    expect(cli('admin', 'create-account', '--plan', 'pro')).toMatchObject({ code: 2, stdout: '' });
    const blank = cli('admin', 'create-account', '--name', '  ', '--plan', 'pro');
    expect(blank).toMatchObject({ code: 2, stdout: '' });
    expect(blank.stderr).toContain('must not be empty');
  });
});

describe('migrateclouds admin create-key', () => {
  it('adds a working key to an existing account without touching the first one', async () => {
    const first = JSON.parse(cli('admin', 'create-account', '--name', 'Keys', '--plan', 'pro').stdout) as {
      account_id: string;
      api_key: string;
    };
    const res = cli('admin', 'create-key', '--account', first.account_id, '--name', 'ci');
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(res.stdout) as { account_id: string; api_key_id: string; api_key: string };
    expect(Object.keys(out).sort()).toEqual(['account_id', 'api_key', 'api_key_id', 'scope']);
    expect(out.account_id).toBe(first.account_id);
    expect(out.api_key).not.toBe(first.api_key);

    // Least power unless asked for more; the account's first key is its owner's, admin.
    expect((await store.apiKeys.authenticate(out.api_key))?.apiKey).toMatchObject({
      id: out.api_key_id,
      name: 'ci',
      scope: 'read',
    });
    expect((await store.apiKeys.authenticate(first.api_key))?.apiKey.scope).toBe('admin');
    const writer = cli(
      'admin',
      'create-key',
      '--account',
      first.account_id,
      '--name',
      'w',
      '--scope',
      'write',
    );
    expect(JSON.parse(writer.stdout)).toMatchObject({ scope: 'write' });
    expect(
      cli('admin', 'create-key', '--account', first.account_id, '--name', 'x', '--scope', 'root').code,
    ).toBe(2);
    expect((await store.apiKeys.authenticate(first.api_key))?.account.id).toBe(first.account_id);
    expect((await store.apiKeys.list(first.account_id)).map((k) => k.id)).toContain(out.api_key_id);
  });

  it('fails for an unknown account, saying which', () => {
    const res = cli('admin', 'create-key', '--account', 'acc_doesnotexist', '--name', 'ci');
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim()).toBe('error: account "acc_doesnotexist" does not exist');
  });
});

describe('migrateclouds admin grant-local-root, local-roots, revoke-local-root', () => {
  const json = (res: { stdout: string }) => JSON.parse(res.stdout) as Record<string, unknown>;
  const newAccount = async (name: string) => (await store.accounts.create({ name, plan: 'pro' })).id;

  it('grants a folder inside the server’s roots, lists it and takes it back', async () => {
    const acme = await newAccount('Acme');
    const folder = path.join(dir, 'files', 'acme');
    fs.mkdirSync(folder, { recursive: true });
    const granted = cli('admin', 'grant-local-root', '--account', acme, '--path', folder);
    expect(granted).toMatchObject({ code: 0, stderr: '' });
    expect(json(granted)).toEqual({ account_id: acme, root: fs.realpathSync(folder), created: true });
    expect(await store.localGrants.rootsOf(acme)).toEqual([fs.realpathSync(folder)]);

    const listed = json(cli('admin', 'local-roots', '--account', acme));
    expect(listed.grants).toEqual([
      { account_id: acme, root: fs.realpathSync(folder), created_at: expect.any(String) },
    ]);

    expect(json(cli('admin', 'revoke-local-root', '--account', acme, '--path', folder))).toMatchObject({
      revoked: true,
    });
    expect(await store.localGrants.rootsOf(acme)).toEqual([]);
    const again = cli('admin', 'revoke-local-root', '--account', acme, '--path', folder);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not granted to account/);
  });

  it('refuses the data directory, folders outside the server’s roots and another account’s folder', async () => {
    const [one, two] = [await newAccount('One'), await newAccount('Two')];
    const shared = path.join(dir, 'files', 'shared');
    fs.mkdirSync(path.join(shared, 'inner'), { recursive: true });
    expect(cli('admin', 'grant-local-root', '--account', one, '--path', shared).code).toBe(0);

    const refusals: [string, RegExp][] = [
      [dir, /overlaps the server's data directory/],
      [os.tmpdir(), /overlaps the server's data directory/],
      ['/etc', /outside the server's roots/],
      [shared, /overlaps a folder granted to another account/],
      [path.join(shared, 'inner'), /overlaps a folder granted to another account/],
      [path.join(dir, 'files'), /overlaps a folder granted to another account/],
      [path.join(dir, 'files', 'missing'), /does not exist/],
    ];
    for (const [folder, why] of refusals) {
      // The server's roots hold the data directory here, as a careless setting would.
      const env = { MIGRATECLOUDS_LOCAL_ROOTS: os.tmpdir() };
      const res = cliWith(env, 'admin', 'grant-local-root', '--account', two, '--path', folder);
      expect({ folder, code: res.code, stdout: res.stdout }).toEqual({ folder, code: 1, stdout: '' });
      expect(res.stderr).toMatch(why);
    }
    expect(await store.localGrants.rootsOf(two)).toEqual([]);
  });
});

describe('migrateclouds admin rotate-key', () => {
  it('re-seals connection and webhook secrets under the first key of the ring, once', async () => {
    const [a, b] = [generateEncryptionKey(), generateEncryptionKey()];
    const account = await store.accounts.create({ name: 'rotate', plan: 'pro' });
    const conn = await store.connections.create({
      id: 'conn_rotate1',
      accountId: account.id,
      service: 'dropbox',
      name: 'dropbox',
      config: {},
      secrets: createSecretBox(a).seal('{"refreshToken":"rt"}', 'conn_rotate1'),
    });
    await store.webhooks.create({
      id: 'wh_rotate1',
      accountId: account.id,
      url: 'https://hooks.invalid/x',
      events: ['migration.completed'],
      description: null,
      secret: createSecretBox(a).seal('whsec', 'wh_rotate1'),
    });
    const ring = { MIGRATECLOUDS_ENCRYPTION_KEYS: `b:${b},${a}` };
    const first = cliWith(ring, 'admin', 'rotate-key');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toMatchObject({
      resealed: { connection: 1, webhook: 1 },
      unreadable: [],
    });
    const sealed = (await store.connections.readSecrets(account.id, conn.id))!;
    expect(sealed).toMatch(/^v2\.b\./);
    expect(createSecretBox(`b:${b}`).open(sealed, conn.id)).toBe('{"refreshToken":"rt"}');
    expect(await store.webhooks.readSecret(account.id, 'wh_rotate1')).toMatch(/^v2\.b\./);
    const again = cliWith(ring, 'admin', 'rotate-key');
    expect(JSON.parse(again.stdout)).toMatchObject({ resealed: { connection: 0, webhook: 0 } });
    // A ring without the key a value is under: nothing is lost, the value is named, the exit code says so.
    const missing = cliWith(
      { MIGRATECLOUDS_ENCRYPTION_KEYS: `c:${generateEncryptionKey()}` },
      'admin',
      'rotate-key',
    );
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).unreadable).toEqual(
      expect.arrayContaining([
        { kind: 'connection', id: conn.id },
        { kind: 'webhook', id: 'wh_rotate1' },
      ]),
    );
    expect(missing.stderr).toMatch(/open with no configured key/);
  });
});

describe('migrateclouds admin user create', () => {
  it('creates a console user and prints a one-time sign-in link for them', async () => {
    const account = JSON.parse(cli('admin', 'create-account', '--name', 'Users', '--plan', 'pro').stdout) as {
      account_id: string;
    };
    const res = cliWith(
      { PUBLIC_URL: 'https://console.example.com' },
      'admin',
      'user',
      'create',
      '--account',
      account.account_id,
      '--email',
      'Ana@Example.com',
      '--role',
      'owner',
    );
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const out = JSON.parse(res.stdout) as {
      user_id: string;
      email: string;
      role: string;
      sign_in_url: string;
    };
    expect(out).toMatchObject({ account_id: account.account_id, email: 'ana@example.com', role: 'owner' });
    expect(out.sign_in_url).toMatch(/^https:\/\/console\.example\.com\/console\/#\/link\/[0-9A-Za-z]{43}$/);
    const link = await store.loginTokens.get(out.sign_in_url.split('/').pop()!);
    expect(link).toMatchObject({ purpose: 'login', userId: out.user_id, usedAt: null });

    const again = cli(
      'admin',
      'user',
      'create',
      '--account',
      account.account_id,
      '--email',
      'ANA@example.com',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ana@example.com already has a user');
    const bad = cli('admin', 'user', 'create', '--account', account.account_id, '--email', 'not-an-email');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must be an email address');
  });
});
