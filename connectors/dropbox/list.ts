// Listing with Dropbox's own paging: list_folder (recursive when asked) and list_folder/continue. The
// page token is Dropbox's cursor, which carries the folder and the recursive flag itself.
import type { files } from 'dropbox';
import type { FileEntry, ListOptions, ListPage } from '../types';
import type { DropboxClient } from './client';
import { toDropboxPath, toEntry } from './entries';

export async function listDropbox(
  client: DropboxClient,
  path: string,
  opts: ListOptions = {},
): Promise<ListPage> {
  const folder = toDropboxPath(path);
  const limit = Math.min(Math.max(opts.pageSize ?? 1000, 1), 1000);
  const res: files.ListFolderResult = opts.pageToken
    ? await client.call(`list ${path}`, (api) => api.filesListFolderContinue({ cursor: opts.pageToken! }))
    : await client.call(`list ${path}`, (api) =>
        api.filesListFolder({ path: folder, recursive: opts.recursive === true, limit }),
      );
  const self = folder.toLowerCase();
  const entries: FileEntry[] = res.entries
    // A recursive listing includes the folder itself; deleted entries only come from change feeds.
    .filter((m) => m['.tag'] !== 'deleted' && m.path_lower !== self)
    .map(toEntry);
  return { entries, nextPageToken: res.has_more ? res.cursor : null };
}
