// The migration report: its items counted by status and by reason, and its largest failures, all
// computed by the store's SQL aggregates (store/item-report.ts) whatever the migration's size.
import { notFound } from '../../common/errors';
import { MIGRATION_ITEM_STATUSES, type MigrationItemReport } from '../../store';
import type { Migration } from '../../store/types';
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import { idParams } from '../http/schemas';
import { migrationReportSchema, type MigrationReportBody } from './report-schemas';

export function presentReport(m: Migration, r: MigrationItemReport): MigrationReportBody {
  // Every status, zeros included, so that clients read them by position or name alike.
  const byStatus = MIGRATION_ITEM_STATUSES.map(
    (status) => r.byStatus.find((s) => s.status === status) ?? { status, count: 0, bytes: 0 },
  );
  const countOf = (status: string) => byStatus.find((s) => s.status === status)!.count;
  return {
    migration_id: m.id,
    status: m.status,
    started_at: m.startedAt,
    finished_at: m.finishedAt,
    totals: {
      files: byStatus.reduce((n, s) => n + s.count, 0),
      bytes: byStatus.reduce((n, s) => n + s.bytes, 0),
      copied: countOf('copied'),
      skipped: countOf('skipped'),
      failed: countOf('failed'),
      deleted: countOf('deleted'),
    },
    by_status: byStatus,
    by_reason: r.byReason,
    largest_failures: r.largestFailures.map((f) => ({
      path: f.sourcePath,
      destination_path: f.destinationPath,
      size: f.size,
      reason: f.reason,
    })),
  };
}

export const migrationReportRoutes = ({ store }: ApiContext): Route[] => [
  defineRoute({
    method: 'get',
    path: '/v1/migrations/:id/report',
    summary: 'A migration’s summary report',
    description:
      'What became of its files: counts and bytes by status, failed and skipped files grouped by ' +
      'reason (paths, names, times and numbers in a reason do not split its group), and the 20 ' +
      'largest failures. Counts cover the items recorded so far while the migration runs.',
    params: idParams('mig', 'the migration'),
    status: 200,
    response: migrationReportSchema,
    errors: ['resource_not_found'],
    async handler({ auth, params }) {
      const migration = await store.migrations.get(auth.account.id, params.id);
      if (!migration) throw notFound('Migration', params.id);
      return presentReport(migration, await store.items.report(auth.account.id, migration.id));
    },
  }),
];
