// The development account `npm start` prints a key for: created once, reused across restarts, private on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDevAccount } from '../../scripts/lib/dev-account';
import { createStore } from '../../store';
import type { Store } from '../../store/types';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-dev-account-'));
  store = await createStore(`sqlite:${path.join(dir, 'store.db')}`);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const keyFile = () => path.join(dir, 'dev-api-key');
const accountFile = () => path.join(dir, 'dev-account-id');
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('ensureDevAccount', () => {
  it('creates an enterprise account and a key on first start, saved with mode 0600', async () => {
    const dev = await ensureDevAccount(store, dir);
    expect(dev.outcome).toBe('created-account');
    expect(dev.keyFile).toBe(keyFile());
    expect(fs.readFileSync(keyFile(), 'utf8')).toBe(`${dev.apiKey}\n`);
    expect(fs.readFileSync(accountFile(), 'utf8')).toBe(`${dev.accountId}\n`);
    expect(mode(keyFile())).toBe(0o600);
    expect(mode(accountFile())).toBe(0o600);
    const auth = await store.apiKeys.authenticate(dev.apiKey);
    expect(auth?.account).toMatchObject({ id: dev.accountId, plan: 'enterprise' });
    // Its files folder is granted to it for local connections, and nothing else.
    expect(await store.localGrants.rootsOf(dev.accountId)).toEqual([
      fs.realpathSync(path.join(dir, 'files')),
    ]);
  });

  it('reuses the saved key on later starts instead of creating another', async () => {
    const first = await ensureDevAccount(store, dir);
    const second = await ensureDevAccount(store, dir);
    expect(second).toEqual({ ...first, outcome: 'reused' });
    expect(await store.apiKeys.list(first.accountId)).toHaveLength(1);
  });

  it('makes a new key for the existing account when the key file is gone', async () => {
    const first = await ensureDevAccount(store, dir);
    fs.rmSync(keyFile());
    const second = await ensureDevAccount(store, dir);
    expect(second.outcome).toBe('created-key');
    expect(second.accountId).toBe(first.accountId);
    expect(second.apiKey).not.toBe(first.apiKey);
    expect(mode(keyFile())).toBe(0o600);
    expect((await store.apiKeys.authenticate(second.apiKey))?.account.id).toBe(first.accountId);
  });

  it('replaces a saved key that no longer authenticates (e.g. revoked)', async () => {
    const first = await ensureDevAccount(store, dir);
    const [key] = await store.apiKeys.list(first.accountId);
    expect(await store.apiKeys.revoke(first.accountId, key.id)).toBe(true);
    const second = await ensureDevAccount(store, dir);
    expect(second).toMatchObject({ outcome: 'created-key', accountId: first.accountId });
    expect(await store.apiKeys.authenticate(second.apiKey)).toBeDefined();
  });

  it('tightens a key file that was left readable by others', async () => {
    fs.writeFileSync(keyFile(), 'mc_stale\n', { mode: 0o644 });
    const dev = await ensureDevAccount(store, dir);
    expect(dev.outcome).toBe('created-account');
    expect(mode(keyFile())).toBe(0o600);
  });
});
