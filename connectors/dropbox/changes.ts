// Dropbox's change feed: list_folder/get_latest_cursor (recursive, deleted entries included) for the
// position now, list_folder/continue from a saved cursor. Entries carry their paths, deleted ones too,
// and a moved folder comes as its old path deleted and every item at the new one. `reset` means the
// cursor is no longer valid.
import { type Change, type ChangeFeed, ConnectorError, isConnectorError } from '../types';
import type { DropboxClient } from './client';
import { toDropboxPath, toEntry } from './entries';
import { summaryOf } from './errors';

export function dropboxChangeFeed(client: DropboxClient): ChangeFeed {
  return {
    reportsMovedContents: true,
    async cursor(path) {
      const res = await client.call(`get the latest cursor of ${path}`, (api) =>
        api.filesListFolderGetLatestCursor({
          path: toDropboxPath(path),
          recursive: true,
          include_deleted: true,
        }),
      );
      return res.cursor;
    },
    async list(path, cursor) {
      let res;
      try {
        res = await client.call(`list changes below ${path}`, (api) =>
          api.filesListFolderContinue({ cursor }),
        );
      } catch (err) {
        if (isConnectorError(err) && /^reset(\/|$)/.test(summaryOf(err.cause))) {
          throw new ConnectorError('expired_cursor', `Dropbox reset the saved cursor: ${err.message}`);
        }
        throw err;
      }
      const self = toDropboxPath(path).toLowerCase();
      const changes: Change[] = [];
      for (const m of res.entries) {
        if (m.path_lower === self) continue;
        if (m['.tag'] === 'deleted') {
          changes.push({ type: 'delete', id: null, path: m.path_display ?? m.path_lower ?? null });
        } else changes.push({ type: 'upsert', entry: toEntry(m) });
      }
      return { changes, cursor: res.cursor, hasMore: res.has_more };
    },
  };
}
