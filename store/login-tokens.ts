// One-time links: `login` signs a user in (printed by `npm start` and `admin user create`), `invite` lets a
// new person join an account. Only the token's SHA-256 is kept; using one is a single conditional UPDATE,
// so two requests racing with one link cannot both win.
import { randomBase62 } from '../common/ids';
import type { Db, LoginTokensTable } from './db';
import { hashSecret as hashToken } from '../common/secret-hash';
import type { UserRole } from './users';

export type LoginTokenPurpose = 'login' | 'invite';

export interface LoginToken {
  accountId: string;
  purpose: LoginTokenPurpose;
  /** `login`: who signs in. */
  userId: string | null;
  /** `invite`: who is invited, as what. */
  email: string | null;
  role: UserRole | null;
  expiresAt: string;
  usedAt: string | null;
}

export interface LoginTokensRepo {
  create(input: {
    accountId: string;
    purpose: LoginTokenPurpose;
    userId?: string;
    email?: string;
    role?: UserRole;
    now: Date;
    expiresAt: Date;
  }): Promise<{ token: string; expiresAt: string }>;
  /** The link, whatever its state (the caller says why it cannot be used). */
  get(token: string): Promise<LoginToken | undefined>;
  /** Marks an unused, unexpired link of this purpose used; false when it is not (any more). */
  consume(token: string, purpose: LoginTokenPurpose, now: Date): Promise<boolean>;
}

/** Link tokens are 43 base62 characters (256 bits). */
export const LINK_TOKEN_PATTERN = /^[0-9A-Za-z]{43}$/;

const toLoginToken = (r: LoginTokensTable): LoginToken => ({
  accountId: r.account_id,
  purpose: r.purpose === 'invite' ? 'invite' : 'login',
  userId: r.user_id,
  email: r.email,
  role: r.role === 'owner' ? 'owner' : r.role === 'member' ? 'member' : null,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
});

export function createLoginTokensRepo(db: Db): LoginTokensRepo {
  return {
    async create(input) {
      const token = randomBase62(43);
      const expiresAt = input.expiresAt.toISOString();
      // Forget links spent or expired over a day ago while here: the table stays small.
      const dayAgo = new Date(input.now.getTime() - 86_400_000).toISOString();
      await db.deleteFrom('login_tokens').where('expires_at', '<', dayAgo).execute();
      await db
        .insertInto('login_tokens')
        .values({
          token_hash: hashToken(token),
          account_id: input.accountId,
          purpose: input.purpose,
          user_id: input.userId ?? null,
          email: input.email ?? null,
          role: input.role ?? null,
          expires_at: expiresAt,
          used_at: null,
          created_at: input.now.toISOString(),
        })
        .execute();
      return { token, expiresAt };
    },

    async get(token) {
      if (typeof token !== 'string' || !LINK_TOKEN_PATTERN.test(token)) return undefined;
      const row = await db
        .selectFrom('login_tokens')
        .selectAll()
        .where('token_hash', '=', hashToken(token))
        .executeTakeFirst();
      return row && toLoginToken(row);
    },

    async consume(token, purpose, now) {
      if (!LINK_TOKEN_PATTERN.test(token)) return false;
      const res = await db
        .updateTable('login_tokens')
        .set({ used_at: now.toISOString() })
        .where('token_hash', '=', hashToken(token))
        .where('purpose', '=', purpose)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now.toISOString())
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
  };
}
