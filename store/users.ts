// Console users: people who sign in to an account's console. Emails are stored lower-cased and unique
// across every account (signing in names no account); the password hash is made in common/password-hash.ts.
import { newId } from '../common/ids';
import { type Account, toAccount } from './accounts';
import type { Db, UsersTable } from './db';
import { isUniqueViolation, nowIso } from './util';

export const USER_ROLES = ['owner', 'member'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface User {
  id: string;
  accountId: string;
  email: string;
  role: UserRole;
  hasPassword: boolean;
  createdAt: string;
}

export interface UsersRepo {
  /** Undefined when the email is taken (by any account). */
  create(input: {
    accountId: string;
    email: string;
    role: UserRole;
    passwordHash?: string;
  }): Promise<User | undefined>;
  get(accountId: string, id: string): Promise<User | undefined>;
  list(accountId: string): Promise<User[]>;
  /** The user with this email (any account), its account and its password hash: for signing in only. */
  findForSignIn(
    email: string,
  ): Promise<{ user: User; account: Account; passwordHash: string | null } | undefined>;
  setPasswordHash(id: string, hash: string): Promise<void>;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const toRole = (r: string): UserRole => (r === 'owner' ? 'owner' : 'member');

export const toUser = (row: UsersTable): User => ({
  id: row.id,
  accountId: row.account_id,
  email: row.email,
  role: toRole(row.role),
  hasPassword: row.password_hash !== null,
  createdAt: row.created_at,
});

export function createUsersRepo(db: Db): UsersRepo {
  return {
    async create({ accountId, email, role, passwordHash }) {
      const row: UsersTable = {
        id: newId('usr'),
        account_id: accountId,
        email: normalizeEmail(email),
        password_hash: passwordHash ?? null,
        role,
        created_at: nowIso(),
      };
      try {
        await db.insertInto('users').values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) return undefined;
        throw err;
      }
      return toUser(row);
    },

    async get(accountId, id) {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toUser(row);
    },

    async list(accountId) {
      const rows = await db
        .selectFrom('users')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toUser);
    },

    async findForSignIn(email) {
      const row = await db
        .selectFrom('users as u')
        .innerJoin('accounts as a', 'a.id', 'u.account_id')
        .selectAll('u')
        .select(['a.name as account_name', 'a.plan as account_plan', 'a.created_at as account_created_at'])
        .where('u.email', '=', normalizeEmail(email))
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        user: toUser(row),
        passwordHash: row.password_hash,
        account: toAccount({
          id: row.account_id,
          name: row.account_name,
          plan: row.account_plan,
          created_at: row.account_created_at,
        }),
      };
    },

    async setPasswordHash(id, hash) {
      await db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
    },
  };
}
