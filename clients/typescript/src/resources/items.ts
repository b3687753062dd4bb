// A migration's per-file outcomes: paged JSON, or every item in one response that the server streams
// (NDJSON parsed item by item, or its bytes as they come) — one request however many items
// (docs/guides/reports.md).
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Paginated } from '../paging';
import type { Transport } from '../transport';
import type { CallOptions, ItemStatus, MigrationItem, PageOptions } from '../types';

export interface ItemFilter extends CallOptions {
  /** Only items of this status: copied, skipped, failed (or deleted, for a sync's mirror mode). */
  status?: ItemStatus;
}

/** The server's streamed formats: CSV (RFC 4180, a header row) or NDJSON (one JSON item a line). */
export type ItemStreamFormat = 'csv' | 'ndjson';

const MEDIA_TYPES: Record<ItemStreamFormat, string> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
};

export class ItemsResource {
  constructor(private readonly t: Transport) {}

  /** Page by page through the JSON list. */
  list(migrationId: string, options: ItemFilter & PageOptions = {}): Paginated<MigrationItem> {
    return new Paginated(async (pageToken) => {
      const data = await this.t.unwrap(
        this.t.api.GET('/v1/migrations/{id}/items', {
          params: {
            path: { id: migrationId },
            query: { status: options.status, page_size: options.pageSize, page_token: pageToken },
          },
          signal: options.signal,
        }),
      );
      return { items: data.items, nextPageToken: data.next_page_token };
    });
  }

  /** Every item, parsed one by one from the server's NDJSON stream as it arrives. */
  async *stream(migrationId: string, options: ItemFilter = {}): AsyncGenerator<MigrationItem> {
    const body = await this.download(migrationId, 'ndjson', options);
    for await (const line of lines(body)) if (line.trim()) yield JSON.parse(line) as MigrationItem;
  }

  /** Every item as the server's CSV (a header row, then one row per item), read as it arrives. */
  csv(migrationId: string, options: ItemFilter = {}): Promise<Readable> {
    return this.download(migrationId, 'csv', options);
  }

  /**
   * The server's bytes in either stream format, as a Node Readable (also an async iterable of Buffers):
   * pipe it to a file or stdout; it is never held whole. A body that ends early (the server cut the
   * connection) errors the stream rather than ending it.
   */
  async download(migrationId: string, format: ItemStreamFormat, options: ItemFilter = {}): Promise<Readable> {
    const response = await this.t.raw(`/v1/migrations/${encodeURIComponent(migrationId)}/items`, {
      query: { format, status: options.status },
      headers: { accept: MEDIA_TYPES[format] },
      signal: options.signal,
    });
    if (!response.body) return Readable.from([]);
    return Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  }
}

/** Lines of a byte stream, decoded as UTF-8 across chunk boundaries. */
async function* lines(body: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of body) {
    rest += decoder.decode(chunk, { stream: true });
    const parts = rest.split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  rest += decoder.decode();
  if (rest) yield rest;
}
