// Migrations and their items as the API shows them, typed by the response schemas.
import type { MigrationSnapshot } from '../../contract';
import type { Migration, MigrationItem } from '../../store/types';
import type { MigrationItemBody } from './items-schemas';
import { presentOptions } from './options';
import type { MigrationBody } from './schemas';

/** A stored migration, overlaid with the workflow's live snapshot when one was read. */
export function presentMigration(m: Migration, live?: MigrationSnapshot): MigrationBody {
  const p = live?.progress ?? m.progress;
  return {
    id: m.id,
    status: live?.status ?? m.status,
    source: { connection_id: m.source.connectionId, service: m.source.service, path: m.source.path },
    destination: {
      connection_id: m.destination.connectionId,
      service: m.destination.service,
      path: m.destination.path,
    },
    options: presentOptions(m.options),
    progress: {
      files_discovered: p.filesDiscovered,
      bytes_discovered: p.bytesDiscovered,
      folders_discovered: p.foldersDiscovered,
      files_copied: p.filesCopied,
      bytes_copied: p.bytesCopied,
      files_skipped: p.filesSkipped,
      bytes_skipped: p.bytesSkipped,
      files_failed: p.filesFailed,
      files_deleted: p.filesDeleted ?? 0,
      listing_complete: p.listingComplete,
      throughput_bytes_per_second: live?.throughputBytesPerSecond ?? storedThroughput(m),
      // A workflow older than the field answers none: unknown.
      eta_seconds: live ? (live.etaSeconds ?? null) : storedEta(m),
    },
    error: live ? (live.error ?? m.error) : m.error,
    sync_id: m.syncId ?? null,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    started_at: m.startedAt,
    finished_at: m.finishedAt,
  };
}

/** Average bytes per second between start and finish (or the last update) when no live figure exists. */
function storedThroughput(m: Migration): number {
  if (!m.startedAt) return 0;
  const end = Date.parse(m.finishedAt ?? m.updatedAt);
  const seconds = (end - Date.parse(m.startedAt)) / 1000;
  return seconds > 0 ? Math.round(m.progress.bytesCopied / seconds) : 0;
}

/** Without a live snapshot: nothing left once completed, unknown otherwise. */
function storedEta(m: Migration): number | null {
  return m.status === 'completed' || m.status === 'completed_with_errors' ? 0 : null;
}

export const presentMigrationItem = (i: MigrationItem): MigrationItemBody => ({
  path: i.sourcePath,
  source_id: i.sourceId,
  destination_path: i.destinationPath,
  note: i.note,
  size: i.size,
  status: i.status,
  reason: i.reason,
  updated_at: i.updatedAt,
});
