// A migration as workflows, activities, the store and the API all see it: its endpoints, status and
// progress, and what the migration workflow takes, carries across continue-as-new, and answers.
import type { MigrationOptions } from './options';
import type { ServiceName } from './services';

export type MigrationStatus =
  | 'pending'
  | 'queued'
  | 'running'
  | 'paused'
  | 'completed'
  | 'completed_with_errors'
  | 'failed'
  | 'cancelled';

export const MIGRATION_STATUSES = [
  'pending',
  'queued',
  'running',
  'paused',
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
] as const satisfies readonly MigrationStatus[];

export const FINAL_STATUSES: readonly MigrationStatus[] = [
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
];

export const isFinalStatus = (s: MigrationStatus): boolean => FINAL_STATUSES.includes(s);

/**
 * The statuses a migration may move to from each status: the one state machine the store enforces with
 * conditional updates. A final status never changes (writing the same one again is a no-op retry).
 */
export const STATUS_TRANSITIONS: Record<MigrationStatus, readonly MigrationStatus[]> = {
  pending: ['queued', 'running', 'paused', 'completed', 'completed_with_errors', 'failed', 'cancelled'],
  // Waiting for one of its account's running slots (MIGRATECLOUDS_ACCOUNT_MAX_RUNNING_MIGRATIONS).
  queued: ['queued', 'running', 'completed', 'completed_with_errors', 'failed', 'cancelled'],
  running: ['running', 'paused', 'completed', 'completed_with_errors', 'failed', 'cancelled'],
  paused: ['running', 'paused', 'completed', 'completed_with_errors', 'failed', 'cancelled'],
  completed: ['completed'],
  completed_with_errors: ['completed_with_errors'],
  failed: ['failed'],
  cancelled: ['cancelled'],
};

/** The statuses that hold one of an account's running slots. */
export const SLOT_HOLDING_STATUSES: readonly MigrationStatus[] = ['running', 'paused'];

/** The statuses a migration may be in for a move to `to`. */
export const statusesBefore = (to: MigrationStatus): MigrationStatus[] =>
  (Object.keys(STATUS_TRANSITIONS) as MigrationStatus[]).filter((from) =>
    STATUS_TRANSITIONS[from].includes(to),
  );

export interface MigrationEndpoint {
  connectionId: string;
  service: ServiceName;
  path: string;
}

export interface MigrationProgress {
  filesDiscovered: number;
  bytesDiscovered: number;
  foldersDiscovered: number;
  filesCopied: number;
  bytesCopied: number;
  filesSkipped: number;
  bytesSkipped: number;
  filesFailed: number;
  /** True once the whole source has been listed. */
  listingComplete: boolean;
  /** Mirror mode (a sync's delete_extraneous): files deleted at the destination; absent before it ran. */
  filesDeleted?: number;
}

export const emptyProgress = (): MigrationProgress => ({
  filesDiscovered: 0,
  bytesDiscovered: 0,
  foldersDiscovered: 0,
  filesCopied: 0,
  bytesCopied: 0,
  filesSkipped: 0,
  bytesSkipped: 0,
  filesFailed: 0,
  listingComplete: false,
});

export interface MigrationWorkflowInput {
  migrationId: string;
  accountId: string;
  source: MigrationEndpoint;
  destination: MigrationEndpoint;
  options: MigrationOptions;
  /** Present only when the workflow continued as new: where the previous run stopped. */
  carried?: MigrationCarriedState;
  /** Engine sizes, for tests and benchmarks; the API leaves them at their defaults. */
  tuning?: Partial<MigrationTuning>;
  /**
   * A sync's run: copy only what changed since `cursor` (the source's change-feed position saved after
   * the sync's last `completed` run; null for the first run or a source without a feed), else compare
   * the source with the destination and copy what differs. See workflows/incremental.ts.
   */
  incremental?: { syncId: string; cursor: string | null };
}

