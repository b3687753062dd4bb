// The copy batches a migration's run knows by reference (their files are in the store: see
// store/batches.ts): the exploration numbers they are stored under, which are being copied, and which
// are copied and can be deleted. A run continues as new without waiting for its copies: the batches in
// flight and those not yet scheduled travel as refs, and the next run schedules them again first.
import { storeActivities } from './proxies';
import {
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
  /** Refs found while the run is stopping: carried to the next run, not scheduled here. */
  readonly queued: BatchRef[] = [];

  constructor(
    private readonly ref: FrontierRef,
    carried?: MigrationCarriedState,
  ) {
    this.explorations = carried?.explorations ?? 0;
  }

  /** Where the next exploration stores its files. */
  plan(tuning: MigrationTuning): BatchPlan {
    return {
      exploration: this.explorations++,
      maxFiles: tuning.batchMaxFiles,
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

  /** What the next run needs: the batches in flight (first) and those queued, and the numbering. */
  carried(): Pick<MigrationCarriedState, 'batches' | 'batchesInFlight' | 'explorations'> {
    const inFlight = [...this.inFlight.values()];
    return {
      batches: [...inFlight, ...this.queued],
      batchesInFlight: inFlight.length,
      explorations: this.explorations,
    };
  }
}
