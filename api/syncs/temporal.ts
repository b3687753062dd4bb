// The API's side of a sync's Temporal Schedule (`sync-<id>`): create it, read when it runs next, change
// when it runs, pause, unpause, trigger and delete it. Each scheduled action starts a syncRunWorkflow.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptionsAction,
  type ScheduleSpec,
} from '@temporalio/client';
import { AppError, conflict, invalidParameter } from '../../common/errors';
import type { Sync } from '../../store/types';
import { intervalSeconds } from './schedule';
import {
  jobPriority,
  jobVisibility,
  syncScheduleId,
  TASK_QUEUE,
  SYNC_RUN_WORKFLOW_TYPE,
  type SyncRunInput,
} from '../../contract';

/** An HTTP request should not wait as long as the SDK retries an unreachable server. */
const CALL_DEADLINE_MS = 5_000;
/** Reads only decorate an answer (next_run_at): give up sooner and answer without them. */
const DESCRIBE_DEADLINE_MS = 2_000;
/** Schedules described at once for a list page (each is one quick call). */
const DESCRIBE_CONCURRENCY = 8;

export interface ScheduleState {
  paused: boolean;
  nextRunAt: string | null;
  /** A run is going on (a trigger now would be skipped). */
  running: boolean;
}

export function scheduleSpec(sync: Pick<Sync, 'schedule' | 'timezone'>): ScheduleSpec {
  if ('cron' in sync.schedule) return { cronExpressions: [sync.schedule.cron], timezone: sync.timezone };
  // Intervals count from the Unix epoch, so "15m" runs at :00, :15, :30 and :45 whatever the zone.
  return { intervals: [{ every: intervalSeconds(sync.schedule.interval)! * 1000 }], timezone: sync.timezone };
}

const visibility = (sync: Sync) => jobVisibility({ ...sync, syncId: sync.id });

function action(sync: Sync, taskQueue: string): ScheduleOptionsAction {
  const input: SyncRunInput = { syncId: sync.id, accountId: sync.accountId };
  return {
    type: 'startWorkflow',
    workflowType: SYNC_RUN_WORKFLOW_TYPE,
    // Temporal appends the scheduled time, so every run has its own id.
    workflowId: `${syncScheduleId(sync.id)}-run`,
    taskQueue,
    args: [input],
    ...visibility(sync),
    ...jobPriority(sync.accountId),
  };
}

