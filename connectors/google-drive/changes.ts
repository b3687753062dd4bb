// Drive's change feed: changes.getStartPageToken for the position now, changes.list from a saved one.
// The feed covers the whole of My Drive and names files by id: each changed file's path is rebuilt
// through its parents (folders looked up once per connector), and changes outside the synced folder
// are dropped — except a file now outside it, which may have been moved out and is reported deleted.
// Removed files come with their id only: the caller knows where they were.
import type { drive_v3 } from '@googleapis/drive';
import { isWithin } from '../../common/paths';
import { type Change, type ChangeFeed, type ChangePage, ConnectorError, isConnectorError } from '../types';
import type { DriveClient } from './client';
import { childPath, FILE_FIELDS, joinPath, parsePath, toEntry } from './entries';
import { resolveFolder } from './resolve';

const PAGE_SIZE = 1000;
const PARENT_FIELDS = 'id,name,parents,trashed,mimeType';

export function driveChangeFeed(client: DriveClient): ChangeFeed {
  return {
    reportsMovedContents: false,
    async cursor(path) {
      await resolveFolder(client, parsePath(path));
      const res = await client.call('get the changes start token', (o) =>
        client.api.changes.getStartPageToken({}, o),
      );
      const token = res.data.startPageToken;
      if (!token) throw new ConnectorError('retryable', 'Drive answered no startPageToken');
      return token;
    },
    list: (path, cursor) => listChanges(client, joinPath(parsePath(path)), cursor),
  };
}

async function listChanges(client: DriveClient, folder: string, cursor: string): Promise<ChangePage> {
  let res;
  try {
    res = await client.call('list changes', (o) =>
      client.api.changes.list(
        {
          pageToken: cursor,
          pageSize: PAGE_SIZE,
          includeRemoved: true,
          spaces: 'drive',
          fields: `nextPageToken,newStartPageToken,changes(fileId,removed,file(${FILE_FIELDS},trashed))`,
        },
        o,
      ),
    );
  } catch (err) {
    // Drive refuses a page token it no longer knows as an invalid value.
    if (isConnectorError(err, 'fatal_file') || isConnectorError(err, 'not_found')) {
      throw new ConnectorError('expired_cursor', `Drive refused the saved change token: ${err.message}`);
    }
    throw err;
  }
  const paths = new ParentPaths(client);
  const changes: Change[] = [];
  for (const c of res.data.changes ?? []) {
    const id = c.fileId ?? c.file?.id ?? null;
    if (c.removed || !c.file || c.file.trashed) {
      changes.push({ type: 'delete', id, path: null });
      continue;
    }
    const path = await paths.pathOf(c.file);
    if (path === folder) continue;
    if (path !== null && isWithin(folder, path))
      changes.push({ type: 'upsert', entry: toEntry(c.file, path) });
    // Outside the folder now (or in the trash through a parent): gone from the caller's view.
    else changes.push({ type: 'delete', id, path: null });
  }
  const next = res.data.nextPageToken;
  const cursorOut = next ?? res.data.newStartPageToken;
  if (!cursorOut) throw new ConnectorError('retryable', 'Drive answered a change page without a token');
  return { changes, cursor: cursorOut, hasMore: Boolean(next) };
}

/** Paths of folders by id, looked up through their parents (each folder once). */
class ParentPaths {
  private readonly byId = new Map<string, string | null>();
  private rootId: string | null = null;

  constructor(private readonly client: DriveClient) {}

  /** The file's path below My Drive; null when it is not there (trashed ancestor, shared elsewhere). */
  async pathOf(file: drive_v3.Schema$File): Promise<string | null> {
    const parent = file.parents?.[0];
    if (!parent) return null;
    const folder = await this.folderPath(parent, 0);
    return folder === null ? null : childPath(folder, file.name ?? '');
  }

  private async folderPath(id: string, depth: number): Promise<string | null> {
    if (id === 'root' || id === (await this.root())) return '/';
    if (this.byId.has(id)) return this.byId.get(id)!;
    if (depth > 200) return null;
    const f = await this.get(id);
    const path = !f || f.trashed || !f.parents?.[0] ? null : await this.folderPath(f.parents[0], depth + 1);
    const full = path === null || !f ? null : childPath(path, f.name ?? '');
    this.byId.set(id, full);
    return full;
  }

  private async root(): Promise<string | null> {
    this.rootId ??= (await this.get('root'))?.id ?? null;
    return this.rootId;
  }

  private async get(id: string): Promise<drive_v3.Schema$File | null> {
    try {
      const res = await this.client.call(`get folder ${id}`, (o) =>
        this.client.api.files.get({ fileId: id, fields: PARENT_FIELDS }, o),
      );
      return res.data;
    } catch (err) {
      if (isConnectorError(err, 'not_found')) return null;
      throw err;
    }
  }
}
