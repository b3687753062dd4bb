// The copy batches a migration's run knows by reference (their files are in the store: see
// store/batches.ts): the exploration numbers they are stored under, those waiting for a copy slot, those
// being copied, and those copied (to be deleted). A run continues as new without waiting for its copies:
// the batches in flight and those waiting travel as refs, and the next run schedules them first. Refs cost
// the history nothing until scheduled, so a run schedules only while its event budget lasts.
import { storeActivities } from './proxies';
import {
  DIRECT_BATCH_FILES,
  LARGE_FILE_BYTES,
  type BatchKey,
  type BatchPlan,
  type BatchRef,
  type FrontierRef,
  type MigrationCarriedState,
  type MigrationTuning,
} from '../contract';

/** The patch that passes file lists through the store (older histories carry them in the workflow). */
export const BATCHES_BY_REFERENCE = 'batches-by-reference';

const keyOf = (b: BatchKey) => `${b.exploration}.${b.part}`;

export class StoredBatches {
  private explorations: number;
  private readonly inFlight = new Map<string, BatchRef>();
  private copied: BatchKey[] = [];
  /** Waiting for a copy slot; `carried`: it was in flight when an earlier run ended. */
  private readonly waiting: { batch: BatchRef; carried: boolean }[];

  constructor(
    private readonly ref: FrontierRef,
    carried?: MigrationCarriedState,
  ) {
    this.explorations = carried?.explorations ?? 0;
    const inFlight = carried?.batchesInFlight ?? 0;
    this.waiting = (carried?.batches ?? []).map((batch, i) => ({ batch, carried: i < inFlight }));
  }

  /** Batches waiting for a copy slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Found by an exploration: they wait their turn. */
  enqueue(batches: BatchRef[]): void {
    for (const batch of batches) this.waiting.push({ batch, carried: false });
  }

  /** Stopped by a pause before it finished: it goes first, resumed from the outcomes its copy recorded. */
  requeue(batch: BatchRef): void {
    this.waiting.unshift({ batch, carried: true });
  }

  /** The next batch to schedule (first those an earlier run was copying). */
  next(): { batch: BatchRef; carried: boolean } | undefined {
    return this.waiting.shift();
  }

  /** Where the next exploration stores its files; `given`: the tuning the migration was started with. */
  plan(tuning: MigrationTuning, given?: Partial<MigrationTuning>): BatchPlan {
    return {
      exploration: this.explorations++,
      maxFiles: tuning.batchMaxFiles,
      directMaxFiles: tuning.directBatchMaxFiles ?? given?.batchMaxFiles ?? DIRECT_BATCH_FILES,
      largeBytes: tuning.largeFileBytes ?? LARGE_FILE_BYTES,
    };
  }

  /** A batch's copy starts (again, for one carried in flight: it keeps its first start). */
  started(batch: BatchRef): BatchRef {
    const ref = { ...batch, sinceMs: batch.sinceMs ?? Date.now() };
    this.inFlight.set(keyOf(ref), ref);
    return ref;
  }

  /** A batch's copy ended; a copied one (its result taken) is deleted from the store later. */
  ended(batch: BatchRef, copied: boolean): void {
    this.inFlight.delete(keyOf(batch));
    if (copied) this.copied.push({ exploration: batch.exploration, part: batch.part });
  }

  /** Deletes the copied batches from the store (one activity for all since the last call). */
  async dropCopied(): Promise<void> {
    if (this.copied.length === 0) return;
    const keys = this.copied.splice(0);
    try {
      await storeActivities.dropBatches(this.ref, keys);
    } catch (err) {
      this.copied.unshift(...keys);
      throw err;
    }
  }

  /**
   * What the next run needs: the batches a copy may still be working on (in flight here, or carried in
   * flight from an earlier run and not scheduled again yet) first, then the others, and the numbering.
   */
  carried(): Pick<MigrationCarriedState, 'batches' | 'batchesInFlight' | 'explorations'> {
    const busy = [...this.inFlight.values(), ...this.waiting.filter((w) => w.carried).map((w) => w.batch)];
    const rest = this.waiting.filter((w) => !w.carried).map((w) => w.batch);
    return { batches: [...busy, ...rest], batchesInFlight: busy.length, explorations: this.explorations };
  }
}
