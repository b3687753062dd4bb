// Exploring stores the files it found as copy batches (store/batches.ts) and answers only their refs:
// file lists then cost the workflow's history ~40 bytes a batch instead of ~250 bytes a file, so a run
// holds many more files before it continues as new, and a continue-as-new carries refs, not files.
import type { MigrationBatchesRepo } from '../../store/types';
import { planBatches, type BatchPlan, type ExploreResult } from '../../contract';

export async function storeBatches(
  repo: MigrationBatchesRepo,
  where: { accountId: string; migrationId: string },
  plan: BatchPlan,
  dryRun: boolean,
  result: ExploreResult,
): Promise<ExploreResult> {
  const bytesOf = (files: ExploreResult['files']) => files.reduce((n, f) => n + (f.size ?? 0), 0);
  const discovered = { files: result.files.length, bytes: bytesOf(result.files) };
  const answer = { stack: result.stack, folders: result.folders, files: [], discovered };
  // A dry run only counts: nothing is copied, so nothing is stored.
  if (dryRun) return { ...answer, batches: [] };
  const planned = planBatches(result.files, plan.maxFiles, plan.largeBytes);
  // Also when nothing was found: a retried attempt replaces whatever an earlier one stored.
  await repo.save(
    where.accountId,
    where.migrationId,
    plan.exploration,
    planned.map((b) => b.files),
  );
  const batches = planned.map((b, part) => ({
    exploration: plan.exploration,
    part,
    files: b.files.length,
    bytes: bytesOf(b.files),
    large: b.large,
  }));
  return { ...answer, batches };
}
