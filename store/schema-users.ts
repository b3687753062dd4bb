// 0014: the console's users, their sessions and one-time sign-in links / invites (store/users.ts,
// store/sessions.ts, store/login-tokens.ts). Secrets are kept only as SHA-256 hashes.
import type { Kysely, Migration, RawBuilder } from 'kysely';

/** `key` is the byte-wise sortable text type of the dialect (schema.ts). */
export function usersAndSessions(key: RawBuilder<unknown>): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('users')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        // Stored lower-cased, so this constraint is case-insensitive.
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text')
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', key, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('users_account_idx')
        .on('users')
        .columns(['account_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('user_id', key, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

      await db.schema
        .createTable('login_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('account_id', key, (c) => c.notNull().references('accounts.id').onDelete('cascade'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('user_id', key, (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('email', 'text')
        .addColumn('role', 'text')
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('login_tokens_expires_idx')
        .on('login_tokens')
        .column('expires_at')
        .execute();
    },
  };
}
