// The store side of the workflow's spilled frontier (workflows/frontier.ts): the workflow chooses
// every seq, so a retried activity writes, reads or deletes exactly the rows its first attempt did.
import { ApplicationFailure } from '@temporalio/activity';
import type { Store } from '../../store/types';
import {
  FAILURE_TYPES,
  MigrationStoreActivities,
  type FrontierEntry,
  type FrontierRef,
} from '../../contract';

export function frontierActivities(
  store: Store,
): Pick<MigrationStoreActivities, 'spillFrontier' | 'loadFrontier' | 'dropFrontier'> {
  return {
    /** Stores `entries` (bottom first) at seqs fromSeq, fromSeq + 1, … */
    async spillFrontier(ref: FrontierRef, fromSeq: number, entries: FrontierEntry[]): Promise<void> {
      const rows = entries.map((e, i) => ({ ...e, seq: fromSeq + i }));
      await store.frontier.save(ref.accountId, ref.migrationId, rows);
    },

    /** The entries at fromSeq ≤ seq < toSeq, bottom first; all of them must be there. */
    async loadFrontier(ref: FrontierRef, fromSeq: number, toSeq: number): Promise<FrontierEntry[]> {
      const rows = await store.frontier.load(ref.accountId, ref.migrationId, fromSeq, toSeq);
      if (rows.length !== toSeq - fromSeq) {
        // Lost rows would silently skip folders: fail the migration instead.
        throw ApplicationFailure.nonRetryable(
          `The stored folder frontier lacks entries (${rows.length} of ${toSeq - fromSeq} between ${fromSeq} and ${toSeq})`,
          FAILURE_TYPES.frontierMissing,
        );
      }
      return rows.map(({ seq: _seq, ...entry }) => entry);
    },

    /** Deletes the entries at seq ≥ fromSeq (0: the migration's whole spilled frontier). */
    async dropFrontier(ref: FrontierRef, fromSeq: number): Promise<void> {
      await store.frontier.remove(ref.accountId, ref.migrationId, fromSeq);
    },
  };
}
