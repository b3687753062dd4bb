// The migration workflow: explores the source a page's worth of entries at a time (the exploring
// activity also creates the destination folders) and hands files to copy activities with bounded
// concurrency while exploring goes on. It never holds the tree: only the folders still to list (the
// frontier) and counters, which travel through continue-as-new.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ContinueAsNew,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  patched,
  setHandler,
} from '@temporalio/workflow';
import {
  copyActivities,
  largeCopyActivities,
  listingActivities,
  quickStoreActivities,
  storeActivities,
} from './proxies';
import { Frontier } from './frontier';
import { DEFAULT_LISTING_CONCURRENCY, Explorers } from './explorers';
import { IncrementalRun } from './incremental';
import { addCounts, settleExhaustedBatch } from './items';
import { Admission } from './admission';
import { PauseControl } from './pause';
import { BATCHES_BY_REFERENCE, StoredBatches } from './stored-batches';
import { explorationsFor, runIsLong } from './run-budget';
import { etaSeconds, ThroughputMeter } from './throughput';
import { emitMigrationEvent, ProgressEvents } from './webhook-events';
import {
  emptyProgress,
  type MigrationStatus,
  type BatchRef,
  type ExploreResult,
  type FileTask,
  type NamingRules,
  CONNECTION_FAILURES,
  DEFAULT_TUNING,
  progressQuery,
  completeOptions,
  planBatches,
  isFinalStatus,
  type MigrationSnapshot,
  type MigrationWorkflowInput,
} from '../contract';

/** Folders from the top of the frontier handed to one exploring activity. */
const EXPLORE_STACK_SLICE = 64;
/** How long one of several explorations in flight lists before it hands the rest back. */
const SHARED_EXPLORE_MILLIS = 2_000;
/** The patch that lists several parts of the frontier at once (older histories list one at a time). */
export const PARALLEL_LISTING = 'parallel-listing';
/** The patch that stops stored batches of small files at a pause (older histories let them finish). */
export const PAUSE_STOPS_BATCHES = 'pause-stops-batches';
/** The patch that lets listing run ahead of the copies while few stored batches wait (older histories list only while a copy slot is free). */
export const LISTING_RUNS_AHEAD = 'listing-runs-ahead';
/** The patch that runs a migration's first and last store steps as local activities (workflows/proxies.ts). */
export const QUICK_STEPS = 'quick-steps';
/** Stored batches per copy slot that may wait before listing holds back: every slot stays fed. */
const WAITING_BATCHES_PER_SLOT = 2;
/** The store's counters are at most this old while the migration moves (what GET shows without a worker). */
const PERSIST_EVERY_MS = 5_000;

