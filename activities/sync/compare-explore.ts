// Exploring for a sync's full comparison: like listing/explore.ts it lists the source's folders depth first
// from the workflow's frontier (creating the destination folders), but it also lists each matching
// destination folder once and hands back only the files that are new or differ (compare.ts); the
// others are counted, never read. In mirror mode, once a folder's listing is complete, what its
// destination folder holds and the source folder does not — and that include/exclude would have
// copied — becomes a deletion candidate in the store (nothing is deleted here). Where the source has a
// change feed, every item seen is remembered by id (store/sync-state.ts) for later feed runs.
import { Context } from '@temporalio/activity';
import { baseName, joinPath, relativePath } from '../../common/paths';
import { type Connector, type FileEntry, isConnectorError } from '../../connectors/types';
import type { Store } from '../../store/types';
import { unchanged } from './compare';
import { entryBytes, pageSizeFor, RESULT_BUDGET_BYTES } from '../listing/budget';
import { destinationFolder, place, taskFor } from '../listing/naming';
import type { CompareRequest, CompareResult, FileTask } from '../../contract';
import { filterOf } from '../listing/explore';

const MAX_PAGE = 1000;

export async function compareExplore(
  store: Store,
  source: Connector,
  destination: Connector,
  req: CompareRequest,
): Promise<CompareResult> {
  const { rules } = req;
  const filter = filterOf(req.options);
  const keyOf = (name: string) => (destination.features.caseInsensitive ? name.toLowerCase() : name);
  const timesCarried = destination.features.setModifiedTime && req.options.preserveModifiedTime;
  const stack = req.stack.map((e) => ({ ...e, fresh: e.pageToken === null }));
  const files: FileTask[] = [];
  const unchangedCount = { files: 0, bytes: 0 };
  const seenNames = new Map<string, Set<string>>();
  const destListings = new Map<string, Map<string, FileEntry>>();
  let folders = 0;
  let destinationFiles = 0;
  let listed = 0;
  let bytes = 0;
  while (stack.length > 0 && listed < req.maxEntries && bytes < RESULT_BUDGET_BYTES) {
    const top = stack[stack.length - 1];
    const here = destinationFolder(rules, top.path);
    let there = destListings.get(here);
    if (!there) {
      there = await listAll(destination, here, keyOf);
      destListings.set(here, there);
      if (top.fresh) destinationFiles += [...there.values()].filter((e) => e.type === 'file').length;
    }
    const pageSize = pageSizeFor(top.path, Math.min(MAX_PAGE, Math.max(100, req.maxEntries - listed)));
    const page = await source.list(top.path, { pageToken: top.pageToken, pageSize });
    const done = !page.nextPageToken;
    if (page.nextPageToken) top.pageToken = page.nextPageToken;
    else stack.pop();
    listed += page.entries.length;
    bytes += page.entries.reduce((n, e) => n + entryBytes(top.path, e.name), 0);
    if (source.changes) await remember(store, req, top.path, page.entries);

    const scope = filter.within(relativePath(rules.sourceRoot, top.path));
    const names = seenNames.get(top.path) ?? new Set<string>();
    seenNames.set(top.path, names);
    const subfolders: string[] = [];
    for (const entry of page.entries) {
      const placed = place(rules, entry);
      names.add(keyOf('name' in placed ? placed.name : entry.name));
      if (!(entry.type === 'folder' ? scope.folder(entry.name) : scope.file(entry.name))) continue;
      const path = joinPath(top.path, entry.name);
      if (entry.type === 'folder' && 'name' in placed) {
        if (!req.options.dryRun) await destination.mkdir(joinPath(here, placed.name));
        subfolders.push(path);
        continue;
      }
      const task = taskFor(rules, entry, path, here, placed);
      if (
        !task.skip &&
        !task.fail &&
        unchanged(entry, there.get(keyOf(baseName(task.destinationPath))), { timesCarried })
      ) {
        unchangedCount.files++;
        unchangedCount.bytes += entry.size ?? 0;
      } else files.push(task);
    }
    folders += subfolders.length;
    for (const folder of subfolders.reverse()) stack.push({ path: folder, pageToken: null, fresh: true });
    if (done && req.options.deleteExtraneous) {
      // A folder begun by an earlier activity: its earlier pages' names are listed again.
      const all = top.fresh ? names : await sourceNames(source, rules, top.path, keyOf);
      await gatherExtras(store, req, destination, top.path, here, there, all, filter);
    }
    if (done) seenNames.delete(top.path);
    Context.current().heartbeat();
  }
  return {
    stack: stack.map(({ path, pageToken }) => ({ path, pageToken })),
    files,
    folders,
    unchanged: unchangedCount,
    destinationFiles,
  };
}

