// What one file's copy works with: both connectors, the migration's copy options, and where a large
// file's upload session is kept. The copy chain reads it one way: file.ts → transfer.ts → large.ts →
// this file, so none of them imports the one before it.
import type { UploadSession } from '../../connectors/cloud';
import type { Connector } from '../../connectors/types';
import type { ConflictPolicy, VerifyPolicy } from '../../contract';
import type { ProgressWatch } from './progress-watch';

export interface CopyContext {
  source: Connector;
  destination: Connector;
  conflict: ConflictPolicy;
  verify: VerifyPolicy;
  /** false: copies get the destination's own modification time instead of the source's. */
  preserveModifiedTime?: boolean;
  /** Counts the bytes each transfer moves and fails one that stops moving (progress-watch.ts). */
  watch?: ProgressWatch;
  /** Present for a large file: where its upload session is kept so a retry resumes it. */
  session?: SessionHooks;
  signal: AbortSignal;
  sleep: (ms: number) => Promise<void>;
  /** When this copy's writes began (the batch's first scheduled time): see earlier-write.ts. */
  sinceMs?: number;
  /** A retried batch attempt: every file may have been written by the attempt before. */
  retried?: boolean;
  /** The account whose copy this is: shared resources (the local copy threads) take turns between them. */
  tenant?: string;
}

/** Where a large file's upload session is kept between attempts (the activity's heartbeat details). */
export interface SessionHooks {
  /** The session of an unfinished upload, from this or a previous attempt; null to start over. */
  readonly current: UploadSession | null;
  /** Records the session after each committed chunk, or null once it is finished or given up. */
  save(session: UploadSession | null): void;
  /**
   * Whether the copy was cancelled on purpose (the migration's cancel): only then is the session given
   * up. A worker shutting down, a heartbeat timeout or a reset keeps it for the next attempt.
   */
  cancelRequested(): boolean;
}
