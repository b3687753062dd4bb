// A copy between two `local` connections may reach their files directly, without a stream per file:
// the destination's connector copies small files on a few threads of its own (copy-threads.ts), each
// in one synchronous loop. Types only: Connector.localDirect answers this (connector.ts).
import type { VerifyPolicy } from '../../contract';
import type { LocalFsync } from './durability';

/** One file to copy directly: connector paths on each side, its listed size and modification time. */
export interface DirectFile {
  source: string;
  destination: string;
  size: number;
  /** Set on the copy; null keeps the time of writing. */
  modifiedAt: string | null;
}

/**
 * What became of one file: copied (`bytes` written, verified, durable as the destination's other
 * writes), `taken` (something got the name since it was listed) or `other` (anything else: a
 * symlink, a changed size, an error). Neither of the last two left anything behind; the caller copies
 * such files the usual way, which decides and reports as it always does.
 */
export type DirectResult = { copied: number } | { retry: 'taken' | 'other' };

export interface DirectCopyOptions {
  verify: VerifyPolicy;
  /** Stops the copy between two files; files not started are answered `other`. */
  signal: AbortSignal;
  /** Each file's result (by index in `files`), once the destination would make it durable on flush. */
  onResult(index: number, result: DirectResult): void;
  /** Whose copy this is (the account): the threads take turns between tenants (copy-threads.ts). */
  tenant?: string;
}

export interface LocalDirect {
  /** Files smaller than this go directly; larger ones the usual way. */
  readonly maxBytes: number;
  /** When this connection's writes are fsynced (LOCAL_FSYNC). */
  readonly fsync: LocalFsync;
  /** The realpath of the folder at `segments` below the root, checked to lie inside it (paths.ts). */
  folder(segments: string[]): Promise<string>;
  /** A file took its name in `folder` (a realpath): durable now or at the next flush (durability.ts). */
  named(folder: string): Promise<void>;
  /** Copies `files` from `source` into this connection; resolves once every result was given. */
  copySmallFrom(source: LocalDirect, files: DirectFile[], options: DirectCopyOptions): Promise<void>;
}
