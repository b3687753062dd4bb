// Shared between the API (client side) and the workflow: inputs, queries, signals.
// Imported by workflow code, so: types and @temporalio/workflow definitions only, no Node built-ins.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { MigrationEndpoint, MigrationProgress, MigrationStatus } from '../store/types';

/** An existing destination file: keep it, replace it, copy beside it as "name (1).ext", or replace it only when the source is newer. */
export type ConflictPolicy = 'skip' | 'overwrite' | 'rename' | 'newer';
/** How a copy is checked: the destination's hash against the bytes read, the byte count, or not at all. */
export type VerifyPolicy = 'checksum' | 'size' | 'none';
/** Google-native documents (Docs, Sheets, Slides…): exported to an Office format, or skipped. */
export type GoogleDocsPolicy = 'export' | 'skip';
/** Names the destination refuses: the file fails, or it is copied under a look-alike name. */
export type InvalidNamesPolicy = 'fail' | 'encode';

export interface MigrationOptions {
  conflict: ConflictPolicy;
  /** Default "export" (migrations stored before the option existed have none). */
  googleDocs?: GoogleDocsPolicy;
  /** Default "fail". */
  invalidNames?: InvalidNamesPolicy;
  /** Globs (relative to the source root) a file must match to be copied; empty = everything. */
  include?: string[];
  /** Globs of files and folders left out. */
  exclude?: string[];
  /** Plan and count only; nothing is written. */
  dryRun?: boolean;
  /** Default "checksum". */
  verify?: VerifyPolicy;
  /** Set the destination's modification time to the source's where the service allows it (default true). */
  preserveModifiedTime?: boolean;
  /** Mirror mode (syncs): delete at the destination what no longer exists at the source (default false). */
  deleteExtraneous?: boolean;
  /** Mirror mode's guard: more deletions than this fail the run before anything is deleted (null: no limit). */
  maxDelete?: MaxDelete | null;
}

/** At most this many deletions, or this percentage of the destination's files seen by the run. */
export type MaxDelete = { count: number } | { percent: number };

/** Options with their defaults filled in (stored JSON may predate an option, or carry junk). */
export function resolveOptions(
  o: Partial<Record<keyof MigrationOptions, unknown>>,
): Required<MigrationOptions> {
  return {
    conflict: oneOf(o.conflict, ['skip', 'overwrite', 'rename', 'newer'] as const, 'skip'),
    googleDocs: o.googleDocs === 'skip' ? 'skip' : 'export',
    invalidNames: o.invalidNames === 'encode' ? 'encode' : 'fail',
    include: strings(o.include),
    exclude: strings(o.exclude),
    dryRun: o.dryRun === true,
    verify: oneOf(o.verify, ['checksum', 'size', 'none'] as const, 'checksum'),
    preserveModifiedTime: o.preserveModifiedTime !== false,
    deleteExtraneous: o.deleteExtraneous === true,
    maxDelete: maxDeleteOf(o.maxDelete),
  };
}

function maxDeleteOf(v: unknown): MaxDelete | null {
  const o = (v ?? {}) as { count?: unknown; percent?: unknown };
  if (typeof o.count === 'number' && o.count >= 0) return { count: Math.floor(o.count) };
  if (typeof o.percent === 'number' && o.percent >= 0) return { percent: Math.min(100, o.percent) };
  return null;
}

const oneOf = <T extends string>(v: unknown, allowed: readonly T[], fallback: T): T =>
  allowed.includes(v as T) ? (v as T) : fallback;
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

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
  /** Copy activities in flight at once for one migration. */
  concurrency: number;
  /** Files from this size get a resumable activity of their own (default 64 MiB; see batches.ts). */
  largeFileBytes?: number;
  /** Folders to list kept in the workflow before the rest goes to the store (default 1,000; see frontier.ts). */
  frontierSpillAt?: number;
  /** History events after which a run continues as new, if the server has not suggested it (default 4,000). */
  maxRunEvents?: number;
  /** migration.progress at most this often (default a minute; see webhook-events.ts). */
  progressEveryMs?: number;
}

export const DEFAULT_TUNING: MigrationTuning = { exploreEntries: 1000, batchMaxFiles: 100, concurrency: 4 };

/** A folder still to be listed, with the page to resume from. */
export interface FrontierEntry {
  /** Source path of the folder. */
  path: string;
  pageToken: string | null;
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
  /** Current bytes per second: copied over about the last 30 seconds (see throughput.ts). */
  throughputBytesPerSecond: number;
  /** Seconds left at the current throughput; null until the listing is complete or while nothing moves. */
  etaSeconds: number | null;
  /**
   * Incremental runs only: the source's change-feed position taken at the start of the run, for the
   * sync to save after a `completed` run (null when the source has no change feed).
   */
  cursor?: string | null;
}

export const MIGRATION_WORKFLOW_TYPE = 'migrationWorkflow';

export const progressQuery = defineQuery<MigrationSnapshot>('progress');
/** Pause holds the migration between files (copies in flight finish); resume lets it go on. */
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');

/** What a sync's Temporal Schedule starts on every action (workflows/sync-run.ts): ids only, read at run time. */
export interface SyncRunInput {
  syncId: string;
  accountId: string;
}

export const SYNC_RUN_WORKFLOW_TYPE = 'syncRunWorkflow';
