// Console sessions: a random token in the browser's cookie, only its SHA-256 here. A session ends at its
// absolute expiry, after an idle timeout, or when revoked (sign-out); any of them and it is refused.
import { hashSecret as hashToken } from '../common/secret-hash';
import { newId, randomBase62 } from '../common/ids';
import { type Account, toAccount } from './accounts';
import type { Db, SessionsTable } from './db';
import { type User, toUser } from './users';

export interface Session {
  id: string;
  accountId: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface SessionsRepo {
  /** A new session; its token is returned once and only its hash is kept. */
  create(input: { accountId: string; userId: string; now: Date; expiresAt: Date }): Promise<{
    session: Session;
    token: string;
  }>;
  /** The live session for a token: not revoked, before its expiry and within `idleMs` of its last use. */
  authenticate(
    token: string,
    opts: { now: Date; idleMs: number },
  ): Promise<{ session: Session; user: User; account: Account } | undefined>;
  /** Ends a session (sign-out); false when it was not live. */
  revoke(id: string, now: Date): Promise<boolean>;
  /** Ends the session of a token, if any (the one a browser had before signing in again). */
  revokeToken(token: string, now: Date): Promise<boolean>;
  /** Ends every live session of a user, but `except` (sign out everywhere); answers how many ended. */
  revokeAllForUser(userId: string, now: Date, except?: string): Promise<number>;
}

/** Tokens are 43 base62 characters (256 bits); anything else never reaches the database. */
export const SESSION_TOKEN_PATTERN = /^[0-9A-Za-z]{43}$/;
/** last_seen_at is refreshed at most this often, so a session's use is not a write per request. */
const TOUCH_RESOLUTION_MS = 60_000;

const toSession = (row: SessionsTable): Session => ({
  id: row.id,
  accountId: row.account_id,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
});

export function createSessionsRepo(db: Db): SessionsRepo {
  return {
    async create({ accountId, userId, now, expiresAt }) {
      const token = randomBase62(43);
      const row: SessionsTable = {
        id: newId('ses'),
        token_hash: hashToken(token),
        account_id: accountId,
        user_id: userId,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        revoked_at: null,
      };
      await db.insertInto('sessions').values(row).execute();
      return { session: toSession(row), token };
    },

    async authenticate(token, { now, idleMs }) {
      if (typeof token !== 'string' || !SESSION_TOKEN_PATTERN.test(token)) return undefined;
      const row = await db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .innerJoin('accounts as a', 'a.id', 's.account_id')
        .selectAll('s')
        .select([
          'u.email',
          'u.role',
          'u.password_hash',
          'u.created_at as user_created_at',
          'a.name as account_name',
          'a.plan as account_plan',
          'a.created_at as account_created_at',
        ])
        .where('s.token_hash', '=', hashToken(token))
        .executeTakeFirst();
      if (!row || row.revoked_at !== null) return undefined;
      const at = now.getTime();
      if (Date.parse(row.expires_at) <= at || Date.parse(row.last_seen_at) + idleMs <= at) return undefined;
      let lastSeen = row.last_seen_at;
      if (at - Date.parse(lastSeen) >= TOUCH_RESOLUTION_MS) {
        lastSeen = now.toISOString();
        await db.updateTable('sessions').set({ last_seen_at: lastSeen }).where('id', '=', row.id).execute();
      }
      return {
        session: toSession({ ...row, last_seen_at: lastSeen }),
        user: toUser({
          id: row.user_id,
          account_id: row.account_id,
          email: row.email,
          role: row.role,
          password_hash: row.password_hash,
          created_at: row.user_created_at,
        }),
        account: toAccount({
          id: row.account_id,
          name: row.account_name,
          plan: row.account_plan,
          created_at: row.account_created_at,
        }),
      };
    },

    async revoke(id, now) {
      const res = await db
        .updateTable('sessions')
        .set({ revoked_at: now.toISOString() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async revokeToken(token, now) {
      if (typeof token !== 'string' || !SESSION_TOKEN_PATTERN.test(token)) return false;
      const res = await db
        .updateTable('sessions')
        .set({ revoked_at: now.toISOString() })
        .where('token_hash', '=', hashToken(token))
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async revokeAllForUser(userId, now, except) {
      let update = db
        .updateTable('sessions')
        .set({ revoked_at: now.toISOString() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now.toISOString());
      if (except) update = update.where('id', '!=', except);
      const res = await update.executeTakeFirst();
      return Number(res.numUpdatedRows);
    },
  };
}
