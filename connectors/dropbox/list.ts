// Listing with Dropbox's own paging: list_folder (recursive when asked) and list_folder/continue. Our
// page token wraps Dropbox's cursor with the listing it belongs to, so a foreign or mangled token is
// refused as a bad parameter instead of reaching Dropbox.
import type { files } from 'dropbox';
import { invalidParameter } from '../../common/errors';
import type { FileEntry, ListOptions, ListPage } from '../types';
import type { DropboxClient } from './client';
import { toDropboxPath, toEntry } from './entries';

interface Token {
  v: 1;
  p: string;
  r: boolean;
  c: string;
}

function cursorOf(token: string, path: string, recursive: boolean): string {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Token;
    if (t.v === 1 && t.p === path && t.r === recursive && typeof t.c === 'string') return t.c;
  } catch {
    // Reported below.
  }
  throw invalidParameter(
    'page_token',
    'is malformed or belongs to another listing',
    'Pass the next_page_token of the previous page unchanged',
  );
}

export async function listDropbox(
  client: DropboxClient,
  path: string,
  opts: ListOptions = {},
): Promise<ListPage> {
  // Dropbox takes an "id:…" wherever it takes a path.
  const folder = opts.id ?? toDropboxPath(path);
  const recursive = opts.recursive === true;
  const limit = Math.min(Math.max(opts.pageSize ?? 1000, 1), 1000);
  const cursor = opts.pageToken ? cursorOf(opts.pageToken, path, recursive) : null;
  const res: files.ListFolderResult = cursor
    ? await client.call(`list ${path}`, (api) => api.filesListFolderContinue({ cursor }))
    : await client.call(`list ${path}`, (api) => api.filesListFolder({ path: folder, recursive, limit }));
  const self = folder.toLowerCase();
  const entries: FileEntry[] = res.entries
    // A recursive listing includes the folder itself; deleted entries only come from change feeds.
    .filter((m) => m['.tag'] !== 'deleted' && m.path_lower !== self)
    .map(toEntry);
  const token: Token = { v: 1, p: path, r: recursive, c: res.cursor };
  return {
    entries,
    nextPageToken: res.has_more ? Buffer.from(JSON.stringify(token)).toString('base64url') : null,
  };
}
