// Payloads exchanged between the migration workflow and its activities. Kept compact: a page of
// 1,000 entries stays far below Temporal's payload limits.
import type { ConflictPolicy } from '../workflows/definitions';

/** Identifies one side of a transfer; activities load credentials themselves. */
export interface EndpointRef {
  accountId: string;
  connectionId: string;
}

export interface FileTask {
  sourcePath: string;
  destinationPath: string;
  size: number;
  modifiedAt: string | null;
}

export interface CopyRequest {
  source: EndpointRef;
  destination: EndpointRef;
  files: FileTask[];
  conflict: ConflictPolicy;
}

export type FileOutcome =
  | { status: 'copied'; bytes: number }
  | { status: 'skipped'; bytes: number }
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

export interface SourceInfo {
  type: 'file' | 'folder';
  name: string;
  size: number;
  modifiedAt: string | null;
}
