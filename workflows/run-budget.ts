// How long one run of the migration workflow may grow before it continues as new. Besides the server's
// continueAsNewSuggested (4,096 events or 4 MB by default, but configurable per cluster), the run keeps
// its own event budget, and near its end lists smaller pages: one page can schedule a copy activity per
// file (each large file is its own activity), so a full page started just below the budget could
// otherwise add thousands of events. A run thus ends within one small page of the budget.
import { workflowInfo } from '@temporalio/workflow';
import type { MigrationTuning } from '../contract';

export const DEFAULT_MAX_RUN_EVENTS = 4000;
/** Scheduled, started, completed, and the workflow task that handles the result. */
const EVENTS_PER_ACTIVITY = 6;
/** Explore, spill/refill, progress writes and the continue-as-new itself. */
const RESERVED_EVENTS = 120;
/** The exploring activity lists whole pages of at least this many entries anyway. */
const MIN_EXPLORE_ENTRIES = 100;

const maxRunEvents = (tuning: MigrationTuning) => tuning.maxRunEvents ?? DEFAULT_MAX_RUN_EVENTS;

/**
 * How many explorations may be in flight (at most `limit`) and how many entries each may list, so that
 * what they find does not outgrow the run's budget: near its end a run explores one at a time, in
 * small pages. With a limit of 1: one exploration of as many entries as the run affords. With stored
 * batches (`byReference`) what an exploration finds costs nothing until scheduled, and the run schedules
 * only while its budget lasts: each exploration lists a full page, and the budget bounds only how many run.
 */
export function explorationsFor(
  tuning: MigrationTuning,
  limit = 1,
  byReference = false,
): { allowed: number; entries: number } {
  const left = maxRunEvents(tuning) - workflowInfo().historyLength - RESERVED_EVENTS;
  const affordable = Math.floor(left / EVENTS_PER_ACTIVITY);
  if (byReference)
    return { allowed: Math.max(1, Math.min(limit, affordable)), entries: tuning.exploreEntries };
  const least = Math.min(MIN_EXPLORE_ENTRIES, tuning.exploreEntries);
  const allowed = Math.max(1, Math.min(limit, Math.floor(affordable / least)));
  return {
    allowed,
    entries: Math.max(least, Math.min(tuning.exploreEntries, Math.floor(affordable / allowed))),
  };
}

/** Time to continue as new: the server suggests it, or the run's own budget is spent. */
export function runIsLong(tuning: MigrationTuning): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= maxRunEvents(tuning);
}