export interface MigrationTuning {
  /** Entries listed per exploring activity. */
  exploreEntries: number;
  /** Small files per copy activity. */
  batchMaxFiles: number;
  /** Small files per copy activity between two local connections (default 500, or batchMaxFiles when that is given). */
  directBatchMaxFiles?: number;
  /** Copy activities in flight at once for one migration. */
  concurrency: number;
  /** Exploring activities in flight at once (default 8; a sync's runs explore one at a time). */
  listingConcurrency?: number;
  /** Files from this size get a resumable activity of their own (default 64 MiB; see contract/batching.ts). */
  largeFileBytes?: number;
  /** Folders to list kept in the workflow before the rest goes to the store (default 1,000; see workflows/frontier.ts). */
  frontierSpillAt?: number;
  /** History events after which a run continues as new, if the server has not suggested it (default 4,000). */
  maxRunEvents?: number;
  /** migration.progress at most this often (default a minute; see workflows/webhook-events.ts). */
  progressEveryMs?: number;
}

export const DEFAULT_TUNING: MigrationTuning = { exploreEntries: 1000, batchMaxFiles: 100, concurrency: 4 };

/** A folder still to be listed, with the page to resume from. */
export interface FrontierEntry {
  /** Source path of the folder. */
  path: string;
  /** Its id at the source: listed by it (a path can be ambiguous). Absent for the root and older entries. */
  id?: string;
  /** Its destination path as placed (a duplicate renamed); absent for the root and older entries. */
  destination?: string;
  /** Why that differs from its source path, for the items of what it holds. */
  note?: string;
  /** Compare only its own entries, not its subfolders (a folder a change-feed run saw change). */
  shallow?: boolean;
  /**
   * Nothing below is copied: every file in it fails for this reason (a folder whose name or path the
   * destination refuses, or that it could not create). It is listed only to report those files.
   */
  fail?: string;
  pageToken: string | null;
}

/** A copy batch in the store (migration_batches), by the exploration that found it and its part there. */
export interface BatchKey {
  exploration: number;
  part: number;
}

/** What the workflow keeps of a stored batch. */
export interface BatchRef extends BatchKey {
  files: number;
  bytes: number;
  /** One large file (a resumable activity of its own). */
  large: boolean;
  /**
   * When its copy was first scheduled (workflow clock), for a batch carried into a new run while it was
   * being copied: files written since then may be that copy's (activities/copy/earlier-write.ts).
   */
  sinceMs?: number;
}

export interface MigrationCarriedState {
  frontier: FrontierEntry[];
  /** Folders below `frontier` in the store's migration_frontier rows (seq 0 … n-1). */
  spilledFrontier?: number;
  progress: MigrationProgress;
  firstError: string | null;
  startedAtMs: number;
  /** Paused by the user: the next run holds until resumed. */
  paused?: boolean;
  /** A sync's run: where it stands (workflows/incremental.ts). */
  incremental?: IncrementalCarried;
  /** Stored copy batches not yet copied: those in flight when the run continued as new come first. */
  batches?: BatchRef[];
  /** How many of `batches` were in flight (scheduled again, as `carried`, by the next run). */
  batchesInFlight?: number;
  /** Explorations numbered so far (batches are stored under these numbers). */
  explorations?: number;
}

export interface IncrementalCarried {
  cursor: string | null;
  feedCursor: string | null;
  feedRun: boolean;
  destinationFiles: number;
}

export interface MigrationSnapshot {
  status: MigrationStatus;
  progress: MigrationProgress;
  error: string | null;
  /** Current bytes per second: copied over about the last 30 seconds (see workflows/throughput.ts). */
  throughputBytesPerSecond: number;
  /** Seconds left at the current throughput; null until the listing is complete or while nothing moves. */
  etaSeconds: number | null;
  /**
   * Incremental runs only: the source's change-feed position taken at the start of the run, for the
   * sync to save after a `completed` run (null when the source has no change feed).
   */
  cursor?: string | null;
}
