// Path → Drive file: walks names from the root folder. Names are not unique in Drive: the oldest
// match (by createdTime) wins, the same choice every call makes, so a path always means one file.
import type { drive_v3 } from '@googleapis/drive';
import { ConnectorError } from '../types';
import type { DriveClient } from './client';
import { FILE_FIELDS, isFolder, joinPath } from './entries';

/** A string literal in Drive's query language. */
export const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export const ROOT: drive_v3.Schema$File = {
  id: 'root',
  name: '',
  mimeType: 'application/vnd.google-apps.folder',
};

export async function findChild(
  client: DriveClient,
  parentId: string,
  name: string,
): Promise<drive_v3.Schema$File | null> {
  const res = await client.call('find ' + name, (o) =>
    client.api.files.list(
      {
        q: `${quote(parentId)} in parents and name = ${quote(name)} and trashed = false`,
        orderBy: 'createdTime',
        pageSize: 1,
        fields: `files(${FILE_FIELDS})`,
      },
      o,
    ),
  );
  return res.data.files?.[0] ?? null;
}

/**
 * Folders already resolved by this client, by path: a batch of files in the same folders would
 * otherwise walk every path from the root, one files.list per segment (the bulk of a copy's Drive
 * requests). A connector lives for one activity, so a stale entry lasts no longer than that.
 */
const folderCache = new WeakMap<DriveClient, Map<string, drive_v3.Schema$File>>();
const FOLDER_CACHE_MAX = 10_000;

function cacheOf(client: DriveClient): Map<string, drive_v3.Schema$File> {
  let cache = folderCache.get(client);
  if (!cache) folderCache.set(client, (cache = new Map()));
  return cache;
}

/** The folder at `path` when this client has already resolved or made it. */
export const cachedFolder = (client: DriveClient, path: string): drive_v3.Schema$File | undefined =>
  cacheOf(client).get(path);

/** Remembers the folder at `path` (made or found by this client). */
export function rememberFolder(client: DriveClient, path: string, folder: drive_v3.Schema$File): void {
  const cache = cacheOf(client);
  if (isFolder(folder) && cache.size < FOLDER_CACHE_MAX) cache.set(path, folder);
}

/** Drops the cached folder at `path` and those below it (after a delete). */
export function forgetFolders(client: DriveClient, path: string): void {
  const cache = cacheOf(client);
  for (const key of [...cache.keys()]) if (key === path || key.startsWith(`${path}/`)) cache.delete(key);
}

/** The file at `segments`; not_found when a segment is missing, wrong_type when a parent is a file. */
export async function resolvePath(client: DriveClient, segments: string[]): Promise<drive_v3.Schema$File> {
  const cache = cacheOf(client);
  const known = segments.length > 0 ? cache.get(joinPath(segments)) : undefined;
  if (known) return known;
  // Start from the deepest cached ancestor folder.
  let start = segments.length - 1;
  while (start > 0 && !cache.has(joinPath(segments.slice(0, start)))) start--;
  let current = start > 0 ? cache.get(joinPath(segments.slice(0, start)))! : ROOT;
  for (let i = Math.max(start, 0); i < segments.length; i++) {
    if (!isFolder(current)) {
      throw new ConnectorError('wrong_type', `${joinPath(segments.slice(0, i))} is not a folder`);
    }
    const next = await findChild(client, current.id!, segments[i]!);
    if (!next) throw new ConnectorError('not_found', `${joinPath(segments.slice(0, i + 1))} does not exist`);
    current = next;
    if (isFolder(current) && cache.size < FOLDER_CACHE_MAX)
      cache.set(joinPath(segments.slice(0, i + 1)), current);
  }
  return current;
}

/** The file with this id (not_found when there is none). */
export async function getFile(client: DriveClient, id: string): Promise<drive_v3.Schema$File> {
  const res = await client.call('get ' + id, (o) =>
    client.api.files.get({ fileId: id, fields: FILE_FIELDS }, o),
  );
  return res.data;
}

export async function resolveFolder(client: DriveClient, segments: string[]): Promise<drive_v3.Schema$File> {
  const f = await resolvePath(client, segments);
  if (!isFolder(f)) throw new ConnectorError('wrong_type', `${joinPath(segments)} is not a folder`);
  return f;
}
