// The development account `npm start` prints a key for. Its key lives in `.data/dev-api-key` (mode 0600) so that
// restarts reuse it instead of piling up accounts and keys. It is granted `.data/files` for local connections.
import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../../store/types';

export const DEV_KEY_FILE = 'dev-api-key';
export const DEV_ACCOUNT_FILE = 'dev-account-id';

export interface DevAccount {
  accountId: string;
  apiKey: string;
  /** Where the key is saved (mode 0600). */
  keyFile: string;
  /** What happened: a new account, a new key for the existing account, or the saved key reused. */
  outcome: 'created-account' | 'created-key' | 'reused';
}

export async function ensureDevAccount(store: Store, dataDir: string): Promise<DevAccount> {
  const dev = await devKey(store, dataDir);
  // Its own files folder is the one place on this machine its `local` connections may reach.
  const files = path.join(dataDir, 'files');
  fs.mkdirSync(files, { recursive: true });
  await store.localGrants.grant(dev.accountId, fs.realpathSync(files));
  return dev;
}

async function devKey(store: Store, dataDir: string): Promise<DevAccount> {
  const keyFile = path.join(dataDir, DEV_KEY_FILE);
  const accountFile = path.join(dataDir, DEV_ACCOUNT_FILE);

  const savedKey = readTrimmed(keyFile);
  if (savedKey) {
    const auth = await store.apiKeys.authenticate(savedKey);
    if (auth) {
      writePrivate(accountFile, auth.account.id);
      return { accountId: auth.account.id, apiKey: savedKey, keyFile, outcome: 'reused' };
    }
  }

  const savedAccountId = readTrimmed(accountFile);
  const existing = savedAccountId ? await store.accounts.get(savedAccountId) : undefined;
  const account = existing ?? (await store.accounts.create({ name: 'Development', plan: 'enterprise' }));
  const { plaintext } = await store.apiKeys.create({
    accountId: account.id,
    name: 'development',
    scope: 'admin',
  });
  writePrivate(keyFile, plaintext);
  writePrivate(accountFile, account.id);
  return {
    accountId: account.id,
    apiKey: plaintext,
    keyFile,
    outcome: existing ? 'created-key' : 'created-account',
  };
}

function readTrimmed(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function writePrivate(file: string, value: string): void {
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  // `mode` applies only when the file is created; an older file may have looser bits.
  fs.chmodSync(file, 0o600);
}
