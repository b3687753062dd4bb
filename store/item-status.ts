// The outcomes a migration item can have (its own module: the items and their report both need them).

/** What became of one file of a migration (`deleted`: removed at the destination by a sync's mirror mode). */
export type MigrationItemStatus = 'copied' | 'skipped' | 'failed' | 'deleted';

export const MIGRATION_ITEM_STATUSES: readonly MigrationItemStatus[] = [
  'copied',
  'skipped',
  'failed',
  'deleted',
];
