// Paged listing for services that list one folder at a time (Drive, Graph): one folder's children,
// or with `recursive` a depth-first walk. The page token holds the walk's stack — per open folder its
// id, path, the service's cursor for the page being consumed and how many of its entries were already
// returned — so it grows with the depth of the tree, not its size.
import { invalidParameter } from '../common/errors';
import type { FileEntry, ListOptions, ListPage } from './types';

export interface Frame {
  id: string;
  path: string;
  /** The service's cursor of the page being consumed; null for the first page. */
  c: string | null;
  /** Entries of that page already returned. */
  k: number;
}

interface Token {
  v: 1;
  p: string;
  r: boolean;
  s: Frame[];
}

export interface FolderSource<Item> {
  /** Id of the folder at `path` (throws not_found / wrong_type). */
  folderId(): Promise<string>;
  /** One page of a folder's children, and the cursor of the next page (null at the end). */
  page(frame: Frame, pageSize: number): Promise<{ items: Item[]; next: string | null }>;
  toEntry(item: Item, parentPath: string): FileEntry;
  isFolder(item: Item): boolean;
  idOf(item: Item): string;
}

const isFrame = (f: unknown): f is Frame => {
  const x = f as Partial<Frame> | null;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.id === 'string' &&
    typeof x.path === 'string' &&
    (x.c === null || typeof x.c === 'string') &&
    Number.isSafeInteger(x.k) &&
    x.k! >= 0
  );
};

/** The walk's stack, checked to belong to this listing and to be well formed (a service's cursor is
 *  still the service's to accept: each connector checks its own before use). */
function decode(token: string, path: string, recursive: boolean): Frame[] {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<Token> | null;
    if (
      t?.v === 1 &&
      t.p === path &&
      t.r === recursive &&
      Array.isArray(t.s) &&
      t.s.length > 0 &&
      (recursive || t.s.length === 1) &&
      t.s.every(isFrame)
    ) {
      return t.s;
    }
  } catch {
    // Reported below.
  }
  throw invalidParameter(
    'page_token',
    'is malformed or belongs to another listing',
    'Pass the next_page_token of the previous page unchanged',
  );
}

export async function walkFolders<Item>(
  source: FolderSource<Item>,
  path: string,
  options: ListOptions = {},
): Promise<ListPage> {
  const recursive = options.recursive ?? false;
  const pageSize = Math.max(1, Math.min(1000, options.pageSize ?? 1000));
  const stack: Frame[] = options.pageToken
    ? decode(options.pageToken, path, recursive)
    : [{ id: await source.folderId(), path, c: null, k: 0 }];
  const entries: FileEntry[] = [];
  while (stack.length > 0 && entries.length < pageSize) {
    const top = stack[stack.length - 1]!;
    const page = await source.page(top, pageSize);
    let descended = false;
    while (top.k < page.items.length && entries.length < pageSize) {
      const item = page.items[top.k++]!;
      const entry = source.toEntry(item, top.path);
      entries.push(entry);
      if (recursive && source.isFolder(item)) {
        stack.push({ id: source.idOf(item), path: entry.path, c: null, k: 0 });
        descended = true;
        break;
      }
    }
    if (descended || top.k < page.items.length) continue;
    if (page.next) {
      top.c = page.next;
      top.k = 0;
    } else {
      stack.pop();
    }
  }
  const token: Token = { v: 1, p: path, r: recursive, s: stack };
  return {
    entries,
    nextPageToken: stack.length > 0 ? Buffer.from(JSON.stringify(token)).toString('base64url') : null,
  };
}
