// Reads without Graph's redirect. GET …/content answers 302 to the file's pre-authenticated download
// URL: two requests per file. A folder's children listing carries every file's URL
// (@microsoft.graph.downloadUrl), so the first read in a folder lists it — paging only as far as the
// file wanted, once per connector (one activity) — and each file then costs its download alone. The
// URLs are credentials of their own that expire (Graph: after a short time): they stay in memory for
// the one activity, never leave it, and a refused one falls back to GET …/content.
import { connectorFetch } from '../http';
import type { GraphClient } from './client';
import { allowedName, type GraphItem, type GraphPage, itemAddress, parsePath } from './entries';
import { HttpFailure } from './errors';

interface FolderUrls {
  urls: Map<string, string>;
  /** Where the listing goes on; null once it has ended. */
  next: string | null;
  pages: number;
  /** Pages are read one at a time: concurrent reads in one folder wait for the same pages. */
  turn: Promise<unknown>;
}

const folders = new WeakMap<GraphClient, Map<string, FolderUrls>>();
/** Folders remembered per connector, beyond which reads go through GET …/content. */
const MAX_FOLDERS = 1_000;
const PAGE = 1000;
/** Pages listed per folder at most (10,000 files): beyond, reads go through GET …/content. */
const MAX_PAGES = 10;

type Listed = GraphItem & { '@microsoft.graph.downloadUrl'?: string };

/** The download URL of the file `id` in the folder `folder` (a path), from its listing; null if not there. */
export async function downloadUrlOf(client: GraphClient, folder: string, id: string): Promise<string | null> {
  let byFolder = folders.get(client);
  if (!byFolder) folders.set(client, (byFolder = new Map()));
  let state = byFolder.get(folder);
  if (!state) {
    const segments = parsePath(folder);
    if (byFolder.size >= MAX_FOLDERS || !segments.every(allowedName)) return null;
    const first = `${segments.length ? `${itemAddress(segments)}/children` : '/me/drive/root/children'}?$top=${PAGE}`;
    byFolder.set(folder, (state = { urls: new Map(), next: first, pages: 0, turn: Promise.resolve() }));
  }
  const s = state;
  const more = async () => {
    while (!s.urls.has(id) && s.next && s.pages < MAX_PAGES) {
      const address = s.next;
      s.pages++;
      const page = await client.call(`list ${folder}`, () => client.api(address).get() as Promise<GraphPage>);
      for (const item of (page.value ?? []) as Listed[]) {
        const url = item['@microsoft.graph.downloadUrl'];
        if (url && !item.folder) s.urls.set(item.id, url);
      }
      const link = page['@odata.nextLink'];
      s.next = link ? client.linkPath(link) : null;
    }
  };
  const turn = s.turn.then(more);
  s.turn = turn.catch(() => undefined);
  await turn;
  return s.urls.get(id) ?? null;
}

/**
 * The response of a download URL (no Authorization: it is its own credential), under the connection's
 * budget like every request; null when the URL is refused (expired), for the caller to ask Graph.
 */
export async function fetchDownloadUrl(
  client: GraphClient,
  url: string,
  what: string,
): Promise<Response | null> {
  return client.call(what, async () => {
    const res = await connectorFetch(url);
    if (res.status === 429 || res.status >= 500) throw await HttpFailure.from(res);
    if (res.ok) return res;
    await res.body?.cancel();
    return null;
  });
}
