// A sync's run of the migration workflow (input.incremental). At its start it takes the source's
// change-feed position, which the sync saves once the run has completed. With the position the last
// completed run left, it reads the feed from there (activities/sync/changes.ts: only new and changed files are
// copied); without one, with a source that has no feed, or when the service has expired it, it
// explores the whole source and compares it with the destination (activities/sync/compare-explore.ts: unchanged
// files are counted, never read). Either way copies overwrite. In mirror mode (delete_extraneous)
// the destination's extra files are gathered in the store while exploring, counted at the end, held
// against max_delete — over the limit the run deletes nothing and fails — then deleted.
import { ApplicationFailure } from '@temporalio/workflow';
import { listingActivities, storeActivities } from './proxies';
import type {
  ChangesResult,
  CompareResult,
  SyncRef,
  ExploreRequest,
  EndpointRef,
  NamingRules,
  MigrationProgress,
  IncrementalCarried,
  MaxDelete,
  MigrationOptions,
  MigrationWorkflowInput,
} from '../contract';

export class IncrementalRun {
  /** The feed position taken at the start (null: the source has none). */
  cursor: string | null;
  /** Where reading the feed goes on; null when not reading it (any more). */
  feedCursor: string | null;
  /** This run reads the feed (not a full comparison). */
  private feedRun: boolean;
  private destinationFiles: number;
  readonly sync: SyncRef;

  constructor(input: MigrationWorkflowInput & { incremental: { syncId: string } }) {
    const carried = input.carried?.incremental;
    this.cursor = carried?.cursor ?? null;
    this.feedCursor = carried?.feedCursor ?? null;
    this.feedRun = carried?.feedRun ?? false;
    this.destinationFiles = carried?.destinationFiles ?? 0;
    this.sync = {
      accountId: input.accountId,
      syncId: input.incremental.syncId,
      migrationId: input.migrationId,
    };
  }

  /** Takes the cursor; true when the run reads the feed from the last completed run's position. */
  async begin(source: EndpointRef, sourcePath: string, previous: string | null): Promise<boolean> {
    this.cursor = await listingActivities.takeSourceCursor(source, sourcePath);
    this.feedRun = previous !== null && this.cursor !== null;
    this.feedCursor = this.feedRun ? previous : null;
    return this.feedRun;
  }

  /** One page of the feed; 'expired' when the service refused the position (explore everything then). */
  async readFeed(
    source: EndpointRef,
    rules: NamingRules,
    options: MigrationOptions,
  ): Promise<Exclude<ChangesResult, { expired: string }> | 'expired'> {
    const page = await listingActivities.readSourceChanges(source, {
      sync: this.sync,
      rules,
      cursor: this.feedCursor!,
      options,
    });
    if ('expired' in page) {
      this.feedCursor = null;
      this.feedRun = false;
      return 'expired';
    }
    this.feedCursor = page.hasMore ? page.cursor : null;
    return page;
  }

  /** Exploring with comparison; unchanged files go straight into the counters. */
  async explore(
    source: EndpointRef,
    destination: EndpointRef,
    request: ExploreRequest,
    progress: MigrationProgress,
  ): Promise<CompareResult> {
    const r = await listingActivities.compareSource(source, destination, {
      ...request,
      sync: this.sync,
    });
    countUnchanged(progress, r.unchanged);
    this.destinationFiles += r.destinationFiles;
    return r;
  }

  /** Mirror mode, once everything is copied: count, hold against max_delete, delete. */
  async finish(
    destination: EndpointRef,
    rules: NamingRules,
    options: MigrationOptions,
    progress: MigrationProgress,
  ) {
    if (!mirrors(options) || options.dryRun) return;
    const plan = await listingActivities.planDeletions(this.sync, rules.destinationRoot, rules.sourceRoot);
    const base = this.feedRun ? plan.knownFiles : this.destinationFiles;
    const refusal = overLimit(plan.files, options.maxDelete, base);
    if (refusal)
      throw ApplicationFailure.create({ type: 'MaxDeleteExceeded', message: refusal, nonRetryable: true });
    progress.filesDeleted ??= 0;
    for (let after: string | null = null; ;) {
      const r: { files: number; nextKey: string | null } = await listingActivities.deleteExtraneous(
        destination,
        this.sync,
        after,
      );
      progress.filesDeleted += r.files;
      if (!r.nextKey) break;
      after = r.nextKey;
    }
    await this.discard();
  }

  /** The gathered candidates leave no rows behind. */
  async discard(): Promise<void> {
    await storeActivities.dropDeletions(this.sync);
  }

  carried(): IncrementalCarried {
    return {
      cursor: this.cursor,
      feedCursor: this.feedCursor,
      feedRun: this.feedRun,
      destinationFiles: this.destinationFiles,
    };
  }
}

const mirrors = (options: MigrationOptions) => options.deleteExtraneous;

export function countUnchanged(progress: MigrationProgress, u: { files: number; bytes: number }): void {
  progress.filesDiscovered += u.files;
  progress.bytesDiscovered += u.bytes;
  progress.filesSkipped += u.files;
  progress.bytesSkipped += u.bytes;
}

/** Why `files` deletions are too many for max_delete, or null when they are allowed. */
export function overLimit(files: number, max: MaxDelete | null, base: number): string | null {
  if (!max) return null;
  const what = `this run would delete ${files} file${files === 1 ? '' : 's'} at the destination`;
  if ('count' in max) {
    if (files <= max.count) return null;
    return `max_delete: ${what}, more than the limit of ${max.count} (max_delete.count); nothing was deleted`;
  }
  const limit = Math.floor((max.percent / 100) * base);
  if (files <= limit) return null;
  return (
    `max_delete: ${what}, more than the limit of ${max.percent}% of the ${base} files ` +
    `the destination holds (${limit}; max_delete.percent); nothing was deleted`
  );
}
