// Graph's delta feed on the drive root: `?token=latest` gives the position now (its deltaLink), and
// following a saved deltaLink lists every item changed since, each once. Graph leaves
// parentReference.path out of delta answers (items must be tracked by id), so each changed item's path
// is rebuilt from its parent's id (GET items/{id}, once per folder and page). Deleted items come with
// their id only. A 410 (resyncRequired, resyncChangesApplyDifferences…) means the token has expired.
import { GraphError } from '@microsoft/microsoft-graph-client';
import { isWithin } from '../../common/paths';
import { type Change, type ChangeFeed, type ChangePage, ConnectorError } from '../types';
import type { GraphClient } from './client';
import { childPath, type GraphItem, joinPath, parsePath, toEntry } from './entries';
import { getFolder } from './resolve';

interface DeltaPage {
  value: (GraphItem & { parentReference?: { id?: string; path?: string } })[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const DELTA = '/me/drive/root/delta';

export function oneDriveChangeFeed(client: GraphClient): ChangeFeed {
  const get = (what: string, path: string) =>
    client.call(what, async () => {
      try {
        return (await client.api(path).get()) as DeltaPage;
      } catch (err) {
        if (err instanceof GraphError && err.statusCode === 410) {
          throw new ConnectorError('expired_cursor', `${what}: 410 ${err.code ?? ''} (${err.message})`);
        }
        throw err;
      }
    });
  return {
    reportsMovedContents: false,
    async cursor(path) {
      await getFolder(client, parsePath(path));
      const page = await get('get the latest delta token', `${DELTA}?token=latest`);
      const link = page['@odata.deltaLink'];
      if (!link) throw new ConnectorError('retryable', 'Graph answered no deltaLink');
      return client.linkPath(link);
    },
    async list(path, cursor) {
      if (!cursor.startsWith(`${DELTA}?`)) {
        throw new ConnectorError('expired_cursor', `Not a delta position of this drive: ${cursor}`);
      }
      const page = await get('list changes', cursor);
      return toChangePage(client, joinPath(parsePath(path)), page);
    },
  };
}

async function toChangePage(client: GraphClient, folder: string, page: DeltaPage): Promise<ChangePage> {
  const paths = new FolderPaths(client);
  const changes: Change[] = [];
  for (const item of page.value) {
    if (item.root) continue;
    if (item.deleted) {
      changes.push({ type: 'delete', id: item.id, path: null });
      continue;
    }
    const parent = item.parentReference?.id;
    const parentPath = parent ? await paths.of(parent) : null;
    const path = parentPath === null ? null : childPath(parentPath, item.name);
    if (path !== null && item.folder) paths.remember(item.id, path);
    if (path === folder) continue;
    if (path !== null && isWithin(folder, path)) changes.push({ type: 'upsert', entry: toEntry(item, path) });
    else changes.push({ type: 'delete', id: item.id, path: null });
  }
  const next = page['@odata.nextLink'];
  const link = next ?? page['@odata.deltaLink'];
  if (!link) throw new ConnectorError('retryable', 'Graph answered a delta page without a link');
  return { changes, cursor: client.linkPath(link), hasMore: Boolean(next) };
}

/** Folder paths by id: from this page's own folders, else from GET items/{id} (its parent's path). */
class FolderPaths {
  private readonly byId = new Map<string, string | null>();

  constructor(private readonly client: GraphClient) {}

  remember(id: string, path: string): void {
    this.byId.set(id, path);
  }

  async of(id: string): Promise<string | null> {
    if (this.byId.has(id)) return this.byId.get(id)!;
    let path: string | null = null;
    try {
      const item = (await this.client.call(`get folder ${id}`, () =>
        this.client.api(`/me/drive/items/${encodeURIComponent(id)}`).get(),
      )) as GraphItem & { parentReference?: { path?: string } };
      path = item.root ? '/' : pathFromReference(item.parentReference?.path, item.name);
    } catch (err) {
      if (!(err instanceof ConnectorError && err.kind === 'not_found')) throw err;
    }
    this.byId.set(id, path);
    return path;
  }
}

/** "/drive/root:/a/b" + "c" → "/a/b/c"; null when the reference is not below the root. */
function pathFromReference(ref: string | undefined, name: string): string | null {
  // "/drive/root:…" or "/drives/{id}/root:…".
  const m = ref === undefined ? null : /^\/drives?(?:\/[^/]+)?\/root:(.*)$/.exec(ref);
  if (!m) return null;
  let parent = m[1] ?? '';
  try {
    parent = decodeURIComponent(parent);
  } catch {
    // Not percent-encoded after all: keep it as it is.
  }
  return childPath(parent || '/', name);
}
