// API keys: random bearer secrets, stored only as SHA-256 hashes plus a short display prefix.
import { timingSafeEqual } from 'node:crypto';
import { hashSecret } from '../common/secret-hash';
import { newId, randomBase62 } from '../common/ids';
import { Account, toAccount } from './accounts';
import type { ApiKeysTable, Db } from './db';
import { nowIso } from './util';

/**
 * What a key may do, each scope including the ones before it: `read` (every GET), `write` (also change
 * migrations, syncs and connections), `admin` (also keys, webhooks and the account).
 */
export const API_KEY_SCOPES = ['read', 'write', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** True when a key of scope `have` may do what needs `need`. */
export const scopeCovers = (have: ApiKeyScope, need: ApiKeyScope): boolean =>
  API_KEY_SCOPES.indexOf(have) >= API_KEY_SCOPES.indexOf(need);

const toScope = (s: string): ApiKeyScope =>
  // An unknown value (a newer version's scope, a hand edit) gets the least power.
  (API_KEY_SCOPES as readonly string[]).includes(s) ? (s as ApiKeyScope) : 'read';

export interface ApiKey {
  id: string;
  accountId: string;
  name: string;
  scope: ApiKeyScope;
  /** First characters of the key (e.g. "mc_AbC1"), safe to show. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface ApiKeysRepo {
  /** Creates a key; the plaintext is returned once and only its SHA-256 is stored. */
  create(input: {
    accountId: string;
    name: string;
    scope: ApiKeyScope;
  }): Promise<{ apiKey: ApiKey; plaintext: string }>;
  /** Resolves a presented plaintext key to its active key record and account (constant-time hash check). */
  authenticate(plaintext: string): Promise<{ apiKey: ApiKey; account: Account } | undefined>;
  list(accountId: string): Promise<ApiKey[]>;
  /** Revokes one of the account's keys; false if it does not exist for that account. */
  revoke(accountId: string, id: string): Promise<boolean>;
}

export const API_KEY_PATTERN = /^mc_[0-9A-Za-z]{32,}$/;
const KEY_RANDOM_CHARS = 40;
const PREFIX_LENGTH = 10;
/** last_used_at is advisory: refresh it at most this often so authentication is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const hashApiKey = hashSecret;

const toApiKey = (row: ApiKeysTable): ApiKey => ({
  id: row.id,
  accountId: row.account_id,
  name: row.name,
  scope: toScope(row.scope),
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export function createApiKeysRepo(db: Db): ApiKeysRepo {
  return {
    async create({ accountId, name, scope }) {
      const plaintext = `mc_${randomBase62(KEY_RANDOM_CHARS)}`;
      const row: ApiKeysTable = {
        id: newId('key'),
        account_id: accountId,
        name,
        prefix: plaintext.slice(0, PREFIX_LENGTH),
        key_hash: hashApiKey(plaintext),
        scope,
        created_at: nowIso(),
        last_used_at: null,
        revoked_at: null,
      };
      await db.insertInto('api_keys').values(row).execute();
      return { apiKey: toApiKey(row), plaintext };
    },

    async authenticate(plaintext) {
      // Garbage never reaches the database.
      if (typeof plaintext !== 'string' || plaintext.length > 256 || !API_KEY_PATTERN.test(plaintext))
        return undefined;
      const hash = hashApiKey(plaintext);
      const row = await db
        .selectFrom('api_keys as k')
        .innerJoin('accounts as a', 'a.id', 'k.account_id')
        .selectAll('k')
        .select(['a.name as account_name', 'a.plan as account_plan', 'a.created_at as account_created_at'])
        .where('k.key_hash', '=', hash)
        .executeTakeFirst();
      if (!row || row.revoked_at !== null) return undefined;
      // The index lookup is by hash; compare in constant time anyway so no timing depends on the stored value.
      if (!timingSafeEqual(Buffer.from(row.key_hash, 'hex'), Buffer.from(hash, 'hex'))) return undefined;

      const now = new Date();
      let lastUsedAt = row.last_used_at;
      if (!lastUsedAt || now.getTime() - Date.parse(lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
        lastUsedAt = now.toISOString();
        await db.updateTable('api_keys').set({ last_used_at: lastUsedAt }).where('id', '=', row.id).execute();
      }
      return {
        apiKey: toApiKey({ ...row, last_used_at: lastUsedAt }),
        account: toAccount({
          id: row.account_id,
          name: row.account_name,
          plan: row.account_plan,
          created_at: row.account_created_at,
        }),
      };
    },

    async list(accountId) {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toApiKey);
    },

    async revoke(accountId, id) {
      const existing = await db
        .selectFrom('api_keys')
        .select(['id', 'revoked_at'])
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!existing) return false;
      // Revoking twice keeps the first revocation time.
      await db
        .updateTable('api_keys')
        .set({ revoked_at: nowIso() })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      return true;
    },
  };
}
