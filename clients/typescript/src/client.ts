// The MigrateClouds client: `new MigrateClouds({ apiKey, baseUrl })`, falling back to the environment
// (MIGRATECLOUDS_API_KEY, MIGRATECLOUDS_API_URL), with one property per resource of the API.
import { AccountResource, ApiKeysResource } from './resources/account';
import { ConnectionsResource } from './resources/connections';
import { FilesResource } from './resources/files';
import type { ItemsResource } from './resources/items';
import { MigrationsResource } from './resources/migrations';
import { SyncsResource } from './resources/syncs';
import { WebhooksResource } from './resources/webhooks';
import type { RetryOptions } from './retry';
import { Transport, type ApiClient } from './transport';
import type { Migration } from './types';
import type { WaitOptions } from './wait';

export const DEFAULT_BASE_URL = 'http://localhost:3000';

export interface MigrateCloudsOptions {
  /** An API key "mc_…" (default: MIGRATECLOUDS_API_KEY). */
  apiKey?: string;
  /** The API's origin (default: MIGRATECLOUDS_API_URL, else http://localhost:3000). */
  baseUrl?: string;
  /** Waits and retries on 429 (and 502/503/504 when safe); `{ maxAttempts: 1 }` turns them off. */
  retry?: RetryOptions;
  fetch?: typeof fetch;
  userAgent?: string;
}

export class MigrateClouds {
  readonly account: AccountResource;
  readonly apiKeys: ApiKeysResource;
  readonly connections: ConnectionsResource;
  readonly files: FilesResource;
  readonly migrations: MigrationsResource;
  /** The same as migrations.items. */
  readonly items: ItemsResource;
  readonly syncs: SyncsResource;
  readonly webhooks: WebhooksResource;
  /** The generated, fully typed openapi-fetch client, for anything the resources do not wrap. */
  readonly api: ApiClient;
  readonly baseUrl: string;

  constructor(options: MigrateCloudsOptions = {}) {
    const apiKey = options.apiKey ?? process.env.MIGRATECLOUDS_API_KEY;
    if (!apiKey) throw new Error('No API key: pass { apiKey } or set MIGRATECLOUDS_API_KEY');
    const baseUrl = options.baseUrl ?? process.env.MIGRATECLOUDS_API_URL ?? DEFAULT_BASE_URL;
    const transport = new Transport({ ...options, apiKey, baseUrl });
    this.api = transport.api;
    this.baseUrl = transport.baseUrl;
    this.account = new AccountResource(transport);
    this.apiKeys = new ApiKeysResource(transport);
    this.connections = new ConnectionsResource(transport);
    this.files = new FilesResource(transport);
    this.migrations = new MigrationsResource(transport);
    this.items = this.migrations.items;
    this.syncs = new SyncsResource(transport);
    this.webhooks = new WebhooksResource(transport);
  }

  /** Polls a migration until it ends, telling onProgress each reading; answers the final migration. */
  waitForMigration(id: string, options: WaitOptions = {}): Promise<Migration> {
    return this.migrations.wait(id, options);
  }
}
