// Listing Drive folders through the shared folder walk (connectors/folder-walk.ts).
import type { drive_v3 } from '@googleapis/drive';
import { walkFolders } from '../folder-walk';
import type { ListOptions, ListPage } from '../types';
import type { DriveClient } from './client';
import { childPath, FILE_FIELDS, isFolder, joinPath, parsePath, toEntry } from './entries';
import { quote, resolveFolder } from './resolve';

export async function listDrive(
  client: DriveClient,
  path: string,
  options: ListOptions = {},
): Promise<ListPage> {
  const segments = parsePath(path);
  let folderId: string | undefined;
  const page = await walkFolders<drive_v3.Schema$File>(
    {
      folderId: async () => (folderId = options.id ?? (await resolveFolder(client, segments)).id!),
      async page(frame, pageSize) {
        const page = await client.call(`list ${frame.path}`, (o) =>
          client.api.files.list(
            {
              q: `${quote(frame.id)} in parents and trashed = false`,
              orderBy: 'folder,name,createdTime',
              pageSize,
              pageToken: frame.c ?? undefined,
              fields: `nextPageToken,files(${FILE_FIELDS})`,
            },
            o,
          ),
        );
        return { items: page.data.files ?? [], next: page.data.nextPageToken ?? null };
      },
      toEntry: (f, parent) => toEntry(f, childPath(parent, f.name ?? '')),
      isFolder,
      idOf: (f) => f.id!,
    },
    joinPath(segments),
    options,
  );
  return folderId ? { ...page, folderId } : page;
}
