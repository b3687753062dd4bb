// A sync's run from the source's change feed: one page of changes since the saved cursor becomes the
// copies to make (new or changed files that differ at the destination — never the unchanged ones),
// the destination folders to create, the folders to list whole (renamed or moved ones whose contents
// the feed does not repeat), and, in mirror mode, deletion candidates: deleted items, and the old
// place of moved ones. Deleted items the feed names by id only are found in the sync's id map, which
// this activity updates last (store/sync-state.ts).
import { Context } from '@temporalio/activity';
import type { PathFilter } from '../../common/path-filter';
import { isWithin, joinPath, relativePath } from '../../common/paths';
import { type Connector, type FileEntry, isConnectorError } from '../../connectors/types';
import type { DeletionCandidate, Store, SyncEntry } from '../../store/types';
import { unchanged } from './compare';
import { countFiles } from './compare-explore';
import { filterOf } from '../listing/explore';
import { destinationFolder, place, taskFor } from '../listing/naming';
import type { ChangesRequest, ChangesResult, FileTask, NamingRules } from '../../contract';

const parentOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';
const nameOf = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** The feed's position now, or null when the source has no feed (or is a single file). */
export async function takeCursor(source: Connector, path: string): Promise<string | null> {
  if (!source.changes) return null;
  try {
    return await source.changes.cursor(path);
  } catch (err) {
    if (isConnectorError(err, 'wrong_type')) return null;
    throw err;
  }
}

export async function readChanges(
  store: Store,
  source: Connector,
  destination: Connector,
  req: ChangesRequest,
): Promise<ChangesResult> {
  const { rules, sync } = req;
  const root = rules.sourceRoot;
  const feed = source.changes!;
  let page;
  try {
    page = await feed.list(root, req.cursor);
  } catch (err) {
    if (isConnectorError(err, 'expired_cursor')) return { expired: err.message };
    throw err;
  }
  const ids = page.changes.flatMap((c) => (c.type === 'upsert' ? [c.entry.id] : c.id ? [c.id] : []));
  const known = new Map(
    (await store.syncState.findEntries(sync.accountId, sync.syncId, ids)).map((e) => [e.itemId, e]),
  );
  const filter = filterOf(req.options);
  const timesCarried = destination.features.setModifiedTime && req.options.preserveModifiedTime;
  const files: FileTask[] = [];
  const folders: string[] = [];
  const deletions: DeletionCandidate[] = [];
  const saves: SyncEntry[] = [];
  const removes: string[] = [];
  const moves: { from: string; to: string }[] = [];
  const made = new Set<string>();
  const unchangedCount = { files: 0, bytes: 0 };
  let folderCount = 0;

  const mkdir = async (path: string) => {
    if (req.options.dryRun || made.has(path)) return;
    made.add(path);
    await destination.mkdir(path);
  };
  /** A source path that left: its destination counterpart, if there is one to delete. */
  const candidate = async (path: string) => {
    if (!req.options.deleteExtraneous || path === root || !isWithin(root, path)) return;
    const destinationPath = destinationOf(rules, path);
    const there = await statOrUndefined(destination, destinationPath);
    if (!there) return;
    const folder = there.type === 'folder';
    // Never delete what include/exclude leaves out.
    if (!passes(filter, root, path, folder)) return;
    deletions.push({
      destinationPath,
      sourcePath: path,
      folder,
      files: folder ? await countFiles(destination, destinationPath) : 1,
    });
  };

  for (const change of page.changes) {
    if (change.type === 'delete') {
      const old = change.id ? known.get(change.id) : undefined;
      if (change.id) removes.push(change.id);
      const path = change.path ?? old?.path;
      if (path) await candidate(path);
      continue;
    }
    const e = change.entry;
    const folder = e.type === 'folder';
    const old = e.id ? known.get(e.id) : undefined;
    if (e.id) saves.push({ itemId: e.id, path: e.path, folder });
    const moved = old !== undefined && old.path !== e.path;
    if (moved) {
      if (old.folder) moves.push({ from: old.path, to: e.path });
      await candidate(old.path);
    }
    if (!passes(filter, root, e.path, folder)) continue;
    const placed = place(rules, e);
    const here = destinationFolder(rules, parentOf(e.path));
    if (folder) {
      if (!('name' in placed)) continue;
      await mkdir(joinPath(here, placed.name));
      folderCount++;
      // Drive and Graph report a moved folder alone: its contents are listed (and compared) whole.
      if (!feed.reportsMovedContents && (old === undefined || moved)) folders.push(e.path);
      continue;
    }
    const task = taskFor(rules, e, e.path, here, placed);
    if (!task.skip && !task.fail) {
      await mkdir(here);
      if (unchanged(e, await statOrUndefined(destination, task.destinationPath), { timesCarried })) {
        unchangedCount.files++;
        unchangedCount.bytes += e.size ?? 0;
        continue;
      }
    }
    files.push(task);
    Context.current().heartbeat();
  }

  if (deletions.length) await store.syncState.addDeletions(sync.accountId, sync.migrationId, deletions);
  // The id map last: a retry of this page finds the old paths it needs still there.
  for (const m of moves) await store.syncState.moveEntries(sync.accountId, sync.syncId, m.from, m.to);
  await store.syncState.saveEntries(sync.accountId, sync.syncId, saves);
  await store.syncState.removeEntries(sync.accountId, sync.syncId, removes);
  return {
    cursor: page.cursor,
    hasMore: page.hasMore,
    files,
    folders,
    folderCount,
    unchanged: unchangedCount,
  };
}

/** The destination path of a source path (names placed as exploring does; documents unknown here). */
function destinationOf(rules: NamingRules, path: string): string {
  const placed = place(rules, { name: nameOf(path), type: 'file', mimeType: null });
  return joinPath(destinationFolder(rules, parentOf(path)), 'name' in placed ? placed.name : nameOf(path));
}

/** include/exclude decide for a path below the root: every folder on its way, then the item itself. */
function passes(filter: PathFilter, root: string, path: string, folder: boolean): boolean {
  if (!filter.active) return true;
  const names = relativePath(root, path).split('/');
  for (let i = 0; i < names.length - 1; i++) {
    if (!filter.within(names.slice(0, i).join('/')).folder(names[i]!)) return false;
  }
  const scope = filter.within(names.slice(0, -1).join('/'));
  const last = names[names.length - 1]!;
  return folder ? scope.folder(last) : scope.file(last);
}

async function statOrUndefined(c: Connector, path: string): Promise<FileEntry | undefined> {
  try {
    return await c.stat(path);
  } catch (err) {
    if (isConnectorError(err, 'not_found') || isConnectorError(err, 'wrong_type')) return undefined;
    throw err;
  }
}
