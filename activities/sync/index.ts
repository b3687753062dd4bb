// The incremental-sync activities the migration workflow calls when it runs for a sync
// (workflows/incremental.ts): the feed's cursor, a page of changes, exploring with comparison, and
// mirror mode's count-then-delete. Built like the others from injected dependencies.
import type { Connector } from '../../connectors/types';
import type { Store } from '../../store/types';
import { readChanges, takeCursor } from './changes';
import { compareExplore } from './compare-explore';
// Listing activities: heartbeating (the proxies give them a heartbeat timeout), errors reported.
import { listingActivity as wrap } from '../listing/pacing';
import { deleteCandidates, planDeletions } from './mirror';
import type { ChangesRequest, CompareRequest, SyncRef, EndpointRef, SyncActivities } from '../../contract';
import { claimsOf } from '../listing/placement';

export function incrementalActivities(
  store: Store,
  open: (ref: EndpointRef) => Promise<Connector>,
): Omit<SyncActivities, 'startSyncRun' | 'finishSyncRun'> {
  return {
    takeSourceCursor: wrap(async (source: EndpointRef, path: string) => takeCursor(await open(source), path)),

    readSourceChanges: wrap(async (source: EndpointRef, req: ChangesRequest) =>
      readChanges(store, await open(source), req),
    ),

    compareSource: wrap(async (source: EndpointRef, destination: EndpointRef, req: CompareRequest) =>
      compareExplore(
        store,
        await open(source),
        await open(destination),
        req,
        claimsOf(store.names, source.accountId, req.migrationId),
      ),
    ),

    planDeletions: wrap(async (sync: SyncRef, destinationRoot: string, sourceRoot: string) =>
      planDeletions(store, sync, destinationRoot, sourceRoot),
    ),

    deleteExtraneous: wrap(async (destination: EndpointRef, sync: SyncRef, afterKey: string | null) =>
      deleteCandidates(store, await open(destination), sync, afterKey),
    ),

    async dropDeletions(sync: SyncRef): Promise<void> {
      await store.syncState.dropDeletions(sync.accountId, sync.migrationId);
    },
  };
}
