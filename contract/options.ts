// A migration's options: one complete, camelCase value. The API parses a request's options into it once
// (api/migrations/options.ts), the store keeps it typed (rows written before an option existed are
// upgraded when read, with `completeOptions`), and workflows and activities receive it whole.

/** An existing destination file: keep it, replace it, copy beside it as "name (1).ext", or replace it only when the source is newer. */
export type ConflictPolicy = 'skip' | 'overwrite' | 'rename' | 'newer';
/** How a copy is checked: the destination's hash against the bytes read, the byte count, or not at all. */
export type VerifyPolicy = 'checksum' | 'size' | 'none';
/** Google-native documents (Docs, Sheets, Slides…): exported to an Office format, or skipped. */
export type GoogleDocsPolicy = 'export' | 'skip';
/** Names the destination refuses: the file fails, or it is copied under a look-alike name. */
export type InvalidNamesPolicy = 'fail' | 'encode';
/** At most this many deletions, or this percentage of the destination's files seen by the run. */
export type MaxDelete = { count: number } | { percent: number };

export interface MigrationOptions {
  conflict: ConflictPolicy;
  googleDocs: GoogleDocsPolicy;
  invalidNames: InvalidNamesPolicy;
  /** Globs (relative to the source root) a file must match to be copied; empty = everything. */
  include: string[];
  /** Globs of files and folders left out. */
  exclude: string[];
  /** Plan and count only; nothing is written. */
  dryRun: boolean;
  verify: VerifyPolicy;
  /** Set the destination's modification time to the source's where the service allows it. */
  preserveModifiedTime: boolean;
  /** Mirror mode (syncs): delete at the destination what no longer exists at the source. */
  deleteExtraneous: boolean;
  /** Mirror mode's guard: more deletions than this fail the run before anything is deleted (null: no limit). */
  maxDelete: MaxDelete | null;
}

/**
 * What an option meant before it existed: the value a stored row without it is read with. The API's
 * defaults are the same, but for max_delete (syncs default to 100 files; see api/migrations/options.ts).
 */
export const OPTION_DEFAULTS: MigrationOptions = {
  conflict: 'skip',
  googleDocs: 'export',
  invalidNames: 'fail',
  include: [],
  exclude: [],
  dryRun: false,
  verify: 'checksum',
  preserveModifiedTime: true,
  deleteExtraneous: false,
  maxDelete: null,
};

/** Options with those not given at the value they had before they existed (stored rows, tests). */
export const completeOptions = (stored: Partial<MigrationOptions> | null | undefined): MigrationOptions => ({
  ...OPTION_DEFAULTS,
  ...stored,
});
