// The activities workflows call, as interfaces: the worker's implementations (activities/) must satisfy
// them, and workflows proxy them from here, so neither imports the other.
import type {
  CopyRequest,
  CopyResult,
  EndpointRef,
  ExhaustedBatch,
  ExploreRequest,
  ExploreResult,
  FrontierRef,
  NamingRules,
  RecordedCounts,
  SourceInfo,
} from './copy';
import type { BatchKey, FrontierEntry, MigrationProgress, MigrationStatus } from './migration';
import type {
  ChangesRequest,
  ChangesResult,
  CompareRequest,
  CompareResult,
  DeletedPage,
  DeletionPlan,
  FinishSyncRunRequest,
  StartSyncRunRequest,
  SyncRef,
  SyncRun,
} from './sync';
import type { DeliverRequest, PublishEventInput, PublishMigrationEventInput } from './webhooks';

/** Quick store writes and reads of the migration's own bookkeeping. */
export interface MigrationStoreActivities {
  /**
   * Records that the workflow runs; answers the status the store now holds — a final one when the
   * migration was settled before its workflow began (cancelled, or failed to start), and then the
   * workflow does nothing. Both writes touch only `accountId`'s row (the workflow's account; absent in
   * activities scheduled before it was carried) and fail, never retried, on another account's id.
   */
  markMigrationRunning(migrationId: string, accountId?: string): Promise<MigrationStatus | undefined>;
  /**
   * `running` once the account has a free running slot (the worker's MIGRATECLOUDS_ACCOUNT_MAX_RUNNING_
   * MIGRATIONS), else records the migration `queued` and answers that; a status it has moved past, as it is.
   */
  admitMigration(migrationId: string, accountId: string): Promise<MigrationStatus | undefined>;
  /** The account's queued migrations, oldest first (a few): woken when a slot frees. */
  queuedMigrations(accountId: string): Promise<string[]>;
  recordMigrationProgress(
    migrationId: string,
    patch: { status?: MigrationStatus; progress: MigrationProgress; error?: string | null },
    accountId?: string,
  ): Promise<void>;
  /**
   * Each of the batch's files without a recorded outcome is recorded as failed with the reason; answers
   * the counts of what is now recorded for all its files (files an earlier attempt copied stay copied).
   */
  recordExhaustedBatch(batch: ExhaustedBatch): Promise<RecordedCounts>;
  /** Deletes these stored copy batches (their results are taken). */
  dropBatches(ref: FrontierRef, keys: BatchKey[]): Promise<void>;
  /** Stores `entries` (bottom first) at seqs fromSeq, fromSeq + 1, … */
  spillFrontier(ref: FrontierRef, fromSeq: number, entries: FrontierEntry[]): Promise<void>;
  /** The entries at fromSeq ≤ seq < toSeq, bottom first; all of them must be there. */
  loadFrontier(ref: FrontierRef, fromSeq: number, toSeq: number): Promise<FrontierEntry[]>;
  /** Deletes the entries at seq ≥ fromSeq (0: the migration's whole spilled frontier). */
  dropFrontier(ref: FrontierRef, fromSeq: number): Promise<void>;
}

/** Listing the source (and creating destination folders on the way). */
export interface ListingActivities {
  /** A folder to explore, or the one file to copy with its destination decided like exploring does. */
  inspectSource(ref: EndpointRef, rules: NamingRules): Promise<SourceInfo>;
  exploreSource(
    source: EndpointRef,
    destination: EndpointRef,
    request: ExploreRequest,
  ): Promise<ExploreResult>;
  makeFolders(ref: EndpointRef, paths: string[]): Promise<void>;
}

export interface CopyActivities {
  copyFiles(request: CopyRequest): Promise<CopyResult>;
}

/** A sync's runs: its bookkeeping, and the incremental listing (feed, comparison, mirror mode). */
export interface SyncActivities {
  /** The run's migration row, created once; null when the sync was deleted meanwhile. */
  startSyncRun(request: StartSyncRunRequest): Promise<SyncRun | null>;
  /** Only a completed run moves the cursor on. */
  finishSyncRun(request: FinishSyncRunRequest): Promise<void>;
  /** The feed's position now, or null when the source has no feed (or is a single file). */
  takeSourceCursor(source: EndpointRef, path: string): Promise<string | null>;
  /** One page of the source's change feed, as the folders to compare (shallow or whole). */
  readSourceChanges(source: EndpointRef, request: ChangesRequest): Promise<ChangesResult>;
  compareSource(
    source: EndpointRef,
    destination: EndpointRef,
    request: CompareRequest,
  ): Promise<CompareResult>;
  planDeletions(sync: SyncRef, destinationRoot: string, sourceRoot: string): Promise<DeletionPlan>;
  deleteExtraneous(destination: EndpointRef, sync: SyncRef, afterKey: string | null): Promise<DeletedPage>;
  dropDeletions(sync: SyncRef): Promise<void>;
}

/** Publishing webhook events: a store write and workflow starts, never a receiver's answer. */
export interface EventActivities {
  publishEvent(input: PublishEventInput): Promise<void>;
  publishMigrationEvent(input: PublishMigrationEventInput): Promise<void>;
}

/** Everything the migration and sync-run workflows call, on the migrations task queue. */
export type MigrationActivities = MigrationStoreActivities &
  ListingActivities &
  CopyActivities &
  SyncActivities &
  EventActivities;

/** A webhook delivery's attempts, on the webhook task queue. */
export interface WebhookDeliveryActivities {
  deliverWebhook(request: DeliverRequest): Promise<{ statusCode: number }>;
  markWebhookDeliveryFailed(request: {
    accountId: string;
    deliveryId: string;
    reason: string;
  }): Promise<void>;
}
