// OAuth flows under way (api/connections/oauth): each state is stored only as its hash, with what the
// callback must do, the PKCE code_verifier (sealed by the caller) and, once a browser opened the start
// URL, the hash of the nonce in that browser's cookie. A state binds to one browser once and is used once:
// both are single conditional UPDATEs, so two requests racing with one state cannot both win.
import type { Db, OAuthStatesTable } from './db';
import { nowIso } from './util';

export interface OAuthStateRecord {
  stateHash: string;
  accountId: string;
  service: string;
  connectionId: string;
  reauthorize: boolean;
  name: string | null;
  /** Sealed by the caller. */
  verifier: string;
  browserHash: string | null;
  expiresAt: string;
  usedAt: string | null;
  createdAt: string;
}

export type NewOAuthState = Omit<OAuthStateRecord, 'browserHash' | 'usedAt' | 'createdAt'>;

export interface OAuthStatesRepo {
  create(state: NewOAuthState): Promise<void>;
  get(stateHash: string): Promise<OAuthStateRecord | undefined>;
  /** Binds an unexpired, unused state to a browser; false when it already was (or is spent). */
  bindBrowser(stateHash: string, browserHash: string): Promise<boolean>;
  /** Marks the state used when it is unexpired, unused and bound to this browser; false otherwise. */
  consume(stateHash: string, browserHash: string): Promise<boolean>;
  /** Forgets states that expired before `before` (ISO time); answers how many. */
  purgeExpired(before: string): Promise<number>;
}

type Row = OAuthStatesTable;

const toRecord = (r: Row): OAuthStateRecord => ({
  stateHash: r.state_hash,
  accountId: r.account_id,
  service: r.service,
  connectionId: r.connection_id,
  reauthorize: Number(r.reauthorize) === 1,
  name: r.name,
  verifier: r.verifier,
  browserHash: r.browser_hash,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  createdAt: r.created_at,
});

export function createOAuthStatesRepo(db: Db): OAuthStatesRepo {
  return {
    async create(s) {
      await db
        .insertInto('oauth_states')
        .values({
          state_hash: s.stateHash,
          account_id: s.accountId,
          service: s.service,
          connection_id: s.connectionId,
          reauthorize: s.reauthorize ? 1 : 0,
          name: s.name,
          verifier: s.verifier,
          browser_hash: null,
          expires_at: s.expiresAt,
          used_at: null,
          created_at: nowIso(),
        })
        .execute();
    },
    async get(stateHash) {
      const row = await db
        .selectFrom('oauth_states')
        .selectAll()
        .where('state_hash', '=', stateHash)
        .executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },
    async bindBrowser(stateHash, browserHash) {
      const res = await db
        .updateTable('oauth_states')
        .set({ browser_hash: browserHash })
        .where('state_hash', '=', stateHash)
        .where('browser_hash', 'is', null)
        .where('used_at', 'is', null)
        .where('expires_at', '>', nowIso())
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async consume(stateHash, browserHash) {
      const res = await db
        .updateTable('oauth_states')
        .set({ used_at: nowIso() })
        .where('state_hash', '=', stateHash)
        .where('browser_hash', '=', browserHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', nowIso())
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async purgeExpired(before) {
      const res = await db.deleteFrom('oauth_states').where('expires_at', '<', before).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
