import { randomUUID } from 'node:crypto';
import { Paginated } from '../paging';
import type { Transport } from '../transport';
import type {
  CallOptions,
  CreateMigrationRequest,
  CreateOptions,
  Migration,
  MigrationReport,
  MigrationStatus,
  PageOptions,
} from '../types';
import { waitForMigration, type WaitOptions } from '../wait';
import { ItemsResource } from './items';

export class MigrationsResource {
  readonly items: ItemsResource;

  constructor(private readonly t: Transport) {
    this.items = new ItemsResource(t);
  }

  /** Starts a migration (202). A new Idempotency-Key per call unless given: retries never start a second one. */
  create(body: CreateMigrationRequest, options: CreateOptions = {}): Promise<Migration> {
    return this.t.unwrap(
      this.t.api.POST('/v1/migrations', {
        body,
        headers: { 'Idempotency-Key': options.idempotencyKey ?? randomUUID() },
        signal: options.signal,
      }),
    );
  }

  /** Newest first; `status` filters. */
  list(options: PageOptions & CallOptions & { status?: MigrationStatus } = {}): Paginated<Migration> {
    return new Paginated(async (pageToken) => {
      const data = await this.t.unwrap(
        this.t.api.GET('/v1/migrations', {
          params: { query: { status: options.status, page_size: options.pageSize, page_token: pageToken } },
          signal: options.signal,
        }),
      );
      return { items: data.migrations, nextPageToken: data.next_page_token };
    });
  }

  get(id: string, options: CallOptions = {}): Promise<Migration> {
    return this.t.unwrap(
      this.t.api.GET('/v1/migrations/{id}', { params: { path: { id } }, signal: options.signal }),
    );
  }

  pause(id: string, options: CallOptions = {}): Promise<Migration> {
    return this.t.unwrap(
      this.t.api.POST('/v1/migrations/{id}/pause', { params: { path: { id } }, signal: options.signal }),
    );
  }

  resume(id: string, options: CallOptions = {}): Promise<Migration> {
    return this.t.unwrap(
      this.t.api.POST('/v1/migrations/{id}/resume', { params: { path: { id } }, signal: options.signal }),
    );
  }

  cancel(id: string, options: CallOptions = {}): Promise<Migration> {
    return this.t.unwrap(
      this.t.api.POST('/v1/migrations/{id}/cancel', { params: { path: { id } }, signal: options.signal }),
    );
  }

  /** The summary report: totals, counts and bytes by status and by reason, the largest failures. */
  report(id: string, options: CallOptions = {}): Promise<MigrationReport> {
    return this.t.unwrap(
      this.t.api.GET('/v1/migrations/{id}/report', { params: { path: { id } }, signal: options.signal }),
    );
  }

  /** Polls until the migration ends; see waitForMigration. */
  wait(id: string, options: WaitOptions = {}): Promise<Migration> {
    return waitForMigration(this, id, options);
  }
}
