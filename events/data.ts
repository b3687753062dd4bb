// What events say: ids derived from what caused them (so a retry publishes the same event once), and
// a migration as an event's data.
import { createHash } from 'node:crypto';
import { base62FromHex } from '../common/base62';
import type { Migration } from '../store/types';

/** An id with the shape of `newId('evt')`, derived from a seed (the same seed, the same id). */
export const derivedEventId = (seed: string): string =>
  `evt_${base62FromHex(createHash('sha256').update(seed).digest('hex'), 20)}`;

/** The migration in the event's `data`, in the API's snake_case (a summary of GET /v1/migrations/:id). */
export function migrationEventData(m: Migration): Record<string, unknown> {
  const p = m.progress;
  return {
    id: m.id,
    status: m.status,
    source: { connection_id: m.source.connectionId, service: m.source.service, path: m.source.path },
    destination: {
      connection_id: m.destination.connectionId,
      service: m.destination.service,
      path: m.destination.path,
    },
    progress: {
      files_discovered: p.filesDiscovered,
      bytes_discovered: p.bytesDiscovered,
      folders_discovered: p.foldersDiscovered,
      files_copied: p.filesCopied,
      bytes_copied: p.bytesCopied,
      files_skipped: p.filesSkipped,
      bytes_skipped: p.bytesSkipped,
      files_failed: p.filesFailed,
      listing_complete: p.listingComplete,
    },
    error: m.error,
    created_at: m.createdAt,
    updated_at: m.updatedAt,
    started_at: m.startedAt,
    finished_at: m.finishedAt,
  };
}
