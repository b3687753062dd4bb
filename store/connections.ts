// Connections: an account's link to one service. The sealed secrets column is read only through
// `readSecrets`, which credential loading calls on purpose; no other read path can leak it.
import { newId } from '../common/ids';
import type { ConnectionsTable, Db } from './db';
import { Page, PageRequest, readPageRequest, toPage } from './paging';
import { fromJson, nowIso, toJson } from './util';
import type { ServiceName } from '../contract';

export interface Connection {
  id: string;
  accountId: string;
  service: ServiceName;
  name: string;
  /** Non-secret settings shown to the user (e.g. `{ root }` for local). */
  config: Record<string, unknown>;
  status: 'active' | 'needs_reauth';
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionsRepo {
  create(input: {
    /** Pre-generated id (`newId('conn')`), so secrets can be sealed bound to it. */
    id?: string;
    accountId: string;
    service: ServiceName;
    name: string;
    config: Record<string, unknown>;
    /** Encrypted secrets blob; never returned by the reads below, only by `readSecrets`. */
    secrets?: string | null;
  }): Promise<Connection>;
  /** The sealed secrets of the account's connection (null when it has none or does not exist). */
  readSecrets(accountId: string, id: string): Promise<string | null>;
  /** Replaces the sealed secrets (e.g. after a token refresh); false if the connection is gone. */
  updateSecrets(accountId: string, id: string, secrets: string): Promise<boolean>;
  setStatus(accountId: string, id: string, status: Connection['status']): Promise<boolean>;
  /** The account's connection, or undefined (also for another account's id). */
  get(accountId: string, id: string): Promise<Connection | undefined>;
  list(accountId: string, page: PageRequest): Promise<Page<Connection>>;
  listByService(accountId: string, service: ServiceName): Promise<Connection[]>;
  delete(accountId: string, id: string): Promise<boolean>;
}

type ConnectionRow = Omit<ConnectionsTable, 'secrets'>;

/** Every column except `secrets`. */
const PUBLIC_COLUMNS = [
  'id',
  'account_id',
  'service',
  'name',
  'config',
  'status',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof ConnectionRow)[];

const toConnection = (row: ConnectionRow): Connection => ({
  id: row.id,
  accountId: row.account_id,
  service: row.service as ServiceName,
  name: row.name,
  config: fromJson<Record<string, unknown>>(row.config),
  status: row.status as Connection['status'],
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function createConnectionsRepo(db: Db): ConnectionsRepo {
  const forAccount = (accountId: string) =>
    db.selectFrom('connections').select(PUBLIC_COLUMNS).where('account_id', '=', accountId);

  const updateRow = async (accountId: string, id: string, patch: Partial<ConnectionsTable>) => {
    const result = await db
      .updateTable('connections')
      .set({ ...patch, updated_at: nowIso() })
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  };

  return {
    async create({ id = newId('conn'), accountId, service, name, config, secrets }) {
      const now = nowIso();
      const row: ConnectionsTable = {
        id,
        account_id: accountId,
        service,
        name,
        config: toJson(config),
        secrets: secrets ?? null,
        status: 'active',
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('connections').values(row).execute();
      return toConnection(row);
    },

    async get(accountId, id) {
      const row = await forAccount(accountId).where('id', '=', id).executeTakeFirst();
      return row && toConnection(row);
    },

    async list(accountId, page) {
      const { size, after } = readPageRequest(page, 'conn');
      let query = forAccount(accountId);
      if (after) {
        query = query.where((eb) =>
          eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt, after.id)),
        );
      }
      // Oldest first: a connection list reads like the order the user added them.
      const rows = await query
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .limit(size + 1)
        .execute();
      return toPage(rows, size, toConnection);
    },

    async listByService(accountId, service) {
      const rows = await forAccount(accountId)
        .where('service', '=', service)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .execute();
      return rows.map(toConnection);
    },

    async readSecrets(accountId, id) {
      const row = await db
        .selectFrom('connections')
        .select('secrets')
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row?.secrets ?? null;
    },

    async updateSecrets(accountId, id, secrets) {
      return updateRow(accountId, id, { secrets });
    },

    async setStatus(accountId, id, status) {
      return updateRow(accountId, id, { status });
    },

    async delete(accountId, id) {
      const result = await db
        .deleteFrom('connections')
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
