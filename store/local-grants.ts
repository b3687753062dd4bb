// Folders on the server the operator granted to an account (`admin grant-local-root`): the account's
// `local` connections must lie inside one of them. Roots are stored as real paths; what a root may be
// (inside the operator's roots, clear of the data directory and of other accounts) is decided by the
// caller (connectors/local/grants.ts), which knows the file system.
import type { Db } from './db';
import { nowIso } from './util';

export interface LocalGrant {
  accountId: string;
  root: string;
  createdAt: string;
}

export interface LocalGrantsRepo {
  /** The roots granted to one account (what its connectors may reach). */
  rootsOf(accountId: string): Promise<string[]>;
  /** Every grant of every account (to keep accounts' grants apart). */
  all(): Promise<LocalGrant[]>;
  /** Grants `root`; false when the account already had it. */
  grant(accountId: string, root: string): Promise<boolean>;
  /** Takes `root` back; false when the account did not have it. */
  revoke(accountId: string, root: string): Promise<boolean>;
}

export function createLocalGrantsRepo(db: Db): LocalGrantsRepo {
  const toGrant = (r: { account_id: string; root: string; created_at: string }): LocalGrant => ({
    accountId: r.account_id,
    root: r.root,
    createdAt: r.created_at,
  });
  return {
    async rootsOf(accountId) {
      const rows = await db
        .selectFrom('local_grants')
        .select('root')
        .where('account_id', '=', accountId)
        .orderBy('root')
        .execute();
      return rows.map((r) => r.root);
    },
    async all() {
      const rows = await db.selectFrom('local_grants').selectAll().orderBy('root').execute();
      return rows.map(toGrant);
    },
    async grant(accountId, root) {
      const res = await db
        .insertInto('local_grants')
        .values({ account_id: accountId, root, created_at: nowIso() })
        .onConflict((oc) => oc.columns(['account_id', 'root']).doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async revoke(accountId, root) {
      const res = await db
        .deleteFrom('local_grants')
        .where('account_id', '=', accountId)
        .where('root', '=', root)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },
  };
}
