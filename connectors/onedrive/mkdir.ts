// mkdir -p: each missing folder is created under its parent's id with conflictBehavior "fail"; a 409
// (made meanwhile, or existing) is fine when the item there is a folder.
import { ConnectorError, type FileEntry } from '../types';
import type { GraphClient } from './client';
import { checkName, type GraphItem, isFolder, joinPath, parsePath, toEntry } from './entries';
import { findChild, getItem } from './resolve';

export async function mkdirOneDrive(client: GraphClient, path: string): Promise<FileEntry> {
  const segments = parsePath(path);
  segments.forEach((s, i) => checkName(s, joinPath(segments.slice(0, i + 1))));
  try {
    const existing = await getItem(client, segments);
    if (!isFolder(existing)) throw new ConnectorError('wrong_type', `${joinPath(segments)} is a file`);
    return toEntry(existing, joinPath(segments));
  } catch (err) {
    if (!(err instanceof ConnectorError && err.kind === 'not_found')) throw err;
  }
  let parent = await getItem(client, []);
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i]!;
    const here = joinPath(segments.slice(0, i + 1));
    let item = await findChild(client, parent.id, name);
    if (!item) {
      try {
        item = await client.call(
          `create folder ${here}`,
          () =>
            client.api(`/me/drive/items/${encodeURIComponent(parent.id)}/children`).post({
              name,
              folder: {},
              '@microsoft.graph.conflictBehavior': 'fail',
            }) as Promise<GraphItem>,
        );
      } catch (err) {
        if (!(err instanceof ConnectorError && err.kind === 'already_exists')) throw err;
        item = await findChild(client, parent.id, name);
        if (!item) throw err;
      }
    }
    if (!isFolder(item)) throw new ConnectorError('wrong_type', `${here} is a file`);
    parent = item;
  }
  return toEntry(parent, joinPath(segments));
}
