import { Paginated } from '../paging';
import type { Transport } from '../transport';
import type { CallOptions, FileEntry, PageOptions } from '../types';

/** Where to look: a connection by id, or a service the account has exactly one connection of. */
export type Location = { connectionId: string; service?: never } | { service: string; connectionId?: never };

export class FilesResource {
  constructor(private readonly t: Transport) {}

  /** A folder's entries (the whole tree below it with `recursive`), in the service's own order. */
  list(
    input: Location & { path: string; recursive?: boolean } & PageOptions & CallOptions,
  ): Paginated<FileEntry> {
    return new Paginated(async (pageToken) => {
      const data = await this.t.unwrap(
        this.t.api.GET('/v1/files/list', {
          params: {
            query: {
              connection_id: input.connectionId,
              service: input.service as never,
              path: input.path,
              recursive: input.recursive,
              page_size: input.pageSize,
              page_token: pageToken,
            },
          },
          signal: input.signal,
        }),
      );
      return { items: data.files, nextPageToken: data.next_page_token };
    });
  }

  /** One file or folder. */
  metadata(input: Location & { path: string } & CallOptions): Promise<FileEntry> {
    return this.t.unwrap(
      this.t.api.GET('/v1/files/metadata', {
        params: {
          query: { connection_id: input.connectionId, service: input.service as never, path: input.path },
        },
        signal: input.signal,
      }),
    );
  }
}
