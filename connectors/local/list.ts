// Paged listing of a local folder. Order is stable: names sorted by UTF-16 code units, depth first, each
// folder before its descendants. A page token holds the last emitted path; the next page descends
// straight along it (one readdir per level) instead of re-walking everything before it, and the walk
// holds only the sorted names of the folders on the current branch, never the whole tree.
//
// Symlinks: one pointing inside the root is followed and listed as its target's kind (file or folder);
// symlinked folders are not descended into by a recursive listing, which rules out loops and duplicates.
// Symlinks leading outside the root, dangling ones, sockets, FIFOs, devices and our own in-progress
// `.mc-partial-` files are skipped silently: no connector call could use them.
import path from 'node:path';
import { invalidParameter } from '../../common/errors';
import { ConnectorError, type FileEntry, type ListOptions, type ListPage } from '../types';
import { toEntry } from './entries';
import { pooledCalls, type FsCalls } from './fs-calls';
import { fsErrorCode, mapFsError } from './fs-errors';
import { decodePageToken, encodePageToken } from './page-token';
import { isInside, resolveExisting, toConnectorPath } from './paths';
import { PARTIAL_PREFIX } from './write';

export const MAX_PAGE_SIZE = 1000;

interface Folder {
  real: string;
  path: string;
  rel: string[];
}

interface Item extends Folder {
  entry: FileEntry;
  /** A real folder (not a symlink) that a recursive listing walks into. */
  descend: boolean;
}

function pageSizeOf(options: ListOptions): number {
  const size = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1)
    throw invalidParameter('page_size', 'must be an integer from 1 to 1000');
  return Math.min(size, MAX_PAGE_SIZE);
}

export async function listFolder(
  rootReal: string,
  segments: string[],
  options: ListOptions = {},
  calls: FsCalls = pooledCalls,
): Promise<ListPage> {
  const listedPath = toConnectorPath(segments);
  const recursive = options.recursive ?? false;
  const pageSize = pageSizeOf(options);
  const after = options.pageToken ? decodePageToken(options.pageToken, listedPath, recursive) : null;

  const real = await resolveExisting(rootReal, segments, calls);
  const stats = await calls.stat(real).catch((err: unknown) => {
    throw mapFsError(err, listedPath);
  });
  if (!stats.isDirectory()) throw new ConnectorError('wrong_type', `${listedPath} is not a folder`);

  const walker = new Walker(rootReal, recursive, calls);
  const items = walker.walk({ real, path: listedPath, rel: [] }, after, true);
  const entries: FileEntry[] = [];
  let last: Item | undefined;
  try {
    while (entries.length < pageSize) {
      const next = await items.next();
      if (next.done) return { entries, nextPageToken: null };
      last = next.value;
      entries.push(last.entry);
    }
    // Peek so that the last page says so, rather than leaving the caller one empty page to fetch.
    const more = await items.next();
    return { entries, nextPageToken: more.done ? null : encodePageToken(listedPath, recursive, last!.rel) };
  } finally {
    await items.return(undefined);
  }
}

class Walker {
  constructor(
    private readonly rootReal: string,
    private readonly recursive: boolean,
    private readonly calls: FsCalls,
  ) {}

  /** Items below `folder` in order, starting after the entry whose segments are `after` (null: from the start). */
  async *walk(folder: Folder, after: string[] | null, top = false): AsyncGenerator<Item> {
    const names = await this.sortedNames(folder, top);
    let i = 0;
    if (after) {
      i = lowerBound(names, after[0]);
      if (names[i] === after[0]) {
        // That entry was emitted already; only its descendants (past `after`, if it went deeper) remain.
        if (this.recursive) {
          const child = await this.item(folder, names[i]);
          if (child?.descend) yield* this.walk(child, after.length > 1 ? after.slice(1) : null);
        }
        i++;
      }
    }
    for (; i < names.length; i++) {
      const child = await this.item(folder, names[i]);
      if (!child) continue;
      yield child;
      if (this.recursive && child.descend) yield* this.walk(child, null);
    }
  }

  private async sortedNames(folder: Folder, top: boolean): Promise<string[]> {
    try {
      const names = await this.calls.readdir(folder.real);
      return names.filter((n) => !n.startsWith(PARTIAL_PREFIX)).sort(compareCodeUnits);
    } catch (err) {
      // A folder deleted while we walk past it simply has no more children.
      if (!top && fsErrorCode(err) === 'ENOENT') return [];
      throw mapFsError(err, folder.path);
    }
  }

  private async item(folder: Folder, name: string): Promise<Item | null> {
    const host = path.join(folder.real, name);
    const connectorPath = folder.path === '/' ? `/${name}` : `${folder.path}/${name}`;
    const rel = [...folder.rel, name];
    try {
      const lstats = await this.calls.lstat(host);
      if (!lstats.isSymbolicLink()) {
        const entry = toEntry(connectorPath, lstats);
        return entry && { entry, real: host, path: connectorPath, rel, descend: lstats.isDirectory() };
      }
      const target = await this.calls.realpath(host);
      if (!isInside(this.rootReal, target)) return null;
      const entry = toEntry(connectorPath, await this.calls.stat(target));
      return entry && { entry, real: target, path: connectorPath, rel, descend: false };
    } catch (err) {
      // Gone since readdir, a dangling link, or a name that is not valid UTF-8 (unreachable by path).
      if (fsErrorCode(err) === 'ENOENT' || fsErrorCode(err) === 'ELOOP') return null;
      throw mapFsError(err, connectorPath);
    }
  }
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Index of the first name not less than `name` in sorted `names`. */
function lowerBound(names: string[], name: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (names[mid] < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