/** Every entry of a destination folder by name (none when it does not exist yet). */
async function listAll(
  c: Connector,
  folder: string,
  keyOf: (name: string) => string,
): Promise<Map<string, FileEntry>> {
  const out = new Map<string, FileEntry>();
  let pageToken: string | null = null;
  try {
    do {
      const page = await c.list(folder, { pageToken, pageSize: MAX_PAGE });
      for (const e of page.entries) out.set(keyOf(e.name), e);
      pageToken = page.nextPageToken;
    } while (pageToken);
  } catch (err) {
    if (!isConnectorError(err, 'not_found')) throw err;
  }
  return out;
}

async function sourceNames(
  source: Connector,
  rules: CompareRequest['rules'],
  folder: string,
  keyOf: (name: string) => string,
): Promise<Set<string>> {
  const names = new Set<string>();
  let pageToken: string | null = null;
  do {
    const page = await source.list(folder, { pageToken, pageSize: MAX_PAGE });
    for (const e of page.entries) {
      const placed = place(rules, e);
      names.add(keyOf('name' in placed ? placed.name : e.name));
    }
    pageToken = page.nextPageToken;
  } while (pageToken);
  return names;
}

/** Destination entries the source folder lacks, that the filter would have copied: candidates. */
async function gatherExtras(
  store: Store,
  req: CompareRequest,
  destination: Connector,
  sourceFolder: string,
  here: string,
  there: Map<string, FileEntry>,
  names: Set<string>,
  filter: ReturnType<typeof filterOf>,
): Promise<void> {
  const scope = filter.within(relativePath(req.rules.sourceRoot, sourceFolder));
  const candidates = [];
  for (const [key, e] of there) {
    if (names.has(key)) continue;
    // Never delete what include/exclude leaves out.
    if (!(e.type === 'folder' ? scope.folder(e.name) : scope.file(e.name))) continue;
    const destinationPath = joinPath(here, e.name);
    const files = e.type === 'file' ? 1 : await countFiles(destination, destinationPath);
    candidates.push({
      destinationPath,
      sourcePath: joinPath(sourceFolder, e.name),
      folder: e.type === 'folder',
      files,
    });
  }
  if (candidates.length)
    await store.syncState.addDeletions(req.sync.accountId, req.sync.migrationId, candidates);
}

/** Files below a destination folder, so a folder to delete counts what it holds. */
export async function countFiles(c: Connector, folder: string): Promise<number> {
  let n = 0;
  let pageToken: string | null = null;
  do {
    const page = await c.list(folder, { recursive: true, pageToken, pageSize: MAX_PAGE });
    n += page.entries.filter((e) => e.type === 'file').length;
    pageToken = page.nextPageToken;
    Context.current().heartbeat();
  } while (pageToken);
  return n;
}

/** Where each listed item is, by id, for later runs reading the change feed. */
async function remember(store: Store, req: CompareRequest, folder: string, entries: FileEntry[]) {
  const rows = entries.map((e) => ({
    itemId: e.id,
    path: joinPath(folder, e.name),
    folder: e.type === 'folder',
  }));
  await store.syncState.saveEntries(
    req.sync.accountId,
    req.sync.syncId,
    rows.filter((r) => r.itemId),
  );
}
