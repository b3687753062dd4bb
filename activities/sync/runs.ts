// A sync's runs, as workflows/sync-run.ts orders them: record the run's migration (with the sync's
// current options and saved cursor), and keep the cursor a completed run hands back.
import { AppError } from '../../common/errors';
import type { Store } from '../../store/types';
import type { FinishSyncRunRequest, StartSyncRunRequest, SyncActivities, SyncRun } from '../../contract';

export function syncActivities(store: Store): Pick<SyncActivities, 'startSyncRun' | 'finishSyncRun'> {
  return {
    /** The run's migration row, created once; null when the sync was deleted meanwhile. */
    async startSyncRun({ syncId, accountId, migrationId }: StartSyncRunRequest): Promise<SyncRun | null> {
      const sync = await store.syncs.getById(syncId);
      if (!sync || sync.accountId !== accountId) return null;
      let migration = await store.migrations.getById(migrationId);
      if (!migration) {
        try {
          migration = await store.migrations.create({
            id: migrationId,
            accountId,
            source: sync.source,
            destination: sync.destination,
            options: sync.options,
            syncId,
          });
        } catch (err) {
          // A previous attempt created it after all (its answer was lost).
          migration = await store.migrations.getById(migrationId);
          if (!(err instanceof AppError && err.code === 'conflict') || !migration) throw err;
        }
      }
      if (!(await store.syncs.recordRunStarted(syncId, migration.id))) return null;
      return {
        migrationId: migration.id,
        source: migration.source,
        destination: migration.destination,
        options: migration.options,
        cursor: sync.cursor,
      };
    },

    /** Only a completed run moves the cursor on; a partial or failed one leaves it for the next run. */
    async finishSyncRun({ syncId, migrationId, status, cursor }: FinishSyncRunRequest): Promise<void> {
      if (status !== 'completed') return;
      await store.syncs.saveCursor(syncId, migrationId, cursor);
    },
  };
}
