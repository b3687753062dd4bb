// A sync's run from the source's change feed: one page of changes since the saved cursor becomes the
// folders to compare with the destination (compare-explore.ts): each folder a changed, added, deleted or
// moved item is or was in, its own entries only — so names are placed exactly as a full comparison
// places them (duplicates and case collisions included), unchanged files are skipped unread, and in
// mirror mode what the destination holds and the source no longer does becomes a deletion candidate —
// and, whole, the moved or renamed folders whose contents the feed does not repeat. Deleted items the
// feed names by id only are found in the sync's id map, which this activity updates last
// (store/sync-state.ts).
import { Context } from '@temporalio/activity';
import { isWithin, relativePath } from '../../common/paths';
import { type Connector, isConnectorError } from '../../connectors/types';
import type { Store, SyncEntry } from '../../store/types';
import { type Filter, filterOf } from '../listing/explore';
import { pacer } from '../listing/pacing';
import type { ChangesRequest, ChangesResult, FrontierEntry } from '../../contract';

const parentOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';

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
  const shallow = new Set<string>();
  const whole = new Set<string>();
  const saves: SyncEntry[] = [];
  const removes: string[] = [];
  const moves: { from: string; to: string }[] = [];
  /** The folder an item is (or was) in, compared with its destination: below the root, and not left out. */
  const touch = (path: string) => {
    const folder = parentOf(path);
    if (path === root || !isWithin(root, path)) return;
    if (folder !== root && !passes(filter, root, folder, true)) return;
    shallow.add(folder);
  };

  const pace = pacer();
  for (const change of page.changes) {
    await pace();
    if (change.type === 'delete') {
      const old = change.id ? known.get(change.id) : undefined;
      if (change.id) removes.push(change.id);
      const path = change.path ?? old?.path;
      if (path) touch(path);
      continue;
    }
    const e = change.entry;
    const folder = e.type === 'folder';
    const old = e.id ? known.get(e.id) : undefined;
    if (e.id) saves.push({ itemId: e.id, path: e.path, folder });
    const moved = old !== undefined && old.path !== e.path;
    if (moved) {
      if (old.folder) moves.push({ from: old.path, to: e.path });
      touch(old.path);
    }
    touch(e.path);
    // Drive and Graph report a moved folder alone: its contents are compared whole.
    const unreported = !feed.reportsMovedContents && (old === undefined || moved);
    if (folder && unreported && isWithin(root, e.path) && passes(filter, root, e.path, true))
      whole.add(e.path);
    Context.current().heartbeat();
  }

  // The id map last: a retry of this page finds the old paths it needs still there.
  for (const m of moves) await store.syncState.moveEntries(sync.accountId, sync.syncId, m.from, m.to);
  await store.syncState.saveEntries(sync.accountId, sync.syncId, saves);
  await store.syncState.removeEntries(sync.accountId, sync.syncId, removes);
  const folders: FrontierEntry[] = [
    ...[...shallow].filter((f) => !whole.has(f)).map((path) => ({ path, pageToken: null, shallow: true })),
    ...[...whole].map((path) => ({ path, pageToken: null })),
  ];
  return { cursor: page.cursor, hasMore: page.hasMore, folders };
}

/** include/exclude decide for a path below the root: every folder on its way, then the item itself. */
function passes(filter: Filter, root: string, path: string, folder: boolean): boolean {
  if (!filter.active) return true;
  const names = relativePath(root, path).split('/');
  for (let i = 0; i < names.length - 1; i++) {
    if (!filter.within(names.slice(0, i).join('/')).folder(names[i]!)) return false;
  }
  const scope = filter.within(names.slice(0, -1).join('/'));
  const last = names[names.length - 1]!;
  return folder ? scope.folder(last) : scope.file(last);
}
