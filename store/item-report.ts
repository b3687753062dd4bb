// A migration's report: its items counted by status and by reason, and its largest failures, each in
// one SQL aggregate over the migration's rows (never read into memory), scoped to the account.
import { sql } from 'kysely';
import type { Db } from './db';
import type { MigrationItemStatus } from './item-status';

export interface ItemStatusCount {
  status: MigrationItemStatus;
  count: number;
  /** Sum of the known sizes. */
  bytes: number;
}

export interface ItemReasonCount {
  status: MigrationItemStatus;
  /** The reason with its per-file parts replaced (reason-group.ts); null for items without one. */
  reason: string | null;
  count: number;
  bytes: number;
  /** One reason of the group as recorded (the least by text). */
  example: string | null;
}

export interface ItemFailure {
  sourcePath: string;
  destinationPath: string | null;
  size: number | null;
  reason: string | null;
}

export interface MigrationItemReport {
  byStatus: ItemStatusCount[];
  byReason: ItemReasonCount[];
  largestFailures: ItemFailure[];
}

/** Reason groups the report lists at most, most frequent first. */
export const MAX_REASON_GROUPS = 100;
/** Failures the report lists, largest first. */
export const MAX_LARGEST_FAILURES = 20;

const REPORTED: MigrationItemStatus[] = ['failed', 'skipped'];

// PostgreSQL answers count and sum of bigint as strings.
const num = (v: number | string | bigint | null): number => (v === null ? 0 : Number(v));

export async function summarizeItems(
  db: Db,
  accountId: string,
  migrationId: string,
): Promise<MigrationItemReport> {
  const items = db
    .selectFrom('migration_items')
    .where('migration_id', '=', migrationId)
    .where('account_id', '=', accountId);

  const statusRows = await items
    .select(['status', sql<number | string>`count(*)`.as('n'), sql<number | string>`sum(size)`.as('bytes')])
    .groupBy('status')
    .execute();

  // Rows recorded before reason groups existed (schema 0013) group by their exact reason.
  const group = sql<string | null>`coalesce(reason_group, reason)`;
  const reasonRows = await items
    .where('status', 'in', REPORTED)
    .select([
      'status',
      group.as('grp'),
      sql<number | string>`count(*)`.as('n'),
      sql<number | string>`sum(size)`.as('bytes'),
      sql<string | null>`min(reason)`.as('example'),
    ])
    .groupBy(['status', group])
    .orderBy('n', 'desc')
    .orderBy('status')
    .orderBy('grp')
    .limit(MAX_REASON_GROUPS)
    .execute();

  const failureRows = await items
    .where('status', '=', 'failed')
    .select(['source_path', 'destination_path', 'size', 'reason'])
    // Unknown sizes last (false sorts before true on both databases), then in recorded order.
    .orderBy(sql`size is null`)
    .orderBy('size', 'desc')
    .orderBy('seq')
    .limit(MAX_LARGEST_FAILURES)
    .execute();

  return {
    byStatus: statusRows.map((r) => ({
      status: r.status as MigrationItemStatus,
      count: num(r.n),
      bytes: num(r.bytes),
    })),
    byReason: reasonRows.map((r) => ({
      status: r.status as MigrationItemStatus,
      reason: r.grp,
      count: num(r.n),
      bytes: num(r.bytes),
      example: r.example,
    })),
    largestFailures: failureRows.map((r) => ({
      sourcePath: r.source_path,
      destinationPath: r.destination_path,
      size: r.size === null ? null : Number(r.size),
      reason: r.reason,
    })),
  };
}
