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
import { destinationFolder, taskFor } from '../listing/naming';
import { nameKey, placePage, type ClaimsFor } from '../listing/placement';
import { failedFolder, failPage, isLocalFailure, makeFolder, unlistedFolder } from '../listing/subtree';
import { hashKey } from '../../store/names';
import type { CompareRequest, CompareResult, FileTask, FrontierEntry } from '../../contract';
import { type Filter, filterOf } from '../listing/explore';
import { keptEntries, pacer } from '../listing/pacing';

const MAX_PAGE = 1000;

export async function compareExplore(
  store: Store,
  source: Connector,
  destination: Connector,
  req: CompareRequest,
  claimsFor: ClaimsFor = () => undefined,
): Promise<CompareResult> {
  const { rules } = req;
  const filter = filterOf(req.options);
  const caseInsensitive = destination.features.caseInsensitive;
  const keyOf = (name: string) => nameKey(name, caseInsensitive);
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
    const here = top.destination ?? destinationFolder(rules, top.path);
    const firstPage = top.pageToken === null;
    const pageSize = pageSizeFor(top.path, Math.min(MAX_PAGE, Math.max(100, req.maxEntries - listed)));
    let page;
    try {
      page = await source.list(top.path, { pageToken: top.pageToken, pageSize, id: top.id });
    } catch (err) {
      // Below the root, a folder that cannot be listed fails alone (subtree.ts); the root fails the run.
      if (top.path === rules.sourceRoot || !isLocalFailure(err)) throw err;
      stack.pop();
      files.push(unlistedFolder(top, here, err));
      continue;
    }
    const done = !page.nextPageToken;
    if (page.nextPageToken) top.pageToken = page.nextPageToken;
    else stack.pop();
    listed += page.entries.length;
    bytes += page.entries.reduce((n, e) => n + entryBytes(top.path, e.name), 0);
    const scope = filter.within(relativePath(rules.sourceRoot, top.path));
    const kept = await keptEntries(page.entries, (e) =>
      e.type === 'folder' ? scope.folder(e.name) : scope.file(e.name),
    );
    if (top.fail) {
      // Nothing is compared, made or deleted in a failed folder: its files are reported, that is all.
      const failed = failPage(top, here, kept);
      files.push(...failed.files);
      for (const folder of failed.folders.reverse()) stack.push({ ...folder, fresh: true });
      continue;
    }
    let there = destListings.get(here);
    if (!there) {
      there = await listAll(destination, here, keyOf);
      destListings.set(here, there);
      if (top.fresh) destinationFiles += [...there.values()].filter((e) => e.type === 'file').length;
      // A folder a feed run saw change may be new: nobody above it made it.
      if (top.shallow && top.fresh && !req.options.dryRun) await destination.mkdir(here);
    }
    if (source.changes) await remember(store, req, top.path, page.entries);

    const names = seenNames.get(top.path) ?? new Set<string>();
    seenNames.set(top.path, names);
    const claims = firstPage && done ? undefined : claimsFor(here);
    const placed = await placePage(rules, caseInsensitive, here, kept, claims);
    const subfolders: FrontierEntry[] = [];
    for (const { entry, placement } of placed) {
      // What the destination may keep in mirror mode: every name the source's entries have there.
      names.add(keyOf('name' in placement ? placement.name : entry.name));
      const path = joinPath(top.path, entry.name);
      if (entry.type !== 'folder') {
        const task = taskFor(rules, entry, path, here, placement, top.note);
        const same = unchanged(entry, there.get(keyOf(baseName(task.destinationPath))), { timesCarried });
        if (!task.skip && !task.fail && same) {
          unchangedCount.files++;
          unchangedCount.bytes += entry.size ?? 0;
        } else files.push(task);
        continue;
      }
      if (!('name' in placement)) {
        if ('fail' in placement)
          subfolders.push(failedFolder(entry, path, joinPath(here, entry.name), placement.fail));
        continue;
      }
      const at = joinPath(here, placement.name);
      const exists = there.get(keyOf(placement.name))?.type === 'folder';
      const refused = req.options.dryRun || exists ? null : await makeFolder(destination, at);
      const note = placement.note ? `folder ${at}: ${placement.note}` : top.note;
      // A feed run's changed folder is compared alone: its subfolders have changes of their own.
      if (refused) subfolders.push(failedFolder(entry, path, at, refused));
      else if (!top.shallow)
        subfolders.push({ path, id: entry.id, pageToken: null, destination: at, ...(note ? { note } : {}) });
    }
    folders += subfolders.length;
    for (const folder of subfolders.reverse()) stack.push({ ...folder, fresh: true });
    if (done && req.options.deleteExtraneous) {
      // A folder begun by an earlier activity: its earlier pages' names are in the store.
      const all = top.fresh ? names : await namesHeld(store, req, here, names);
      await gatherExtras(store, req, destination, top.path, here, there, all, filter);
    }
    if (done) seenNames.delete(top.path);
    Context.current().heartbeat();
  }
  return {
    stack: stack.map(({ fresh: _fresh, ...entry }) => entry),
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

/**
 * The names a folder begun by an earlier activity gave (its listing spans pages, so its names are
 * claimed in the store), as hashed keys, with this activity's own: what its destination may keep.
 */
async function namesHeld(
  store: Store,
  req: CompareRequest,
  folder: string,
  mine: Set<string>,
): Promise<{ has(key: string): boolean }> {
  const held = req.migrationId
    ? await store.names.heldKeys(req.sync.accountId, req.migrationId, folder)
    : new Set<string>();
  return { has: (key) => mine.has(key) || held.has(hashKey(key)) };
}

/** Destination entries the source folder lacks, that the filter would have copied: candidates. */
async function gatherExtras(
  store: Store,
  req: CompareRequest,
  destination: Connector,
  sourceFolder: string,
  here: string,
  there: Map<string, FileEntry>,
  names: { has(key: string): boolean },
  filter: Filter,
): Promise<void> {
  const scope = filter.within(relativePath(req.rules.sourceRoot, sourceFolder));
  const candidates = [];
  const pace = pacer();
  for (const [key, e] of there) {
    await pace();
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
