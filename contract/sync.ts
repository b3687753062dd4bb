// A recurring sync's runs: what its Temporal Schedule starts, and what the incremental-sync activities
// (feed, comparison, mirror mode) exchange with the migration workflow.
import type { ExploreRequest, FileTask, NamingRules } from './copy';
import type { FrontierEntry, MigrationEndpoint, MigrationStatus } from './migration';
import type { MigrationOptions } from './options';

/** What a sync's Temporal Schedule starts on every action (workflows/sync-run.ts): ids only, read at run time. */
export interface SyncRunInput {
  syncId: string;
  accountId: string;
}

export interface SyncRunResult {
  /** Null when the sync was deleted before the run began. */
  migrationId: string | null;
  status: MigrationStatus | 'skipped';
}

export interface StartSyncRunRequest {
  syncId: string;
  accountId: string;
  /** Chosen by the workflow, so a retried activity finds the row it already created. */
  migrationId: string;
}

export interface SyncRun {
  migrationId: string;
  source: MigrationEndpoint;
  destination: MigrationEndpoint;
  options: MigrationOptions;
  /** The change-feed cursor of the last completed run (null before the first). */
  cursor: string | null;
}

export interface FinishSyncRunRequest {
  syncId: string;
  migrationId: string;
  status: MigrationStatus;
  cursor: string | null;
}

/** Which sync and run the state belongs to. */
export interface SyncRef {
  accountId: string;
  syncId: string;
  migrationId: string;
}

/** Files found identical at the destination: counted as skipped, never read nor recorded one by one. */
export interface UnchangedCount {
  files: number;
  bytes: number;
}

/** Exploring with comparison; the options' delete_extraneous gathers what the source no longer has. */
export interface CompareRequest extends ExploreRequest {
  sync: SyncRef;
}

export interface CompareResult {
  stack: FrontierEntry[];
  /** New or changed files only. */
  files: FileTask[];
  folders: number;
  unchanged: UnchangedCount;
  /** Files the destination held in the folders listed (the base of a max_delete percentage). */
  destinationFiles: number;
}

export interface ChangesRequest {
  sync: SyncRef;
  rules: NamingRules;
  cursor: string;
  options: MigrationOptions;
}

export type ChangesResult =
  | { expired: string }
  | {
      cursor: string;
      hasMore: boolean;
      /**
       * Folders to compare with the destination: each folder a changed, added or deleted item is (or
       * was) in, shallow; and whole, the moved or renamed folders whose contents the feed did not report.
       */
      folders: FrontierEntry[];
    };

/** What mirror mode would delete, counted before anything is. */
export interface DeletionPlan {
  /** Paths to delete (files and folders, none inside another). */
  entries: number;
  /** Files they hold. */
  files: number;
  /** Files the sync knows at the source (feed runs: the base of a max_delete percentage). */
  knownFiles: number;
}

export interface DeletedPage {
  files: number;
  entries: number;
  /** Where the next page starts; null after the last. */
  nextKey: string | null;
}
