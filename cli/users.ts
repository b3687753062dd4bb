// `migrateclouds admin user create`: a console user of an account, and a one-time link (24 h) where they
// sign in and choose a password. Prints one JSON line like the other admin commands.
import { Command, InvalidArgumentError, Option } from 'commander';
import { issueLoginLink } from '../api/session/login-link';
import { normalizeEmail, USER_ROLES } from '../store';
import type { Store, UserRole } from '../store/types';

export interface UserCommandDeps {
  withStore<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  print: (value: unknown) => void;
  /** Where links point: PUBLIC_URL, else http://localhost:$PORT. */
  linkConfig: () => { PUBLIC_URL?: string; PORT: number };
  fail: (message: string) => Error;
}

function email(value: string): string {
  const v = normalizeEmail(value);
  if (!/^[^\s@]+@[^\s@]+$/.test(v) || v.length > 254)
    throw new InvalidArgumentError('must be an email address such as ana@example.com.');
  return v;
}

export function userCommands(admin: Command, deps: UserCommandDeps): void {
  const user = admin.command('user').description('console users (people who sign in at /console)');
  user
    .command('create')
    .description('create a console user and print a one-time sign-in link (they choose a password there)')
    .requiredOption('--account <id>', 'account id (acc_…)')
    .requiredOption('--email <email>', 'their email address (unique across accounts)', email)
    .addOption(
      new Option('--role <role>', 'owner: everything; member: no keys, webhooks or invites')
        .choices(USER_ROLES)
        .default('member'),
    )
    .action(async (opts: { account: string; email: string; role: UserRole }) => {
      await deps.withStore(async (store) => {
        const account = await store.accounts.get(opts.account);
        if (!account) throw deps.fail(`error: account "${opts.account}" does not exist`);
        const created = await store.users.create({
          accountId: account.id,
          email: opts.email,
          role: opts.role,
        });
        if (!created) throw deps.fail(`error: ${opts.email} already has a user`);
        const link = await issueLoginLink(store, deps.linkConfig(), created);
        deps.print({
          account_id: account.id,
          user_id: created.id,
          email: created.email,
          role: created.role,
          sign_in_url: link.url,
          expires_at: link.expiresAt,
        });
      });
    });
}
