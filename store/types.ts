// The store's public contract: one repository per table group, each declared beside its records in the
// file that implements it (Kysely over SQLite or PostgreSQL); nothing outside store/ sees SQL.
import type { AccountsRepo } from './accounts';
import type { ApiKeysRepo } from './api-keys';
import type { MigrationBatchesRepo } from './batches';
import type { ConnectionsRepo } from './connections';
import type { MigrationFrontierRepo } from './frontier';
import type { MigrationItemsRepo } from './items';
import type { LocalGrantsRepo } from './local-grants';
import type { MigrationsRepo } from './migrations';
import type { MigrationNamesRepo } from './names';
import type { OAuthStatesRepo } from './oauth-states';
import type { SyncStateRepo } from './sync-state';
import type { SyncsRepo } from './syncs';
import type { WebhooksRepo } from './webhooks-types';
import type { SealedSecretsRepo } from './sealed-secrets';
import type { UsersRepo } from './users';
import type { SessionsRepo } from './sessions';
import type { LoginTokensRepo } from './login-tokens';

export type * from './accounts';
export type * from './api-keys';
export type * from './batches';
export type * from './connections';
export type * from './frontier';
export type * from './items';
export type * from './item-report';
export type * from './migrations';
export type * from './local-grants';
export type * from './names';
export type * from './oauth-states';
export type * from './paging';
export type * from './sync-state';
export type * from './syncs';
export type * from './webhooks-types';
export type * from './sealed-secrets';
export type * from './users';
export type * from './sessions';
export type * from './login-tokens';

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  accounts: AccountsRepo;
  apiKeys: ApiKeysRepo;
  connections: ConnectionsRepo;
  migrations: MigrationsRepo;
  items: MigrationItemsRepo;
  frontier: MigrationFrontierRepo;
  /** Copy batches passed to copy activities by key (store/batches.ts). */
  batches: MigrationBatchesRepo;
  /** Names given at the destination in folders listed over several pages (store/names.ts). */
  names: MigrationNamesRepo;
  syncs: SyncsRepo;
  /** Incremental syncs' id map and mirror-mode deletion candidates (store/sync-state.ts). */
  syncState: SyncStateRepo;
  webhooks: WebhooksRepo;
  /** Folders on the server granted to each account for its `local` connections. */
  localGrants: LocalGrantsRepo;
  /** OAuth flows under way: one-time states bound to a browser, with their PKCE verifier. */
  oauthStates: OAuthStatesRepo;
  /** Every sealed secret at rest, for re-sealing under a new key (store/sealed-secrets.ts). */
  sealedSecrets: SealedSecretsRepo;
  /** Console users, their sessions and one-time sign-in links / invites. */
  users: UsersRepo;
  sessions: SessionsRepo;
  loginTokens: LoginTokensRepo;
  /** Cheap round trip for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
