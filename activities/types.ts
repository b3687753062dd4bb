// Payloads exchanged between the migration workflow and its activities. Kept compact: a page of
// 1,000 entries stays far below Temporal's payload limits.
import type { ServiceName } from '../common/services';
import type {
  ConflictPolicy,
  GoogleDocsPolicy,
  InvalidNamesPolicy,
  VerifyPolicy,
} from '../workflows/definitions';

/** Identifies one side of a transfer; activities load credentials themselves. */
export interface EndpointRef {
  accountId: string;
  connectionId: string;
}

/** One file to copy, as exploring decided it (names mapped, export extension added). */
export interface FileTask {
  sourcePath: string;
  destinationPath: string;
  /** Bytes; null when known only once read (an exported Google Doc). */
  size: number | null;
  modifiedAt: string | null;
  /** Not to be copied: counted as skipped, for this reason. */
  skip?: string;
  /** Not to be copied: counted as failed, for this reason (also a folder whose name was refused). */
  fail?: string;
}

/** How source entries become destination entries (from the migration's endpoints and options). */
export interface NamingRules {
  sourceRoot: string;
  destinationRoot: string;
  destinationService: ServiceName;
  googleDocs: GoogleDocsPolicy;
  invalidNames: InvalidNamesPolicy;
}

export interface CopyRequest {
  /** Whose items the outcomes are recorded as (absent in requests scheduled before items existed). */
  migrationId?: string;
  source: EndpointRef;
  destination: EndpointRef;
  files: FileTask[];
  conflict: ConflictPolicy;
  /** Default "checksum" (requests scheduled before the option existed have none). */
  verify?: VerifyPolicy;
  /** Give copies the source's modification time (default true; see WriteOptions.modifiedAt). */
  preserveModifiedTime?: boolean;
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
  /** A few failures with reasons (the full per-file report is issue 4's items table). */
  failures: { path: string; reason: string }[];
}

/** The migration's source: a folder to explore, or one file to copy. */
export type SourceInfo = { type: 'folder' } | { type: 'file'; task: FileTask };