export async function migrationWorkflow(input: MigrationWorkflowInput): Promise<MigrationSnapshot> {
  const { migrationId, source, destination } = input;
  // Complete whatever an older caller left out: every activity receives the options whole.
  const options = completeOptions(input.options);
  const srcRef = { accountId: input.accountId, connectionId: source.connectionId };
  const dstRef = { accountId: input.accountId, connectionId: destination.connectionId };
  const tuning = { ...DEFAULT_TUNING, ...input.tuning };
  const progress = input.carried?.progress ?? emptyProgress();
  const startedAtMs = input.carried?.startedAtMs ?? Date.now();
  // Its bottom spills to the store past a bound (frontier.ts): the carried state stays small.
  const frontier = new Frontier(
    { accountId: input.accountId, migrationId },
    tuning.frontierSpillAt,
    input.carried,
  );
  let status: MigrationStatus = 'running';
  let error = input.carried?.firstError ?? null;
  let inFlight = 0;
  let fatal: unknown = null;
  let lastPersistMs = Date.now();
  let listing: Explorers<ExploreResult> | undefined;
  // File lists pass through the store, by reference (stored-batches.ts); decided before any copy starts.
  let byReference = false;
  const stored = new StoredBatches({ accountId: input.accountId, migrationId }, input.carried);
  // Copies run in their own scope so that a failing migration can stop them before it reports.
  const copyScope = new CancellationScope();
  // Copies of stored batches of small files, which a pause stops between two files: what they finished
  // is recorded, and the rest is copied on resume (the batch waits again, carried). A large file's copy
  // finishes (stopping it would lose its upload session).
  const stoppable = new Map<BatchRef, CancellationScope>();
  const stoppedByPause = new Set<BatchRef>();
  const stopCopies = () => {
    if (stoppable.size === 0 || !patched(PAUSE_STOPS_BATCHES)) return;
    for (const [batch, scope] of stoppable) {
      stoppedByPause.add(batch);
      scope.cancel();
    }
  };
  const pause = new PauseControl(input.carried?.paused, stopCopies);
  const progressEvents = new ProgressEvents(input.accountId, migrationId, tuning.progressEveryMs);
  // A sync's run: feed or comparison, mirror mode (incremental.ts).
  const sync = input.incremental ? new IncrementalRun({ ...input, incremental: input.incremental }) : null;
  const currentState = () => ({ progress: { ...progress }, error });

  const meter = new ThroughputMeter(Date.now(), progress.bytesCopied);
  const snapshot = (): MigrationSnapshot => {
    const throughput = meter.bytesPerSecond(Date.now(), progress.bytesCopied);
    return {
      // A queued migration paused keeps its place in the queue, and starts paused once admitted.
      status: (status === 'running' || status === 'queued') && pause.paused ? 'paused' : status,
      progress: { ...progress },
      error,
      throughputBytesPerSecond: throughput,
      // Held, nothing moves: no time left can be told (the throughput only decays).
      etaSeconds: pause.paused ? null : etaSeconds(progress, throughput),
    };
  };
  setHandler(progressQuery, snapshot);

  // The activities decide every destination path from these (names mapped, export extensions).
  const rules: NamingRules = {
    sourceRoot: source.path,
    destinationRoot: destination.path,
    destinationService: destination.service,
    googleDocs: options.googleDocs,
    invalidNames: options.invalidNames,
  };

  const runBatch = async (files: FileTask[], large: boolean, batch?: BatchRef, carried?: boolean) => {
    const acts = large ? largeCopyActivities : copyActivities;
    let copied = false;
    try {
      const r = await acts.copyFiles({
        migrationId,
        source: srcRef,
        destination: dstRef,
        files,
        ...(batch && { batch }),
        ...(carried && { carried }),
        // A sync's copies replace what differs at the destination.
        options: sync ? { ...options, conflict: 'overwrite' } : options,
        large,
      });
      copied = true;
      progress.filesCopied += r.filesCopied;
      progress.bytesCopied += r.bytesCopied;
      progress.filesSkipped += r.filesSkipped;
      progress.bytesSkipped += r.bytesSkipped;
      progress.filesFailed += r.filesFailed;
      if (r.failures.length && !error) error = `${r.failures[0].path}: ${r.failures[0].reason}`;
    } catch (err) {
      if (isCancellation(err)) {
        if (batch && stoppedByPause.delete(batch)) stored.requeue(batch);
        return;
      }
      const cause = err instanceof ActivityFailure ? err.cause : err;
      if (cause instanceof ApplicationFailure && cause.type && CONNECTION_FAILURES.includes(cause.type)) {
        fatal ??= cause;
        return;
      }
      // Retries exhausted: the batch's files without a recorded outcome fail (see items.ts).
      error ??= `${files[0]?.sourcePath ?? `copy batch ${batch?.exploration}.${batch?.part}`}: ${messageOf(cause)}`;
      addCounts(
        progress,
        await settleExhaustedBatch(input.accountId, migrationId, files, messageOf(cause), batch),
      );
      copied = true;
    } finally {
      if (batch) {
        stoppedByPause.delete(batch);
        stored.ended(batch, copied);
      }
    }
    meter.sample(Date.now(), progress.bytesCopied);
  };

  /** `batch`: a stored batch (files empty); `carried`: it was in flight when the last run ended. */
  const schedule = async (files: FileTask[], large: boolean, batch?: BatchRef, carried?: boolean) => {
    // A dry run plans only: the files are counted as discovered, none is copied.
    if (options.dryRun) return;
    // Paused: no new batch starts; those in flight finish. Waiting for a free slot while copies move,
    // counters are saved; a paused migration waits quietly (its history must not grow while it is held).
    const ready = () => (inFlight < tuning.concurrency && !pause.paused) || fatal !== null;
    while (!(await waitUntil(ready, pause.paused ? undefined : PERSIST_EVERY_MS))) await persist();
    throwIfFatal();
    inFlight++;
    const started = batch && stored.started(batch);
    void copyScope
      .run(() => {
        if (!started || large) return runBatch(files, large, started, carried);
        const scope = new CancellationScope();
        stoppable.set(started, scope);
        return scope.run(() => runBatch(files, large, started, carried));
      })
      .finally(() => {
        if (started) stoppable.delete(started);
        inFlight--;
      });
  };
  const drain = async () => {
    // The last copies may run long after listing ended (one large file: the whole migration), so keep
    // recording progress and publishing migration.progress meanwhile, within the run's event budget.
    const every = Math.min(PERSIST_EVERY_MS, progressEvents.everyMs);
    while (
      inFlight > 0 &&
      !runIsLong(tuning) &&
      !(await waitUntil(() => inFlight === 0, pause.paused ? undefined : every))
    ) {
      await persist(true);
    }
    await condition(() => inFlight === 0);
    throwIfFatal();
  };
  const holdWhilePaused = async () => {
    await condition(() => !pause.paused || fatal !== null);
    throwIfFatal();
  };
  const throwIfFatal = () => {
    if (fatal) throw fatal;
  };
  let persisted = '';
  const persist = async (force = false) => {
    if (!force && Date.now() - lastPersistMs < PERSIST_EVERY_MS) return;
    lastPersistMs = Date.now();
    // Nothing new since the last write (held, or waiting on one long copy): no write, no history.
    const state = JSON.stringify({ progress, error });
    if (state !== persisted) {
      await storeActivities.recordMigrationProgress(
        migrationId,
        { progress: { ...progress }, error },
        input.accountId,
      );
      persisted = state;
    }
    await stored.dropCopied();
    await progressEvents.maybeEmit();
  };

  // Admission, the start and end events and the final status: local activities (older histories: not).
  // Both patches are asked before any local activity runs (see Admission's constructor).
  const quick = patched(QUICK_STEPS);
  const listingRunsAhead = patched(LISTING_RUNS_AHEAD);
  const endSteps = quick ? quickStoreActivities : storeActivities;
  const admission = new Admission(quick);
  try {
    if (!input.carried) {
      // Waits as `queued` while the account's running slots are taken (admission.ts).
      const recorded = await admission.enter(migrationId, input.accountId, () => (status = 'queued'));
      status = 'running';
      // Settled before this workflow began (cancelled, or its start given up as failed): nothing to do.
      if (recorded && isFinalStatus(recorded)) {
        status = recorded;
        return snapshot();
      }
    }
    if (!input.carried) await emitMigrationEvent(input.accountId, migrationId, 'migration.started', quick);
    pause.mirror(migrationId, currentState, () => inFlight === 0, input.accountId);
    if (!input.carried) {
      await holdWhilePaused();
      const root = await listingActivities.inspectSource(srcRef, rules);
      if (!options.dryRun) await listingActivities.makeFolders(dstRef, [destination.path]);
      if (root.type === 'file') {
        progress.filesDiscovered = 1;
        progress.bytesDiscovered = root.task.size ?? 0;
        await schedule([root.task], true);
      } else if (!(await sync?.begin(srcRef, source.path, input.incremental!.cursor))) {
        frontier.push([{ path: source.path, pageToken: null }]);
      }
    }
    const continueRun = async () => {
      // Stored batches in flight travel as refs: the next run schedules them again (no drain).
      if (!byReference) await drain();
      await frontier.spillAll();
      await persist(true);
      await pause.settled();
      await condition(allHandlersFinished);
      const carried = {
        ...frontier.carried(),
        progress,
        firstError: error,
        startedAtMs,
        paused: pause.paused,
        ...(byReference ? stored.carried() : {}),
      };
      return await continueAsNew<typeof migrationWorkflow>({
        ...input,
        carried: { ...carried, ...(sync ? { incremental: sync.carried() } : {}) },
      });
    };

    byReference = !sync && patched(BATCHES_BY_REFERENCE);
    // Listing goes on while copies hold every slot, until a few batches per slot wait (the rest of the
    // tree waits in the frontier); older histories list only while a slot is free.
    const runAhead = byReference && listingRunsAhead;
    let stopping = false;
    // A stored batch can start now: without waiting, within the run's event budget.
    const canFeed = () =>
      !stopping && stored.queued > 0 && inFlight < tuning.concurrency && !pause.paused && !runIsLong(tuning);
    // Stored batches wait for copy slots while the run's event budget lasts; the rest go to the next run.
    // `now`: only those that can start at once (the listing loop must not wait for a slot).
    const scheduleStored = async (now = false) => {
      while (stored.queued > 0 && !runIsLong(tuning) && (!now || canFeed())) {
        const { batch, carried } = stored.next()!;
        await schedule([], batch.large, batch, carried);
        // Copies short enough never to make a wait time out still move the stored counters.
        if (runAhead) await persist();
      }
    };
    // What the previous run had not copied yet: first those it was copying, then those it had found.
    await scheduleStored();

    // A sync reading the source's change feed; folders it cannot cover are explored below.
    while (sync?.feedCursor) {
      await holdWhilePaused();
      const page = await sync.readFeed(srcRef, rules, options);
      if (page === 'expired') {
        frontier.push([{ path: source.path, pageToken: null }]);
        break;
      }
      // The folders the feed saw change are compared below, as a full comparison compares them.
      frontier.push(page.folders);
      await frontier.bound();
      await persist();
      if (runIsLong(tuning) && sync.feedCursor) return await continueRun();
    }

    // Several explorations at once (explorers.ts); histories from before that list one at a time, which
    // is also how a sync's runs list (their comparison keeps per-run state).
    const explorers = new Explorers<ExploreResult>(
      !sync && patched(PARALLEL_LISTING)
        ? Math.max(1, tuning.listingConcurrency ?? DEFAULT_LISTING_CONCURRENCY)
        : 1,
    );
    listing = explorers;
    // `stopping` is set when the run has grown long: nothing new is listed; what is in flight is taken
    // in, then the run continues as new.
    const waitingBound = WAITING_BATCHES_PER_SLOT * tuning.concurrency;
    for (;;) {
      if (frontier.empty && explorers.idle) break;
      if (stopping && explorers.idle) return await continueRun();
      if (!stopping) {
        await holdWhilePaused();
        if (runAhead) await scheduleStored(true);
        const plan = explorationsFor(tuning, explorers.limit, byReference);
        // Beyond the first, explorations start only while copies keep up: listing far ahead of copies
        // that are the limit would only hold files (and a paused or long run) back.
        const copiesWait = () =>
          explorers.inFlight > 0 &&
          (runAhead ? stored.queued >= waitingBound : inFlight >= tuning.concurrency);
        while (explorers.inFlight < plan.allowed && !frontier.empty && !copiesWait()) {
          // The activity explores the deepest folders first and hands back what it did not finish.
          // Each of the explorations the run affords gets its part of the frontier, up to a slice.
          const share = Math.min(EXPLORE_STACK_SLICE, Math.ceil(frontier.size / plan.allowed));
          const stack = await frontier.take(share);
          const request = {
            migrationId,
            rules,
            stack,
            maxEntries: plan.entries,
            // Beside others, an exploration hands back what it did not reach soon, to be shared out.
            ...(explorers.limit > 1 ? { maxMillis: SHARED_EXPLORE_MILLIS } : {}),
            options,
            ...(byReference && { batches: stored.plan(tuning, input.tuning) }),
          };
          explorers.start(() =>
            copyScope.run(() =>
              sync
                ? sync.explore(srcRef, dstRef, request, progress)
                : listingActivities.exploreSource(srcRef, dstRef, request),
            ),
          );
        }
      }
      // Woken also when a copy slot frees for a waiting batch (then the loop schedules it).
      const explored = await explorers.next(runAhead ? canFeed : undefined);
      if (!explored) continue;
      frontier.push(explored.stack);
      await frontier.bound();
      progress.foldersDiscovered += explored.folders;

      const files = explored.files;
      progress.filesDiscovered += explored.discovered?.files ?? files.length;
      progress.bytesDiscovered += explored.discovered?.bytes ?? files.reduce((n, f) => n + (f.size ?? 0), 0);
      for (const batch of planBatches(files, tuning.batchMaxFiles, tuning.largeFileBytes))
        await schedule(batch.files, batch.large);
      // A stopping run hands what it found to the next one instead of waiting for copy slots.
      stored.enqueue(explored.batches ?? []);
      if (!stopping) await scheduleStored(runAhead);

      if (frontier.empty && explorers.idle) progress.listingComplete = true;
      await persist();
      if (runIsLong(tuning) && !(frontier.empty && explorers.idle)) stopping = true;
    }
    progress.listingComplete = true;
    // Listed in full: what waits is scheduled here while the budget lasts, else by the next run. A
    // pause while the last copies run sends their batches back to wait: they are scheduled on resume.
    do {
      while (stored.queued > 0) {
        if (runIsLong(tuning)) return await continueRun();
        await scheduleStored();
      }
      await drain();
    } while (stored.queued > 0);
    await sync?.finish(dstRef, rules, options, progress);
    // The store learns the final status first, so a client never sees it live before it is recorded.
    const finalStatus = progress.filesFailed > 0 ? 'completed_with_errors' : 'completed';
    await endSteps.recordMigrationProgress(
      migrationId,
      { status: finalStatus, progress, error },
      input.accountId,
    );
    await emitMigrationEvent(input.accountId, migrationId, `migration.${finalStatus}` as const, quick);
    status = finalStatus;
    await admission.leave(input.accountId);
    return sync ? { ...snapshot(), cursor: sync.cursor } : snapshot();
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    const finalStatus = isCancellation(err) ? 'cancelled' : 'failed';
    if (finalStatus === 'failed') error = messageOf(err instanceof ActivityFailure ? err.cause : err);
    copyScope.cancel();
    await CancellationScope.nonCancellable(async () => {
      // In-flight copies finish cancelling (removing their partial files) before the status says so.
      await condition(() => inFlight === 0);
      await listing?.settled();
      await frontier.discard();
      await sync?.discard();
      await endSteps.recordMigrationProgress(
        migrationId,
        { status: finalStatus, progress, error },
        input.accountId,
      );
      await emitMigrationEvent(input.accountId, migrationId, `migration.${finalStatus}` as const, quick);
      status = finalStatus;
      await admission.leave(input.accountId);
    });
    throw err;
  }
}

/** Resolves true once `fn` holds, or false when `timeoutMs` passes first (never without one). */
const waitUntil = (fn: () => boolean, timeoutMs?: number): Promise<boolean> =>
  timeoutMs === undefined ? condition(fn).then(() => true) : condition(fn, timeoutMs);

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
