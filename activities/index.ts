// Activities are built from injected dependencies and implement contract/activities.ts, which workflows proxy.
import { Context } from '@temporalio/activity';
import type { Store } from '../store/types';
import { incrementalActivities } from './sync';
import { copyBatch } from './copy/batch';
import { withStoredBatch } from './copy/stored-batch';
import { connectorFor, type ConnectorFactory } from './connections';
// Listing activities: heartbeating (the proxies give them a heartbeat timeout), errors reported.
import { listingActivity as wrap } from './listing/pacing';
import { eventActivities } from './events';
import { storeBatches } from './listing/batches';
import { explore } from './listing/explore';
import { frontierActivities } from './listing/frontier';
import { taskFor } from './listing/naming';
import { retryingListing } from './listing/retries';
import { itemActivities } from './copy/items';
import { syncActivities } from './sync/runs';
import {
  type MigrationProgress,
  type MigrationStatus,
  type ExploreRequest,
  type ExploreResult,
  type CopyRequest,
  type EndpointRef,
  type NamingRules,
  type SourceInfo,
  type MigrationActivities,
  isFinalStatus,
} from '../contract';
import type { EventPublisher } from '../events';
import { claimsOf } from './listing/placement';
import { checkMigrationAccount, refuseForeign, updateOwnMigration } from './ownership';

export interface ActivityDeps {
  store: Store;
  connectorFactory: ConnectorFactory;
  /** Files copied at once inside one batch activity. */
  fileConcurrency: number;
  /** Publishes webhook events (events/publisher.ts); absent = events are dropped. */
  events?: EventPublisher;
  /** A transfer that moves no byte for this long is failed and retried (default 120 s). */
  stallMs?: number;
  /** Migrations an account may run (or hold paused) at once; the rest wait `queued` (0 or absent: any). */
  maxRunningMigrations?: number;
}

/** Queued migrations woken at once when one of their account's slots frees: they race for it. */
const WAKE_QUEUED = 10;

export function createActivities(deps: ActivityDeps): MigrationActivities {
  const connector = (ref: EndpointRef) => connectorFor(deps.store, deps.connectorFactory, ref);
  // Listing activities retry each list, stat and mkdir through short storms (listing/retries.ts).
  const listing = async (ref: EndpointRef) =>
    retryingListing(await connector(ref), Context.current().cancellationSignal);

  return {
    ...itemActivities(deps.store),
    ...frontierActivities(deps.store),
    ...syncActivities(deps.store),
    ...eventActivities({ store: deps.store, publisher: deps.events }),
    ...incrementalActivities(deps.store, listing),

    async markMigrationRunning(
      migrationId: string,
      accountId?: string,
    ): Promise<MigrationStatus | undefined> {
      return (await updateOwnMigration(deps.store, migrationId, { status: 'running' }, accountId))?.status;
    },

    async admitMigration(migrationId: string, accountId: string): Promise<MigrationStatus | undefined> {
      const status = await deps.store.migrations.admit(
        migrationId,
        accountId,
        deps.maxRunningMigrations ?? 0,
      );
      if (status === undefined) await refuseForeign(deps.store, migrationId, accountId);
      return status;
    },

    async queuedMigrations(accountId: string): Promise<string[]> {
      return deps.store.migrations.queued(accountId, WAKE_QUEUED);
    },

    async recordMigrationProgress(
      migrationId: string,
      patch: { status?: MigrationStatus; progress: MigrationProgress; error?: string | null },
      accountId?: string,
    ): Promise<void> {
      const migration = await updateOwnMigration(deps.store, migrationId, patch, accountId);
      // The names given in its multi-page folders (listing/placement.ts) and the copy batches still
      // stored (a failed or cancelled migration's) are no longer needed.
      if (migration && patch.status && isFinalStatus(patch.status)) {
        await deps.store.names.drop(migration.accountId, migrationId);
        await deps.store.batches.drop(migration.accountId, migrationId);
      }
    },

    /** A folder to explore, or the one file to copy with its destination decided like explore does. */
    inspectSource: wrap(async (ref: EndpointRef, rules: NamingRules): Promise<SourceInfo> => {
      const entry = await (await listing(ref)).stat(rules.sourceRoot);
      if (entry.type === 'folder') return { type: 'folder' };
      return { type: 'file', task: taskFor(rules, entry, rules.sourceRoot, rules.destinationRoot) };
    }),

    exploreSource: wrap(
      async (
        source: EndpointRef,
        destination: EndpointRef,
        request: ExploreRequest,
      ): Promise<ExploreResult> => {
        await checkMigrationAccount(deps.store, request.migrationId, source, destination);
        const [from, to] = [await listing(source), await listing(destination)];
        const claims = claimsOf(deps.store.names, source.accountId, request.migrationId);
        const result = await explore(from, to, request, claims);
        const plan = request.batches;
        if (!plan || !request.migrationId) return result;
        const where = { accountId: source.accountId, migrationId: request.migrationId };
        const direct = from.localDirect && to.localDirect && plan.directMaxFiles;
        const maxFiles = direct || plan.maxFiles;
        return storeBatches(deps.store.batches, where, { ...plan, maxFiles }, request.options.dryRun, result);
      },
    ),

    makeFolders: wrap(async (ref: EndpointRef, paths: string[]): Promise<void> => {
      const c = await listing(ref);
      for (const p of paths) await c.mkdir(p);
    }),

    async copyFiles(request: CopyRequest) {
      await checkMigrationAccount(deps.store, request.migrationId, request.source, request.destination);
      return withStoredBatch(deps.store.batches, request, (files) =>
        copyBatch(
          {
            fileConcurrency: deps.fileConcurrency,
            items: deps.store.items,
            stallMs: deps.stallMs,
            connectorsFor: async (r) => ({
              source: await connector(r.source),
              destination: await connector(r.destination),
            }),
          },
          { ...request, files },
        ),
      );
    },
  };
}
