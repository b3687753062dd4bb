// `migrateclouds admin …`: operator commands that talk to the store directly (no API key needed).
// Each prints exactly one line of JSON on stdout, so scripts can parse it.
import { Command, InvalidArgumentError, Option } from 'commander';
import { checkGrant, GrantRefused, realOrResolved, type GrantRules } from '../connectors/local/grants';
import { API_KEY_SCOPES } from '../store';
import type { ApiKeyScope, Plan, Store } from '../store/types';
import type { SecretBox } from '../common/secret-box';
import { rotateKeyCommand } from './rotate-key';
import { userCommands } from './users';

export const PLANS: readonly Plan[] = ['pro', 'enterprise'];

/** An expected failure: its message goes to stderr as is, with this exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface AdminDeps {
  openStore: () => Promise<Store>;
  print: (value: unknown) => void;
  /** What a local-root grant must respect (the server's roots, its data directory). */
  grantRules: () => GrantRules;
  /** The secret box over the configured keyring (undefined when no key is set). */
  secretBox?: () => SecretBox | undefined;
  /** Where one-time console links point (PUBLIC_URL, else http://localhost:$PORT). */
  linkConfig?: () => { PUBLIC_URL?: string; PORT: number };
}

function nonEmpty(value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new InvalidArgumentError('must not be empty.');
  if (trimmed.length > 200) throw new InvalidArgumentError('must be at most 200 characters.');
  return trimmed;
}

async function withStore<T>(deps: AdminDeps, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await deps.openStore();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function adminCommand(deps: AdminDeps): Command {
  const admin = new Command('admin').description('manage accounts and API keys directly in the database');

  admin
    .command('create-account')
    .description('create an account and its first API key, scope admin (the key is shown once)')
    .requiredOption('--name <name>', 'account name', nonEmpty)
    .addOption(new Option('--plan <plan>', 'rate-limit plan').choices(PLANS).makeOptionMandatory())
    .action(async (opts: { name: string; plan: Plan }) => {
      await withStore(deps, async (store) => {
        const account = await store.accounts.create({ name: opts.name, plan: opts.plan });
        const { plaintext } = await store.apiKeys.create({
          accountId: account.id,
          name: 'default',
          scope: 'admin',
        });
        deps.print({ account_id: account.id, api_key: plaintext });
      });
    });

  admin
    .command('create-key')
    .description('create another API key for an existing account (the key is shown once)')
    .requiredOption('--account <id>', 'account id (acc_…)', nonEmpty)
    .requiredOption('--name <name>', 'key name, e.g. where it is used', nonEmpty)
    .addOption(
      new Option('--scope <scope>', 'what the key may do (read: GETs; write: also changes; admin: also keys)')
        .choices(API_KEY_SCOPES)
        .default('read'),
    )
    .action(async (opts: { account: string; name: string; scope: ApiKeyScope }) => {
      await withStore(deps, async (store) => {
        const account = await store.accounts.get(opts.account);
        if (!account) throw new CliError(`error: account "${opts.account}" does not exist`);
        const { apiKey, plaintext } = await store.apiKeys.create({
          accountId: account.id,
          name: opts.name,
          scope: opts.scope,
        });
        deps.print({
          account_id: account.id,
          api_key_id: apiKey.id,
          api_key: plaintext,
          scope: apiKey.scope,
        });
      });
    });

  localRootCommands(admin, deps);
  userCommands(admin, {
    withStore: (fn) => withStore(deps, fn),
    print: deps.print,
    linkConfig: deps.linkConfig ?? (() => ({ PORT: 3000 })),
    fail: (m) => new CliError(m),
  });
  rotateKeyCommand(
    admin,
    { ...deps, secretBox: deps.secretBox ?? (() => undefined) },
    (m) => new CliError(m),
  );
  return admin;
}

async function existingAccount(store: Store, id: string): Promise<string> {
  const account = await store.accounts.get(id);
  if (!account) throw new CliError(`error: account "${id}" does not exist`);
  return account.id;
}

/** Folders on the server granted to an account: its `local` connections must lie inside one. */
function localRootCommands(admin: Command, deps: AdminDeps): void {
  admin
    .command('grant-local-root')
    .description('let an account connect `local` folders inside this folder of the server')
    .requiredOption('--account <id>', 'account id (acc_…)', nonEmpty)
    .requiredOption(
      '--path <folder>',
      'absolute path of an existing folder inside MIGRATECLOUDS_LOCAL_ROOTS',
      nonEmpty,
    )
    .action(async (opts: { account: string; path: string }) => {
      await withStore(deps, async (store) => {
        const accountId = await existingAccount(store, opts.account);
        let root: string;
        try {
          root = await checkGrant(opts.path, accountId, deps.grantRules(), await store.localGrants.all());
        } catch (err) {
          if (err instanceof GrantRefused) throw new CliError(`error: ${err.message}`);
          throw err;
        }
        const created = await store.localGrants.grant(accountId, root);
        deps.print({ account_id: accountId, root, created });
      });
    });

  admin
    .command('revoke-local-root')
    .description('take a granted folder back: connections inside it stop working at their next call')
    .requiredOption('--account <id>', 'account id (acc_…)', nonEmpty)
    .requiredOption('--path <folder>', 'the granted folder', nonEmpty)
    .action(async (opts: { account: string; path: string }) => {
      await withStore(deps, async (store) => {
        const accountId = await existingAccount(store, opts.account);
        const root = realOrResolved(opts.path);
        if (!(await store.localGrants.revoke(accountId, root))) {
          throw new CliError(`error: ${root} is not granted to account "${accountId}"`);
        }
        deps.print({ account_id: accountId, root, revoked: true });
      });
    });

  admin
    .command('local-roots')
    .description('list the folders granted to one account, or to every account')
    .option('--account <id>', 'account id (acc_…)', nonEmpty)
    .action(async (opts: { account?: string }) => {
      await withStore(deps, async (store) => {
        const all = await store.localGrants.all();
        const grants = opts.account ? all.filter((g) => g.accountId === opts.account) : all;
        deps.print({
          grants: grants.map((g) => ({ account_id: g.accountId, root: g.root, created_at: g.createdAt })),
        });
      });
    });
}
