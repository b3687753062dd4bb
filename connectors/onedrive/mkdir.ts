// mkdir -p: each missing folder is created under its parent's id with conflictBehavior "fail"; a 409
// (made meanwhile, or existing) is fine when the item there is a folder. Folders this client made or
// found are remembered (a connector lives for one activity), so a tree's folders cost one request each.
import { ConnectorError, type FileEntry, type MkdirOptions } from '../types';
import type { GraphClient } from './client';
import { checkName, type GraphItem, isFolder, joinPath, parsePath, toEntry } from './entries';
import { findChild, getItem } from './resolve';

const known = new WeakMap<GraphClient, Map<string, GraphItem>>();
const KNOWN_MAX = 10_000;

function knownOf(client: GraphClient): Map<string, GraphItem> {
  let folders = known.get(client);
  if (!folders) known.set(client, (folders = new Map()));
  return folders;
}

function remember(client: GraphClient, path: string, item: GraphItem): void {
  const folders = knownOf(client);
  if (folders.size < KNOWN_MAX) folders.set(path, item);
}

/** Forgets the folders at and below `path` (after a delete). */
export function forgetOneDriveFolders(client: GraphClient, path: string): void {
  const folders = knownOf(client);
  for (const key of [...folders.keys()]) if (key === path || key.startsWith(`${path}/`)) folders.delete(key);
}

export async function mkdirOneDrive(
  client: GraphClient,
  path: string,
  options: MkdirOptions = {},
): Promise<FileEntry> {
  const segments = parsePath(path);
  segments.forEach((s, i) => checkName(s, joinPath(segments.slice(0, i + 1))));
  const folders = knownOf(client);
  const full = joinPath(segments);
  const had = folders.get(full);
  if (had) return toEntry(had, full);
  // The parent given by the caller (MkdirOptions), or the deepest folder this client knows: below it,
  // a folder is made (or found made) in one request.
  let start = segments.length - 1;
  let parent: GraphItem | undefined =
    options.parentId && start >= 0 ? { id: options.parentId, name: '', folder: {} } : undefined;
  if (!parent) {
    while (start > 0 && !folders.has(joinPath(segments.slice(0, start)))) start--;
    parent = start > 0 ? folders.get(joinPath(segments.slice(0, start))) : undefined;
  }
  let fromRoot = false;
  if (!parent) {
    fromRoot = true;
    try {
      const existing = await getItem(client, segments);
      if (!isFolder(existing)) throw new ConnectorError('wrong_type', `${full} is a file`);
      remember(client, full, existing);
      return toEntry(existing, full);
    } catch (err) {
      if (!(err instanceof ConnectorError && err.kind === 'not_found')) throw err;
    }
    parent = await getItem(client, []);
    start = 0;
  }
  for (let i = start; i < segments.length; i++) {
    const name = segments[i]!;
    const here = joinPath(segments.slice(0, i + 1));
    const within: GraphItem = parent;
    // Below a known (or just made) folder the create comes first: a 409 says the folder is there.
    let item: GraphItem | null = fromRoot && i === 0 ? await findChild(client, within.id, name) : null;
    if (!item) {
      try {
        item = await client.call(
          `create folder ${here}`,
          () =>
            client.api(`/me/drive/items/${encodeURIComponent(within.id)}/children`).post({
              name,
              folder: {},
              '@microsoft.graph.conflictBehavior': 'fail',
            }) as Promise<GraphItem>,
        );
      } catch (err) {
        if (!(err instanceof ConnectorError && err.kind === 'already_exists')) throw err;
        item = await findChild(client, within.id, name);
        if (!item) throw err;
      }
    }
    if (!isFolder(item)) throw new ConnectorError('wrong_type', `${here} is a file`);
    remember(client, here, item);
    parent = item;
  }
  return toEntry(parent, full);
}
