// Payloads of the incremental-sync activities (changes.ts, compare-explore.ts, mirror.ts). Compact,
// like the migration's: a page of changes stays far below Temporal's payload limits.
import type { FrontierEntry } from '../workflows/definitions';
import type { ExploreRequest } from './explore';
import type { FileTask } from './types';

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

export interface CompareRequest extends ExploreRequest {
  sync: SyncRef;
  /** Gather what the destination has and the source does not (delete_extraneous). */
  mirror: boolean;
  /** Copies carry the source's modification time (preserve_modified_time). */
  preserveModifiedTime: boolean;
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
  rules: ExploreRequest['rules'];
  cursor: string;
  include?: string[];
  exclude?: string[];
  dryRun?: boolean;
  mirror: boolean;
  preserveModifiedTime: boolean;
}

export type ChangesResult =
  | { expired: string }
  | {
      cursor: string;
      hasMore: boolean;
      files: FileTask[];
      /** Folders whose contents the feed did not report (moved or renamed ones): list them whole. */
      folders: string[];
      folderCount: number;
      unchanged: UnchangedCount;
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
