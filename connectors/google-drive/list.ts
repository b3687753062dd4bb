// Listing: one folder's children, or (recursive) a depth-first walk folder by folder. The page token
// holds the walk's stack: per open folder its id, path, Drive page token and how many entries of that
// page were already returned, so it grows with the depth of the tree, not its size.
import type { drive_v3 } from '@googleapis/drive';
import { ConnectorError, type FileEntry, type ListOptions, type ListPage } from '../types';
import type { DriveClient } from './client';
import { childPath, FILE_FIELDS, isFolder, joinPath, parsePath, toEntry } from './entries';
import { quote, resolveFolder } from './resolve';

interface Frame {
  id: string;
  path: string;
  /** Drive's page token of the page being consumed; null for the first. */
  t: string | null;
  /** Entries of that page already returned. */
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

export async function listDrive(
  client: DriveClient,
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
    const folder = await resolveFolder(client, segments);
    stack = [{ id: folder.id!, path: listed, t: null, k: 0 }];
  }
  const entries: FileEntry[] = [];
  while (stack.length > 0 && entries.length < pageSize) {
    const top = stack[stack.length - 1]!;
    const page = await client.call(`list ${top.path}`, (o) =>
      client.api.files.list(
        {
          q: `${quote(top.id)} in parents and trashed = false`,
          orderBy: 'folder,name,createdTime',
          pageSize,
          pageToken: top.t ?? undefined,
          fields: `nextPageToken,files(${FILE_FIELDS})`,
        },
        o,
      ),
    );
    const files: drive_v3.Schema$File[] = page.data.files ?? [];
    let descended = false;
    while (top.k < files.length && entries.length < pageSize) {
      const f = files[top.k++]!;
      const entry = toEntry(f, childPath(top.path, f.name ?? ''));
      entries.push(entry);
      if (recursive && isFolder(f)) {
        stack.push({ id: f.id!, path: entry.path, t: null, k: 0 });
        descended = true;
        break;
      }
    }
    if (descended || top.k < files.length) continue;
    if (page.data.nextPageToken) {
      top.t = page.data.nextPageToken;
      top.k = 0;
    } else {
      stack.pop();
    }
  }
  const nextPageToken =
    stack.length > 0
      ? Buffer.from(JSON.stringify({ v: 1, p: listed, r: recursive, s: stack } satisfies Token)).toString(
          'base64url',
        )
      : null;
  return { entries, nextPageToken };
}
