// Listing OneDrive folders through the shared folder walk (connectors/folder-walk.ts); the cursor of
// a page is the api() path of Graph's @odata.nextLink.
import { walkFolders } from '../folder-walk';
import type { ListOptions, ListPage } from '../types';
import type { GraphClient } from './client';
import { childPath, type GraphItem, type GraphPage, isFolder, joinPath, parsePath, toEntry } from './entries';
import { getFolder } from './resolve';

export async function listOneDrive(
  client: GraphClient,
  path: string,
  options: ListOptions = {},
): Promise<ListPage> {
  const segments = parsePath(path);
  let folderId: string | undefined;
  const page = await walkFolders<GraphItem>(
    {
      folderId: async () => (folderId = options.id ?? (await getFolder(client, segments)).id),
      async page(frame, pageSize) {
        const address =
          frame.c ?? `/me/drive/items/${encodeURIComponent(frame.id)}/children?$top=${pageSize}`;
        const page = await client.call(
          `list ${frame.path}`,
          () => client.api(address).get() as Promise<GraphPage>,
        );
        const next = page['@odata.nextLink'];
        return { items: page.value ?? [], next: next ? client.linkPath(next) : null };
      },
      toEntry: (item, parent) => toEntry(item, childPath(parent, item.name)),
      isFolder,
      idOf: (item) => item.id,
    },
    joinPath(segments),
    options,
  );
  return folderId ? { ...page, folderId } : page;
}
