// The migration workflow: walks the source folder by folder, page by page, creating folders and
// handing files to copy activities with bounded concurrency. It never holds the tree: only the
// folders still to list (the frontier) and counters, which travel through continue-as-new.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { joinPath, relativePath } from '../common/paths';
import { emptyProgress, type MigrationStatus } from '../store/types';
import type { FileTask } from '../activities/types';
import { copyActivities, largeCopyActivities, listingActivities, storeActivities } from './activities';
import { planBatches } from './batches';
import {
  progressQuery,
  type FrontierEntry,
  type MigrationSnapshot,
  type MigrationWorkflowInput,
} from './definitions';

const PAGE_SIZE = 1000;
/** Copy activities in flight at once for one migration. */
const CONCURRENCY = 4;
const PERSIST_EVERY_MS = 15_000;
/** Failures that concern the whole connection, not one file: the migration fails. */
const FATAL_TYPES = new Set(['FatalConnection', 'ConnectionGone', 'ConnectionNeedsReauth']);

export async function migrationWorkflow(input: MigrationWorkflowInput): Promise<MigrationSnapshot> {
  const { migrationId, source, destination, options } = input;
  const srcRef = { accountId: input.accountId, connectionId: source.connectionId };
  const dstRef = { accountId: input.accountId, connectionId: destination.connectionId };
  const progress = input.carried?.progress ?? emptyProgress();
  const startedAtMs = input.carried?.startedAtMs ?? Date.now();
  let frontier: FrontierEntry[] = input.carried?.frontier ?? [];
  let status: MigrationStatus = 'running';
  let error = input.carried?.firstError ?? null;
  let inFlight = 0;
  let fatal: unknown = null;
  let lastPersistMs = Date.now();
  // Copies run in their own scope so that a failing migration can stop them before it reports.
  const copyScope = new CancellationScope();

  const snapshot = (): MigrationSnapshot => {
    const seconds = Math.max(1, (Date.now() - startedAtMs) / 1000);
    return {
      status,
      progress: { ...progress },
      error,
      throughputBytesPerSecond: Math.round(progress.bytesCopied / seconds),
    };
  };
  setHandler(progressQuery, snapshot);

  const destinationFor = (sourcePath: string) =>
    joinPath(destination.path, relativePath(source.path, sourcePath));

  const runBatch = async (files: FileTask[], large: boolean) => {
    const acts = large ? largeCopyActivities : copyActivities;
    try {
      const r = await acts.copyFiles({
        source: srcRef,
        destination: dstRef,
        files,
        conflict: options.conflict,
      });
      progress.filesCopied += r.filesCopied;
      progress.bytesCopied += r.bytesCopied;
      progress.filesSkipped += r.filesSkipped;
      progress.bytesSkipped += r.bytesSkipped;
      progress.filesFailed += r.filesFailed;
      if (r.failures.length && !error) error = `${r.failures[0].path}: ${r.failures[0].reason}`;
    } catch (err) {
      if (isCancellation(err)) return;
      const cause = err instanceof ActivityFailure ? err.cause : err;
      if (cause instanceof ApplicationFailure && cause.type && FATAL_TYPES.has(cause.type)) {
        fatal ??= cause;
        return;
      }
      // Retries exhausted: every file of this batch that was not reported counts as failed.
      progress.filesFailed += files.length;
      error ??= `${files[0].sourcePath}: ${messageOf(cause)}`;
    }
  };

  const schedule = async (files: FileTask[], large: boolean) => {
    await condition(() => inFlight < CONCURRENCY || fatal !== null);
    throwIfFatal();
    inFlight++;
    void copyScope.run(() => runBatch(files, large)).finally(() => inFlight--);
  };
  const drain = async () => {
    await condition(() => inFlight === 0);
    throwIfFatal();
  };
  const throwIfFatal = () => {
    if (fatal) throw fatal;
  };
  const persist = async (force = false) => {
    if (!force && Date.now() - lastPersistMs < PERSIST_EVERY_MS) return;
    lastPersistMs = Date.now();
    await storeActivities.recordMigrationProgress(migrationId, { progress: { ...progress }, error });
  };

  try {
    if (!input.carried) {
      await storeActivities.markMigrationRunning(migrationId);
      const root = await listingActivities.inspectSource(srcRef, source.path);
      await listingActivities.makeFolders(dstRef, [destination.path]);
      if (root.type === 'file') {
        progress.filesDiscovered = 1;
        progress.bytesDiscovered = root.size;
        const task = {
          sourcePath: source.path,
          destinationPath: joinPath(destination.path, root.name),
          size: root.size,
          modifiedAt: root.modifiedAt,
        };
        await schedule([task], true);
      } else {
        frontier = [{ path: source.path, pageToken: null }];
      }
    }

    while (frontier.length > 0) {
      const top = frontier[frontier.length - 1];
      const page = await listingActivities.listFolder(srcRef, top.path, top.pageToken, PAGE_SIZE);
      if (page.nextPageToken) top.pageToken = page.nextPageToken;
      else frontier.pop();

      const folders = page.entries.filter((e) => e.type === 'folder').map((e) => joinPath(top.path, e.name));
      progress.foldersDiscovered += folders.length;
      if (folders.length > 0) {
        await listingActivities.makeFolders(dstRef, folders.map(destinationFor));
        // Reversed so the stack lists them in listing order.
        for (const f of [...folders].reverse()) frontier.push({ path: f, pageToken: null });
      }

      const files: FileTask[] = page.entries
        .filter((e) => e.type === 'file')
        .map((e) => {
          const sourcePath = joinPath(top.path, e.name);
          return {
            sourcePath,
            destinationPath: destinationFor(sourcePath),
            size: e.size,
            modifiedAt: e.modifiedAt,
          };
        });
      progress.filesDiscovered += files.length;
      progress.bytesDiscovered += files.reduce((n, f) => n + f.size, 0);
      for (const batch of planBatches(files)) await schedule(batch.files, batch.large);

      if (frontier.length === 0) progress.listingComplete = true;
      await persist();
      if (workflowInfo().continueAsNewSuggested && frontier.length > 0) {
        await drain();
        await persist(true);
        await condition(allHandlersFinished);
        return await continueAsNew<typeof migrationWorkflow>({
          ...input,
          carried: { frontier, progress, firstError: error, startedAtMs },
        });
      }
    }
    progress.listingComplete = true;
    await drain();
    status = progress.filesFailed > 0 ? 'completed_with_errors' : 'completed';
    await storeActivities.recordMigrationProgress(migrationId, { status, progress, error });
    return snapshot();
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    const finalStatus = isCancellation(err) ? 'cancelled' : 'failed';
    if (finalStatus === 'failed') error = messageOf(err instanceof ActivityFailure ? err.cause : err);
    copyScope.cancel();
    await CancellationScope.nonCancellable(async () => {
      // In-flight copies finish cancelling (removing their partial files) before the status says so.
      await condition(() => inFlight === 0);
      status = finalStatus;
      await storeActivities.recordMigrationProgress(migrationId, { status, progress, error });
    });
    throw err;
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
