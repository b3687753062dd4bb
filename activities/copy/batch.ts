// The copy activity: many small files (or one large one) with bounded concurrency. It heartbeats
// the outcomes so far, so a retried attempt (after a crash or a transient error) skips files
// already done instead of copying them twice. Outcomes are reported in checkpoints (checkpoints.ts):
// the destination makes the files durable first, then heartbeat and store learn about them.
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import type { UploadSession } from '../../connectors/cloud';
import { Checkpoints } from './checkpoints';
import type { CopyContext, SessionHooks } from './context';
import { copyDirect, type Queued } from './direct';
import { copyFileWithRetries } from './file';
import { toActivityFailure } from '../errors';
import { ItemRecorder } from './items';
import type { MigrationItemsRepo } from '../../store/types';
import type { CopyRequest, CopyResult, FileOutcome, FileTask } from '../../contract';

const HEARTBEAT_EVERY_MS = 2_000;
/** Finished files are made durable and reported at most this often (and when the batch ends). */
const CHECKPOINT_EVERY_MS = 1_000;
const MAX_REPORTED_FAILURES = 20;

export interface CopyDeps {
  connectorsFor(request: CopyRequest): Promise<Pick<CopyContext, 'source' | 'destination'>>;
  fileConcurrency: number;
  /** Where each file's outcome is recorded (GET /v1/migrations/:id/items); none in some tests. */
  items?: MigrationItemsRepo;
  /** A transfer that moves no byte for this long is failed and retried (TRANSFER_STALL_SECONDS). */
  stallMs?: number;
}

/** What a copy's heartbeat carries; a retried attempt reads it back. */
interface CopyHeartbeat {
  /** Outcomes of the files already durable at the destination (by index in the request). */
  outcomes: (FileOutcome | null)[];
  /** The large file's upload session, to resume mid-file. */
  session: UploadSession | null;
  /** Bytes this attempt has moved so far: shown to operators as proof of progress. */
  bytesMoved: number;
}

const DEFAULT_STALL_MS = 120_000;

export async function copyBatch(deps: CopyDeps, request: CopyRequest): Promise<CopyResult> {
  const activity = Context.current();
  const previous = activity.info.heartbeatDetails as Partial<CopyHeartbeat> | undefined;
  const outcomes: (FileOutcome | null)[] = request.files.map((_, i) => previous?.outcomes?.[i] ?? null);
  // A large file's upload session travels in the heartbeat too, so a retry resumes it (large.ts).
  const session = request.large
    ? sessionHooks(
        previous?.session ?? null,
        () => beat(),
        () => activity.cancellationDetails?.cancelRequested === true,
      )
    : undefined;
  // What heartbeats may tell a retry: the outcomes of files already durable at the destination.
  const reported = outcomes.slice();
  let bytesMoved = 0;
  const beat = () => {
    const details: CopyHeartbeat = { outcomes: reported, session: session?.current ?? null, bytesMoved };
    activity.heartbeat(details);
  };
  const ticker = setInterval(beat, HEARTBEAT_EVERY_MS);
  const recorder = new ItemRecorder(deps.items, request);
  let checkpoints: Checkpoints | undefined;
  try {
    // A retry, or a batch the previous run was copying: earlier copies may have finished files.
    const resumed = activity.info.attempt > 1 || request.carried === true;
    if (resumed) {
      await recorder.resume(outcomes);
      outcomes.forEach((o, i) => (reported[i] = o));
    }
    const connectors = await deps.connectorsFor(request);
    recorder.services = { source: connectors.source.service, destination: connectors.destination.service };
    const ctx: CopyContext = {
      ...connectors,
      conflict: request.options.conflict,
      verify: request.options.verify,
      preserveModifiedTime: request.options.preserveModifiedTime,
      session,
      watch: { stallMs: deps.stallMs ?? DEFAULT_STALL_MS, onBytes: (n) => (bytesMoved += n) },
      signal: activity.cancellationSignal,
      sleep: (ms) => sleep(ms, undefined, { signal: activity.cancellationSignal }),
      // A file an earlier attempt wrote without reporting it counts as copied (earlier-write.ts).
      sinceMs: request.batch?.sinceMs ?? activity.info.scheduledTimestampMs,
      retried: resumed,
      tenant: request.source.accountId,
    };
    const groups = (checkpoints = new Checkpoints(CHECKPOINT_EVERY_MS, async (indexes) => {
      await connectors.destination.flush?.();
      for (const i of indexes) reported[i] = outcomes[i];
      beat();
      for (const i of indexes) await recorder.add(request.files[i], outcomes[i]);
      // A checkpoint's rows in one statement: fewer statements, and the items show within a second.
      await recorder.flush();
    }));
    const finish = (i: number, outcome: FileOutcome) => {
      outcomes[i] = outcome;
      groups.finished(i);
    };
    let failure: unknown = null;
    const lanes = async (files: Queued[]) => {
      let next = 0;
      const lane = async () => {
        while (next < files.length && failure === null) {
          const { index, task } = files[next++];
          try {
            finish(index, decided(task) ?? (await copyFileWithRetries(ctx, task)));
          } catch (err) {
            failure ??= err;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, deps.fileConcurrency) }, lane));
    };
    const todo = request.files.flatMap((task, index) => (outcomes[index] ? [] : [{ index, task }]));
    // Small local → local files go to the copy threads (direct.ts) while the lanes take the others;
    // the files the threads hand back follow.
    const { usual, handedBack } = await copyDirect(ctx, todo, finish);
    const back = handedBack.catch((err: unknown) => {
      failure ??= err;
      return [];
    });
    // Every lane finishes (and cleans up its partial file) before the activity reports anything;
    // the files done so far are reported even when one failed, so a retry skips them.
    await lanes(usual);
    await lanes(await back);
    await groups.now();
    await recorder.flush();
    if (failure !== null) throw failure;
    return summarize(request, outcomes as FileOutcome[]);
  } catch (err) {
    // Report a cancellation as such (the SDK recognises the signal's own reason), not as a failure.
    if (activity.cancellationSignal.aborted) throw activity.cancellationSignal.reason;
    throw toActivityFailure(err);
  } finally {
    clearInterval(ticker);
    checkpoints?.stop();
  }
}

function sessionHooks(
  initial: UploadSession | null,
  beat: () => void,
  cancelRequested: () => boolean,
): SessionHooks {
  let current = initial;
  return {
    cancelRequested,
    get current() {
      return current;
    },
    save(s) {
      current = s;
      beat();
    },
  };
}

/** What exploring already decided for a file: no copy, only an outcome. */
function decided(task: FileTask): FileOutcome | null {
  if (task.fail) return { status: 'failed', reason: task.fail };
  if (task.skip) return { status: 'skipped', bytes: 0, reason: task.skip };
  return null;
}

function summarize(request: CopyRequest, outcomes: FileOutcome[]): CopyResult {
  const result: CopyResult = {
    filesCopied: 0,
    bytesCopied: 0,
    filesSkipped: 0,
    bytesSkipped: 0,
    filesFailed: 0,
    failures: [],
  };
  outcomes.forEach((o, i) => {
    if (o.status === 'copied') {
      result.filesCopied++;
      result.bytesCopied += o.bytes;
    } else if (o.status === 'skipped') {
      result.filesSkipped++;
      result.bytesSkipped += o.bytes;
    } else {
      result.filesFailed++;
      if (result.failures.length < MAX_REPORTED_FAILURES) {
        result.failures.push({ path: request.files[i].sourcePath, reason: o.reason });
      }
    }
  });
  return result;
}
