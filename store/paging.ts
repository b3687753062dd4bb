// Keyset paging: an opaque token carries the (created_at, id) of the last row served.
// Tokens are validated here so a tampered token is a 400 naming page_token, never a database error.
import { invalidParameter } from '../common/errors';
import type { IdPrefix } from '../common/ids';

export interface Page<T> {
  items: T[];
  nextPageToken: string | null;
}

export interface PageRequest {
  pageSize: number;
  pageToken?: string | null;
}

export const MAX_PAGE_SIZE = 1000;

export interface Cursor {
  createdAt: string;
  id: string;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor in `page.pageToken` (undefined for the first page) and the validated page size. */
export function readPageRequest(page: PageRequest, idPrefix: IdPrefix): { size: number; after?: Cursor } {
  const size = readPageSize(page);
  if (page.pageToken === undefined || page.pageToken === null || page.pageToken === '') return { size };
  return { size, after: decodeCursor(page.pageToken, idPrefix) };
}

/** The validated page size (lists with their own kind of token use this alone). */
export function readPageSize(page: PageRequest): number {
  const size = page.pageSize;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw invalidParameter('page_size', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return size;
}

function decodeCursor(token: string, idPrefix: IdPrefix): Cursor {
  const bad = () =>
    invalidParameter(
      'page_token',
      'is not a valid page token',
      'Pass the next_page_token of the previous page unchanged.',
    );
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(token)) throw bad();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw bad();
  const [createdAt, id] = decoded as unknown[];
  // The id prefix also rejects a token minted for another list (a connections token on migrations).
  const idPattern = new RegExp(`^${idPrefix}_[0-9A-Za-z]{1,64}$`);
  if (typeof createdAt !== 'string' || !ISO_UTC.test(createdAt)) throw bad();
  if (typeof id !== 'string' || !idPattern.test(id)) throw bad();
  return { createdAt, id };
}

/** Rows were fetched with limit size + 1: the extra row only tells whether another page exists. */
export function toPage<R extends { created_at: string; id: string }, T>(
  rows: R[],
  size: number,
  map: (row: R) => T,
): Page<T> {
  const hasMore = rows.length > size;
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return {
    items: items.map(map),
    nextPageToken: hasMore && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
  };
}
