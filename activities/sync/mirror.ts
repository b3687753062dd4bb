// Mirror mode's deletions, after a run has gathered its candidates (compare-explore.ts, changes.ts):
// first counted — a candidate inside a folder that is itself a candidate goes with that folder and
// counts once — so the workflow can hold them against max_delete before anything is deleted; then
// deleted a page at a time, each recorded as an item with status `deleted`.
import { Context } from '@temporalio/activity';
import type { Connector } from '../../connectors/types';
import type { MigrationItemOutcome, Store } from '../../store/types';
import type { DeletionPlan, SyncRef } from '../../contract';

const PAGE = 500;
export const DELETE_PAGE = 100;

/** Ancestors of a destination path below `root` ("/a/b/c" → "/a", "/a/b"). */
function ancestors(path: string, root: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) {
    const p = path.slice(0, i);
    if (p.length > root.length || root === '/') out.push(p);
  }
  return out;
}

export async function planDeletions(
  store: Store,
  sync: SyncRef,
  destinationRoot: string,
  sourceRoot: string,
) {
  const { accountId, migrationId } = sync;
  const plan: DeletionPlan = { entries: 0, files: 0, knownFiles: 0 };
  let after: string | null = null;
  for (;;) {
    const page = await store.syncState.deletionsPage(accountId, migrationId, after, PAGE);
    if (page.length === 0) break;
    const above = page.map((c) => ancestors(c.destinationPath, destinationRoot));
    const folders = await store.syncState.folderCandidates(accountId, migrationId, [
      ...new Set(above.flat()),
    ]);
    const covered: string[] = [];
    page.forEach((c, i) => {
      if (above[i]!.some((a) => folders.has(a))) covered.push(c.destinationPath);
      else {
        plan.entries++;
        plan.files += c.files;
      }
    });
    await store.syncState.markCovered(accountId, migrationId, covered);
    after = page[page.length - 1]!.key;
    Context.current().heartbeat();
  }
  plan.knownFiles = await store.syncState.countFiles(accountId, sync.syncId, sourceRoot);
  return plan;
}

/** Deletes the next page of candidates after `afterKey`; answers the files deleted and where to go on. */
export async function deleteCandidates(
  store: Store,
  destination: Connector,
  sync: SyncRef,
  afterKey: string | null,
): Promise<{ files: number; entries: number; nextKey: string | null }> {
  if (!destination.delete) throw new Error(`The ${destination.service} connector cannot delete`);
  const page = await store.syncState.deletionsPage(
    sync.accountId,
    sync.migrationId,
    afterKey,
    DELETE_PAGE,
    true,
  );
  const items: MigrationItemOutcome[] = [];
  let files = 0;
  for (const c of page) {
    await destination.delete(c.destinationPath);
    files += c.files;
    items.push({
      sourcePath: c.sourcePath,
      sourceId: null,
      note: null,
      destinationPath: c.destinationPath,
      size: null,
      status: 'deleted',
      reason: c.folder
        ? `No longer at the source: the folder was deleted at the destination with the ${c.files} files in it (delete_extraneous)`
        : 'No longer at the source (delete_extraneous)',
    });
    Context.current().heartbeat();
  }
  if (items.length) await store.items.record(sync.accountId, sync.migrationId, items);
  return {
    files,
    entries: page.length,
    nextKey: page.length === DELETE_PAGE ? page[page.length - 1]!.key : null,
  };
}
