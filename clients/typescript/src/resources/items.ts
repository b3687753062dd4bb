// A migration's per-file outcomes: paged JSON, or every item in one streamed response (NDJSON parsed
// item by item, or raw CSV) — one request however many items (docs/guides/migrations.md#per-file-outcomes).
import { InvalidParameterError } from '../errors';
import { Paginated } from '../paging';
import type { Transport } from '../transport';
import type { CallOptions, ItemStatus, MigrationItem, PageOptions } from '../types';

export interface ItemFilter extends CallOptions {
  /** Only items of this status: copied, skipped, failed (or deleted, for a sync's mirror mode). */
  status?: ItemStatus;
}

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

  /** Every item, parsed one by one from the NDJSON stream as it arrives. */
  async *stream(
    migrationId: string,
    options: ItemFilter & { format?: 'ndjson' } = {},
  ): AsyncGenerator<MigrationItem> {
    let response: Response;
    try {
      response = await this.request(migrationId, 'ndjson', options);
    } catch (err) {
      // A server without streamed reports refuses `format`: page through the JSON list instead.
      if (err instanceof InvalidParameterError && err.parameter === 'format') {
        yield* this.list(migrationId, { ...options, pageSize: 1000 });
        return;
      }
      throw err;
    }
    for await (const line of lines(response.body!)) if (line.trim()) yield JSON.parse(line) as MigrationItem;
  }

  /** Every item as CSV (a header row, then one row per item): the response body, unparsed. */
  async csv(migrationId: string, options: ItemFilter = {}): Promise<ReadableStream<Uint8Array>> {
    try {
      return (await this.request(migrationId, 'csv', options)).body!;
    } catch (err) {
      // A server without streamed reports refuses `format`: write the same CSV from the JSON pages.
      if (!(err instanceof InvalidParameterError && err.parameter === 'format')) throw err;
      return ReadableStream.from(csvRows(this.list(migrationId, { ...options, pageSize: 1000 })));
    }
  }

  private request(id: string, format: 'csv' | 'ndjson', options: ItemFilter): Promise<Response> {
    return this.t.raw(`/v1/migrations/${encodeURIComponent(id)}/items`, {
      query: { format, status: options.status },
      headers: { accept: format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
      signal: options.signal,
    });
  }
}

const CSV_COLUMNS = [
  'path',
  'source_id',
  'destination_path',
  'note',
  'size',
  'status',
  'reason',
  'updated_at',
] as const;

async function* csvRows(items: AsyncIterable<MigrationItem>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const cell = (v: unknown) => {
    const text = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  yield encoder.encode(`${CSV_COLUMNS.join(',')}\r\n`);
  for await (const item of items)
    yield encoder.encode(`${CSV_COLUMNS.map((c) => cell(item[c])).join(',')}\r\n`);
}

async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    rest += decoder.decode(chunk, { stream: true });
    const parts = rest.split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  rest += decoder.decode();
  if (rest) yield rest;
}
