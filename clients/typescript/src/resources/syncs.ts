import { randomUUID } from 'node:crypto';
import { Paginated } from '../paging';
import type { Transport } from '../transport';
import type {
  CallOptions,
  CreateOptions,
  CreateSyncRequest,
  Migration,
  PageOptions,
  Sync,
  UpdateSyncRequest,
} from '../types';

export class SyncsResource {
  constructor(private readonly t: Transport) {}

  /** Creates a recurring sync (201); a new Idempotency-Key per call unless given. */
  create(body: CreateSyncRequest, options: CreateOptions = {}): Promise<Sync> {
    return this.t.unwrap(
      this.t.api.POST('/v1/syncs', {
        body,
        headers: { 'Idempotency-Key': options.idempotencyKey ?? randomUUID() },
        signal: options.signal,
      }),
    );
  }

  /** Newest first. */
  list(options: PageOptions & CallOptions = {}): Paginated<Sync> {
    return new Paginated(async (pageToken) => {
      const data = await this.t.unwrap(
        this.t.api.GET('/v1/syncs', {
          params: { query: { page_size: options.pageSize, page_token: pageToken } },
          signal: options.signal,
        }),
      );
      return { items: data.syncs, nextPageToken: data.next_page_token };
    });
  }

  get(id: string, options: CallOptions = {}): Promise<Sync> {
    return this.t.unwrap(
      this.t.api.GET('/v1/syncs/{id}', { params: { path: { id } }, signal: options.signal }),
    );
  }

  update(id: string, body: UpdateSyncRequest, options: CallOptions = {}): Promise<Sync> {
    return this.t.unwrap(
      this.t.api.PATCH('/v1/syncs/{id}', { params: { path: { id } }, body, signal: options.signal }),
    );
  }

  delete(id: string, options: CallOptions = {}): Promise<Sync> {
    return this.t.unwrap(
      this.t.api.DELETE('/v1/syncs/{id}', { params: { path: { id } }, signal: options.signal }),
    );
  }

  pause(id: string, options: CallOptions = {}): Promise<Sync> {
    return this.t.unwrap(
      this.t.api.POST('/v1/syncs/{id}/pause', { params: { path: { id } }, signal: options.signal }),
    );
  }

  resume(id: string, options: CallOptions = {}): Promise<Sync> {
    return this.t.unwrap(
      this.t.api.POST('/v1/syncs/{id}/resume', { params: { path: { id } }, signal: options.signal }),
    );
  }

  /** Starts a run now (409 conflict while one is running). */
  trigger(id: string, options: CallOptions = {}) {
    return this.t.unwrap(
      this.t.api.POST('/v1/syncs/{id}/trigger', { params: { path: { id } }, signal: options.signal }),
    );
  }

  /** The sync's runs (migrations), newest first. */
  runs(id: string, options: PageOptions & CallOptions = {}): Paginated<Migration> {
    return new Paginated(async (pageToken) => {
      const data = await this.t.unwrap(
        this.t.api.GET('/v1/syncs/{id}/runs', {
          params: { path: { id }, query: { page_size: options.pageSize, page_token: pageToken } },
          signal: options.signal,
        }),
      );
      return { items: data.migrations, nextPageToken: data.next_page_token };
    });
  }
}
