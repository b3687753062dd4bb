// Every item of a migration in one response, as CSV or NDJSON. Read from the store one keyset page at a
// time and written only as fast as the client reads (pipeline waits for the socket to drain), so memory
// stays bounded whatever the migration's size; a client that goes away stops the reading.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import type { Logger } from '../../common/logger';
import type { Page } from '../../store';
import { ITEM_FORMATS, migrationItemSchema, type ItemFormat, type MigrationItemBody } from './items-schemas';

export type StreamFormat = Exclude<ItemFormat, 'json'>;

const MEDIA_TYPES: Record<ItemFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
};

export const CONTENT_TYPES: Record<StreamFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

/** The format asked for: `format` wins; else what Accept prefers among ours; else JSON pages. */
export function negotiateFormat(req: Request, format: ItemFormat | undefined): ItemFormat {
  if (format) return format;
  const preferred = req.accepts(ITEM_FORMATS.map((f) => MEDIA_TYPES[f]));
  return ITEM_FORMATS.find((f) => MEDIA_TYPES[f] === preferred) ?? 'json';
}

/** CSV columns: the JSON item's fields, a nested object's flattened (`checksum` → `checksum_algorithm`). */
export const CSV_COLUMNS: string[] = Object.entries(migrationItemSchema.shape).flatMap(([key, field]) => {
  const inner = (field as { unwrap?: () => unknown }).unwrap?.() ?? field;
  const shape = (inner as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape).map((k) => `${key}_${k}`) : [key];
});

function flatten(item: MigrationItemBody): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) row[`${key}_${k}`] = v;
    } else row[key] = value;
  }
  return row;
}

/**
 * RFC 4180 (CRLF, quotes doubled, fields with commas, quotes or line breaks quoted); a cell starting
 * with = + - @ tab or CR gets a leading ' so that a spreadsheet does not run a file name as a formula.
 */
const toCsv = (items: MigrationItemBody[], header: boolean): string =>
  stringify(items.map(flatten), {
    header,
    columns: CSV_COLUMNS,
    record_delimiter: 'windows',
    escape_formulas: true,
  });

const toNdjson = (items: MigrationItemBody[]): string =>
  items.map((item) => `${JSON.stringify(item)}\n`).join('');

/** One encoded chunk per page; the CSV header comes with the first (also when there are no items). */
async function* chunks(
  format: StreamFormat,
  first: Page<MigrationItemBody>,
  read: (token: string) => Promise<Page<MigrationItemBody>>,
): AsyncGenerator<string> {
  let page = first;
  for (let n = 0; ; n++) {
    const text = format === 'csv' ? toCsv(page.items, n === 0) : toNdjson(page.items);
    if (text) yield text;
    if (!page.nextPageToken) return;
    page = await read(page.nextPageToken);
  }
}

export interface ItemStream {
  format: StreamFormat;
  migrationId: string;
  /** A page of items: the first with a null token. */
  read(token: string | null): Promise<Page<MigrationItemBody>>;
  logger: Logger;
}

/**
 * Answers with every item. The first page is read before anything is sent, so that a failure there is
 * an error envelope; a failure later can only cut the connection (the client sees a truncated body).
 */
export async function sendItemStream(req: Request, res: Response, stream: ItemStream): Promise<void> {
  const first = await stream.read(null);
  res.status(200);
  res.set({
    'Content-Type': CONTENT_TYPES[stream.format],
    'Content-Disposition': `attachment; filename="migration-${stream.migrationId}-items.${stream.format}"`,
    'Cache-Control': 'no-store',
  });
  // One page waits at most: the next is read only once the socket took the last one.
  const source = Readable.from(chunks(stream.format, first, stream.read), { highWaterMark: 1 });
  try {
    await pipeline(source, res);
  } catch (err) {
    const log = req.log ?? stream.logger;
    if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' && req.socket.destroyed) {
      log.info({ migrationId: stream.migrationId }, 'items stream: the client went away');
      return;
    }
    log.error({ err, migrationId: stream.migrationId }, 'items stream failed midway; connection cut');
    res.destroy();
  }
}
