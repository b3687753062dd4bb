// Accounts: the tenant every other record belongs to.
import { newId } from '../common/ids';
import type { AccountsTable, Db } from './db';
import { nowIso } from './util';

export type Plan = 'pro' | 'enterprise';

export interface Account {
  id: string;
  name: string;
  plan: Plan;
  createdAt: string;
}

export interface AccountsRepo {
  create(input: { name: string; plan: Plan }): Promise<Account>;
  get(id: string): Promise<Account | undefined>;
}

export const toAccount = (row: AccountsTable): Account => ({
  id: row.id,
  name: row.name,
  plan: row.plan as Plan,
  createdAt: row.created_at,
});

export function createAccountsRepo(db: Db): AccountsRepo {
  return {
    async create({ name, plan }) {
      const row: AccountsTable = { id: newId('acc'), name, plan, created_at: nowIso() };
      await db.insertInto('accounts').values(row).execute();
      return toAccount(row);
    },

    async get(id) {
      const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toAccount(row);
    },
  };
}
