// What the migration workflow and its listing and copy activities exchange. Kept compact: a page of
// 1,000 entries stays far below Temporal's payload limits.
import type { BatchKey, BatchRef, FrontierEntry } from './migration';
import type { MigrationOptions } from './options';
import type { ServiceName } from './services';

/** Identifies one side of a transfer; activities load credentials themselves. */
export interface EndpointRef {
  accountId: string;
  connectionId: string;
}

/** One file to copy, as exploring decided it (names mapped, export extension added). */
export interface FileTask {
  sourcePath: string;
  /**
   * The file's id at the source (FileEntry.id): it is read by it, never by re-resolving `sourcePath`,
   * and its item is keyed by it. Absent in tasks scheduled before ids were carried.
   */
  sourceId?: string;
  destinationPath: string;
  /** Bytes; null when known only once read (an exported Google Doc). */
  size: number | null;
  modifiedAt: string | null;
  /** Not to be copied: counted as skipped, for this reason. */
  skip?: string;
  /** Not to be copied: counted as failed, for this reason (also a folder whose name was refused). */
  fail?: string;
  /** Why the destination name differs from the source's (a duplicate, a case collision, a refused name). */
  note?: string;
  /**
   * What the destination held at `destinationPath` when exploring listed (or created) its folder: null
   * for nothing, else that entry in brief. A copy's first try takes it instead of looking the path up;
   * a try that may follow an earlier write looks again. Absent: not known, looked up.
   */
  found?: FoundEntry | null;
  /** The id of the destination folder (FileEntry.id) where exploring made or listed it: written into by id. */
  destinationFolderId?: string;
}

/** An entry found at a file's destination name (a FileEntry in brief; its path is the task's). */
export interface FoundEntry {
  id: string;
  /** Its name there when it differs from the task's (another case, where names ignore case). */
  name?: string;
  type: 'file' | 'folder';
  size: number | null;
  createdAt: string | null;
  modifiedAt: string | null;
  /** The destination's hash of it, where it reports one (algorithm as in connectors' Checksum). */
  checksum: { algorithm: string; value: string } | null;
}

/** How source entries become destination entries (from the migration's endpoints and options). */
export interface NamingRules extends Pick<MigrationOptions, 'googleDocs' | 'invalidNames'> {
  sourceRoot: string;
  destinationRoot: string;
  destinationService: ServiceName;
}

/** The migration's source: a folder to explore, or one file to copy. */
export type SourceInfo = { type: 'folder' } | { type: 'file'; task: FileTask };

export interface ExploreRequest {
  /** Whose names are recorded for folders listed over several pages (absent in older requests). */
  migrationId?: string;
  rules: NamingRules;
  /** Folders to explore, as a stack (last = next); returned updated. */
  stack: FrontierEntry[];
  /** Stop once this many entries were listed. */
  maxEntries: number;
  /**
   * Stop listing new pages after this long (absent: no limit): while other explorations run beside it,
   * an activity hands its unlisted folders back soon, so they are shared out again.
   */
  maxMillis?: number;
  /** The migration's options (include, exclude and dry_run decide what is looked at and made). */
  options: MigrationOptions;
  /**
   * The files go to the store in copy batches under this exploration number (unique in the migration),
   * and the result carries only their refs. Absent (older requests, a sync's runs): files in the result.
   */
  batches?: BatchPlan;
}

/** How exploring groups files into copy batches (see activities/listing/batches.ts). */
export interface BatchPlan {
  exploration: number;
  /** Small files per batch. */
  maxFiles: number;
  /**
   * Small files per batch between two local connections, whose copy threads (connectors/local/direct.ts)
   * take a file for much less than an activity costs; absent in plans from before (maxFiles then).
   */
  directMaxFiles?: number;
  /** Files from this size get a batch (and a resumable activity) of their own. */
  largeBytes: number;
}

export interface ExploreResult {
  stack: FrontierEntry[];
  /** The files found, when the request had no `batches` plan (else empty). */
  files: FileTask[];
  /** Folders found and created at the destination. */
  folders: number;
  /** With a `batches` plan: the stored batches, in the order found (none for a dry run). */
  batches?: BatchRef[];
  /** With a `batches` plan: what was found, stored or not. */
  discovered?: { files: number; bytes: number };
}

export interface CopyRequest {
  /** Whose items the outcomes are recorded as (absent in requests scheduled before items existed). */
  migrationId?: string;
  source: EndpointRef;
  destination: EndpointRef;
  /** The files; empty when `batch` names them in the store. */
  files: FileTask[];
  /** The stored batch to copy (its files are loaded from the store). */
  batch?: BatchRef;
  /**
   * The batch was being copied when the previous run continued as new: a copy of that run may have
   * finished some files (recorded in the store) or may still hold the batch's claim for a moment.
   */
  carried?: boolean;
  /** The migration's options (conflict, verify, preserve_modified_time apply here). */
  options: MigrationOptions;
  /** One large file: its upload session is heartbeated so a retry resumes it mid-file. */
  large?: boolean;
}

export type FileOutcome =
  /** `path`: where it was written when not at the task's destination path (conflict "rename"). */
  | { status: 'copied'; bytes: number; path?: string }
  | { status: 'skipped'; bytes: number; reason?: string }
  | { status: 'failed'; reason: string };

export interface CopyResult {
  filesCopied: number;
  bytesCopied: number;
  filesSkipped: number;
  bytesSkipped: number;
  filesFailed: number;
  /** A few failures with reasons (the full per-file report is in the store's items). */
  failures: { path: string; reason: string }[];
}

/** Counts of what the store holds for a set of files. */
export type RecordedCounts = Omit<CopyResult, 'failures'>;

/** A copy batch whose retries ran out: its files without a recorded outcome are recorded as failed. */
export interface ExhaustedBatch {
  accountId: string;
  migrationId: string;
  /** The batch's files; empty when `batch` names them in the store. */
  files: FileTask[];
  batch?: BatchKey;
  /** Why the last attempt failed. */
  reason: string;
}

/** Which migration's spilled frontier. */
export interface FrontierRef {
  accountId: string;
  migrationId: string;
}
