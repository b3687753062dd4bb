// Listing: one folder's children, or (recursive) a depth-first walk folder by folder. The page token
// holds the walk's stack: per open folder its id, path, the Graph page link being consumed and how
// many of its entries were returned, so it grows with the depth of the tree, not its size.
import { ConnectorError, type FileEntry, type ListOptions, type ListPage } from '../types';
import type { GraphClient } from './client';
import { childPath, type GraphPage, isFolder, joinPath, parsePath, toEntry } from './entries';
import { getFolder } from './resolve';

interface Frame {
  id: string;
  path: string;
  /** The Graph page being consumed (an api() path from @odata.nextLink); null for the first. */
  l: string | null;
  k: number;
}

interface Token {
  v: 1;
  p: string;
  r: boolean;
  s: Frame[];
}

function decode(token: string, path: string, recursive: boolean): Frame[] {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Token;
    if (t.v === 1 && t.p === path && t.r === recursive && Array.isArray(t.s) && t.s.length > 0) return t.s;
  } catch {
    // Reported below.
  }
  throw new ConnectorError('invalid_path', 'The page token is malformed or belongs to another listing');
}

export async function listOneDrive(
  client: GraphClient,
  path: string,
  options: ListOptions = {},
): Promise<ListPage> {
  const segments = parsePath(path);
  const listed = joinPath(segments);
  const recursive = options.recursive ?? false;
  const pageSize = Math.max(1, Math.min(1000, options.pageSize ?? 1000));
  let stack: Frame[];
  if (options.pageToken) {
    stack = decode(options.pageToken, listed, recursive);
  } else {
    const folder = await getFolder(client, segments);
    stack = [{ id: folder.id, path: listed, l: null, k: 0 }];
  }
  const entries: FileEntry[] = [];
  while (stack.length > 0 && entries.length < pageSize) {
    const top = stack[stack.length - 1]!;
    const address = top.l ?? `/me/drive/items/${encodeURIComponent(top.id)}/children?$top=${pageSize}`;
    const page = await client.call(`list ${top.path}`, () => client.api(address).get() as Promise<GraphPage>);
    const items = page.value ?? [];
    let descended = false;
    while (top.k < items.length && entries.length < pageSize) {
      const item = items[top.k++]!;
      const entry = toEntry(item, childPath(top.path, item.name));
      entries.push(entry);
      if (recursive && isFolder(item)) {
        stack.push({ id: item.id, path: entry.path, l: null, k: 0 });
        descended = true;
        break;
      }
    }
    if (descended || top.k < items.length) continue;
    const next = page['@odata.nextLink'];
    if (next) {
      top.l = client.linkPath(next);
      top.k = 0;
    } else {
      stack.pop();
    }
  }
  const token: Token = { v: 1, p: listed, r: recursive, s: stack };
  return {
    entries,
    nextPageToken: stack.length > 0 ? Buffer.from(JSON.stringify(token)).toString('base64url') : null,
  };
}
