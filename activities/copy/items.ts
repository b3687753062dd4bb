// The per-file report of a migration (its "items"): the copy activity records every file's outcome
// in the store as the batch goes, at each checkpoint in one statement, so GET /v1/migrations/:id/items
// shows them while the migration runs. Rows are upserts keyed by (migration, the file's identity): a retried
// batch rewrites its rows, never adds any, and starts from the outcomes its earlier attempts recorded.
import { countRecordedFiles } from '../../common/metrics';
import { itemKey } from '../../store/items';
import type { MigrationItem, MigrationItemOutcome, MigrationItemsRepo, Store } from '../../store/types';
import type {
  BatchKey,
  CopyRequest,
  ExhaustedBatch,
  FileOutcome,
  FileTask,
  FrontierRef,
  MigrationStoreActivities,
  RecordedCounts,
} from '../../contract';

/**
 * At most this many outcomes wait for a write (the copy flushes at each checkpoint anyway). Per row,
 * a statement of 100 rows costs the SQLite store 17 µs of CPU, one of 50 rows 20 µs, of 500 12 µs.
 */
export const FLUSH_EVERY = 500;
/** A conflict skip without a reason of its own. */
const EXISTS_REASON = 'A file with this name already exists at the destination';

export function toItemOutcome(task: FileTask, o: FileOutcome): MigrationItemOutcome {
  return {
    sourcePath: task.sourcePath,
    sourceId: task.sourceId ?? null,
    destinationPath: (o.status === 'copied' && o.path) || task.destinationPath,
    // What was written for a copy; the source's size otherwise (unknown for a document not exported).
    size: o.status === 'copied' ? o.bytes : o.status === 'skipped' ? (task.size ?? o.bytes) : task.size,
    status: o.status,
    reason: o.status === 'copied' ? null : (o.reason ?? EXISTS_REASON),
    note: task.note ?? null,
  };
}

function toFileOutcome(item: MigrationItem): FileOutcome {
  if (item.status === 'copied') return { status: 'copied', bytes: item.size ?? 0 };
  if (item.status === 'skipped')
    return { status: 'skipped', bytes: item.size ?? 0, reason: item.reason ?? undefined };
  return { status: 'failed', reason: item.reason ?? 'Failed' };
}

/** Which services a batch copies between: the labels its recorded outcomes are counted under. */
export interface CopyServices {
  source: string;
  destination: string;
}

/**
 * Buffers one batch's outcomes and writes them, one statement at a time, in the order they came. The
 * files the store had no row for are counted in the metrics (migrateclouds_files_total) once `services`
 * is known, so a retried batch rewriting its rows counts nothing twice.
 */
export class ItemRecorder {
  private pending: MigrationItemOutcome[] = [];
  private writing: Promise<void> = Promise.resolve();
  /** Set once the batch's connectors are open; rows are written only after that. */
  services?: CopyServices;

  constructor(
    private readonly items: MigrationItemsRepo | undefined,
    private readonly request: Pick<CopyRequest, 'source' | 'files' | 'migrationId'>,
  ) {}

  /** Requests scheduled before migrations carried their id (or tests without a store) record nothing. */
  private get enabled(): boolean {
    return this.items !== undefined && typeof this.request.migrationId === 'string';
  }

  /** Queues a file's outcome; every FLUSH_EVERY outcomes the returned promise waits for their write. */
  add(task: FileTask, outcome: FileOutcome | null): Promise<void> {
    if (!this.enabled || !outcome) return Promise.resolve();
    this.pending.push(toItemOutcome(task, outcome));
    return this.pending.length >= FLUSH_EVERY ? this.flush() : Promise.resolve();
  }

  /** Writes what is queued (after any write already under way). */
  flush(): Promise<void> {
    const rows = this.pending.splice(0);
    if (rows.length > 0) {
      const { items, request } = this;
      this.writing = this.writing.then(async () => {
        const added = await items!.record(request.source.accountId, request.migrationId!, rows);
        if (this.services) countRecordedFiles(this.services, added);
      });
    }
    return this.writing;
  }

  /**
   * A retried attempt: fills `outcomes` (index per file, already holding the heartbeat's) with what
   * earlier attempts recorded, and queues the heartbeat's outcomes that never reached the store.
   * Files decided by exploring are left alone: deciding them again costs nothing.
   */
  async resume(outcomes: (FileOutcome | null)[]): Promise<void> {
    if (!this.enabled) return;
    const files = this.request.files;
    const recorded = await this.items!.find(
      this.request.source.accountId,
      this.request.migrationId!,
      files.filter((f) => !f.skip && !f.fail),
    );
    const byKey = new Map(recorded.map((item) => [itemKey(item), item]));
    files.forEach((task, i) => {
      const item = byKey.get(itemKey(task));
      if (outcomes[i] && !item) this.pending.push(toItemOutcome(task, outcomes[i]!));
      else if (!outcomes[i] && item) outcomes[i] = toFileOutcome(item);
    });
  }
}

/** Activities the workflow calls about items (proxied as store activities). */
export function itemActivities(
  store: Store,
): Pick<MigrationStoreActivities, 'recordExhaustedBatch' | 'dropBatches'> {
  const servicesOf = async (migrationId: string, accountId: string): Promise<CopyServices | undefined> => {
    const migration = await store.migrations.get(accountId, migrationId);
    return migration && { source: migration.source.service, destination: migration.destination.service };
  };
  return {
    /**
     * A batch whose retries ran out: each of its files without a recorded outcome is recorded as
     * failed with the reason; answers the counts of what is now recorded for all its files (files an
     * earlier attempt copied stay copied), for the migration's counters.
     */
    async recordExhaustedBatch(exhausted: ExhaustedBatch): Promise<RecordedCounts> {
      const { accountId, migrationId } = exhausted;
      // A stored batch's files come from the store (a missing one cannot be recorded: all fail).
      const files = exhausted.batch
        ? ((await store.batches.load(accountId, migrationId, exhausted.batch)) ?? [])
        : exhausted.files;
      const batch = { ...exhausted, files };
      const failed = batch.files.map((task) =>
        toItemOutcome(task, { status: 'failed', reason: `Retries exhausted: ${batch.reason}` }),
      );
      const added = await store.items.record(batch.accountId, batch.migrationId, failed, { onlyNew: true });
      const services = added.length ? await servicesOf(migrationId, accountId) : undefined;
      if (services) countRecordedFiles(services, added);
      const recorded = await store.items.find(batch.accountId, batch.migrationId, batch.files);
      const counts: RecordedCounts = {
        filesCopied: 0,
        bytesCopied: 0,
        filesSkipped: 0,
        bytesSkipped: 0,
        filesFailed: 0,
      };
      for (const item of recorded) {
        if (item.status === 'copied') {
          counts.filesCopied++;
          counts.bytesCopied += item.size ?? 0;
        } else if (item.status === 'skipped') {
          counts.filesSkipped++;
          counts.bytesSkipped += item.size ?? 0;
        } else counts.filesFailed++;
      }
      // Paths recorded by another account (never expected) still count, as failed.
      counts.filesFailed += Math.max(0, batch.files.length - recorded.length);
      return counts;
    },

    /** Deletes stored copy batches the workflow has taken the results of. */
    async dropBatches(ref: FrontierRef, keys: BatchKey[]): Promise<void> {
      await store.batches.drop(ref.accountId, ref.migrationId, keys);
    },
  };
}
