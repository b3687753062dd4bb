// `migrateclouds admin …`: operator commands that talk to the store directly (no API key needed).
// Each prints exactly one line of JSON on stdout, so scripts can parse it.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Plan, Store } from '../store/types';

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
    .description('create an account and its first API key (the key is shown once)')
    .requiredOption('--name <name>', 'account name', nonEmpty)
    .addOption(new Option('--plan <plan>', 'rate-limit plan').choices(PLANS).makeOptionMandatory())
    .action(async (opts: { name: string; plan: Plan }) => {
      await withStore(deps, async (store) => {
        const account = await store.accounts.create({ name: opts.name, plan: opts.plan });
        const { plaintext } = await store.apiKeys.create({ accountId: account.id, name: 'default' });
        deps.print({ account_id: account.id, api_key: plaintext });
      });
    });

  admin
    .command('create-key')
    .description('create another API key for an existing account (the key is shown once)')
    .requiredOption('--account <id>', 'account id (acc_…)', nonEmpty)
    .requiredOption('--name <name>', 'key name, e.g. where it is used', nonEmpty)
    .action(async (opts: { account: string; name: string }) => {
      await withStore(deps, async (store) => {
        const account = await store.accounts.get(opts.account);
        if (!account) throw new CliError(`error: account "${opts.account}" does not exist`);
        const { apiKey, plaintext } = await store.apiKeys.create({ accountId: account.id, name: opts.name });
        deps.print({ account_id: account.id, api_key_id: apiKey.id, api_key: plaintext });
      });
    });

  return admin;
}
