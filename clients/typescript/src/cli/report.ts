// The human view of a migration's summary report (`migrateclouds report ID`): totals, a table per
// status, the reasons most frequent first, the largest failures.
import type { MigrationReport } from '../types';
import { formatBytes, formatDuration, table } from './format';

const MAX_REASON = 100;

const clip = (text: string | null, max = MAX_REASON) =>
  text === null ? '-' : text.length > max ? `${text.slice(0, max - 1)}…` : text;

export function formatReport(r: MigrationReport): string {
  const took =
    r.started_at && r.finished_at
      ? `, took ${formatDuration((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000)}`
      : '';
  const out = [
    `${r.migration_id} ${r.status}${took}`,
    `${r.totals.files} files, ${formatBytes(r.totals.bytes)}`,
    '',
    table(
      ['STATUS', 'FILES', 'BYTES'],
      r.by_status.map((s) => [s.status, String(s.count), formatBytes(s.bytes)]),
    ),
  ];
  if (r.by_reason.length > 0)
    out.push(
      '',
      'Reasons (failed and skipped, most frequent first):',
      table(
        ['FILES', 'STATUS', 'BYTES', 'REASON'],
        r.by_reason.map((g) => [String(g.count), g.status, formatBytes(g.bytes), clip(g.reason)]),
      ),
    );
  if (r.largest_failures.length > 0)
    out.push(
      '',
      'Largest failures:',
      table(
        ['SIZE', 'PATH', 'REASON'],
        r.largest_failures.map((f) => [formatBytes(f.size), f.path, clip(f.reason)]),
      ),
    );
  return out.join('\n');
}