export class SyncSchedules {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string = TASK_QUEUE,
  ) {}

  private call<T>(fn: () => Promise<T>, deadlineMs = CALL_DEADLINE_MS): Promise<T> {
    return this.client.connection.withDeadline(Date.now() + deadlineMs, fn);
  }

  private handle(syncId: string) {
    return this.client.schedule.getHandle(syncScheduleId(syncId));
  }

  /** Creates it; one that already exists is this sync's (the id is the sync's own), and is kept as it is. */
  async create(sync: Sync): Promise<void> {
    await this.call(() =>
      this.client.schedule.create({
        scheduleId: syncScheduleId(sync.id),
        spec: scheduleSpec(sync),
        action: action(sync, this.taskQueue),
        // One run at a time: a run still going when the next is due makes that one skipped.
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
        state: { paused: sync.paused, note: sync.paused ? 'created paused' : undefined },
        ...visibility(sync),
      }),
    ).catch((err: unknown) => {
      if (err instanceof ScheduleAlreadyRunning) return;
      throw specRefusal(err, sync) ?? err;
    });
  }

  /** Its state as Temporal tells it, or undefined when it cannot be asked now (or is gone). */
  async describe(syncId: string): Promise<ScheduleState | undefined> {
    return (await this.read(syncId)).state;
  }

  /**
   * Its state for a decision (trigger refuses while a run is going): with the full deadline, and a
   * Temporal that does not answer is an error, not "not running". Undefined: the schedule is gone.
   */
  async describeStrict(syncId: string): Promise<ScheduleState | undefined> {
    const { state, failed, error } = await this.read(syncId, CALL_DEADLINE_MS);
    if (failed) throw error;
    return state;
  }

  /**
   * The states of a page of syncs, a few at a time. Once Temporal fails to answer (down, slow), the
   * rest are not asked: a list must not wait a deadline per sync.
   */
  async describeMany(syncIds: string[]): Promise<(ScheduleState | undefined)[]> {
    const out: (ScheduleState | undefined)[] = new Array(syncIds.length).fill(undefined);
    let next = 0;
    let unavailable = false;
    const worker = async () => {
      while (next < syncIds.length && !unavailable) {
        const i = next++;
        const { state, failed } = await this.read(syncIds[i]!);
        out[i] = state;
        if (failed) unavailable = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(DESCRIBE_CONCURRENCY, syncIds.length) }, worker));
    return out;
  }

  /** `failed`: Temporal did not answer (a schedule deleted outside the API is just missing). */
  private async read(
    syncId: string,
    deadlineMs = DESCRIBE_DEADLINE_MS,
  ): Promise<{ state?: ScheduleState; failed: boolean; error?: unknown }> {
    try {
      const d = await this.call(() => this.handle(syncId).describe(), deadlineMs);
      const next = d.state.paused ? undefined : d.info.nextActionTimes[0];
      const state = {
        paused: d.state.paused,
        nextRunAt: next ? next.toISOString() : null,
        running: d.info.runningActions.length > 0,
      };
      return { state, failed: false };
    } catch (err) {
      return { failed: !(err instanceof ScheduleNotFoundError), error: err };
    }
  }

  /** A new schedule or time zone; the action is written again too (same ids, same queue). */
  async update(sync: Sync): Promise<void> {
    await this.call(() =>
      this.handle(sync.id).update((previous) => ({
        ...previous,
        spec: scheduleSpec(sync),
        action: action(sync, this.taskQueue),
      })),
    ).catch((err: unknown) => {
      throw specRefusal(err, sync) ?? missing(err, sync.id) ?? err;
    });
  }

  async pause(syncId: string): Promise<void> {
    await this.call(() => this.handle(syncId).pause('paused through the API')).catch((err: unknown) => {
      throw missing(err, syncId) ?? err;
    });
  }

  async unpause(syncId: string): Promise<void> {
    await this.call(() => this.handle(syncId).unpause('resumed through the API')).catch((err: unknown) => {
      throw missing(err, syncId) ?? err;
    });
  }

  /** Starts a run now, paused or not; skipped (like a scheduled one) while another run is going. */
  async trigger(syncId: string): Promise<void> {
    await this.call(() => this.handle(syncId).trigger(ScheduleOverlapPolicy.SKIP)).catch((err: unknown) => {
      throw missing(err, syncId) ?? err;
    });
  }

  /** Deletes it; one already gone counts as deleted. */
  async delete(syncId: string): Promise<void> {
    await this.call(() => this.handle(syncId).delete()).catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
  }
}

/**
 * Temporal's own refusal of a spec (the SDK raises it as a TypeError), as invalid_parameter naming the
 * field it is about; a check here that missed a case still answers 400, not 502.
 */
function specRefusal(err: unknown, sync: Sync): AppError | undefined {
  if (!(err instanceof TypeError)) return undefined;
  const reason = err.message;
  const param = /time ?zone|location/i.test(reason)
    ? 'timezone'
    : 'cron' in sync.schedule
      ? 'schedule.cron'
      : 'schedule.interval';
  return invalidParameter(
    param,
    `was refused by Temporal: ${reason}`,
    'Correct it and send the request again.',
  );
}

/** The schedule was deleted outside the API (e.g. in the Web UI). */
function missing(err: unknown, syncId: string): AppError | undefined {
  if (!(err instanceof ScheduleNotFoundError)) return undefined;
  return conflict(
    `Sync ${syncId} has no schedule in Temporal any more`,
    'It was deleted outside the API: delete the sync and create it again.',
  );
}

/** Temporal's own words for a failure, for the service_error's details. */
export function temporalReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
  return cause ?? (err instanceof Error ? err.message : String(err));
}
