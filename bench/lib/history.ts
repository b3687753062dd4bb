// Where a workflow's time went, from its event history (the Temporal CLI's JSON): events per run, and
// per activity type how many ran, how long they waited for a worker (schedule → start) and how long
// they ran (start → close). Only the run named (default: the latest); continue-as-new chains are walked
// by the caller with each run id.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { projectRoot } from './stack';

const run = promisify(execFile);

interface RawEvent {
  eventId: string;
  eventTime: string;
  eventType: string;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  activityTaskStartedEventAttributes?: { scheduledEventId?: string };
  activityTaskCompletedEventAttributes?: { scheduledEventId?: string };
  activityTaskFailedEventAttributes?: { scheduledEventId?: string };
  activityTaskTimedOutEventAttributes?: { scheduledEventId?: string };
}

export interface ActivityStats {
  count: number;
  /** Summed schedule → start (queueing for a free worker slot plus task dispatch), ms. */
  waitMs: number;
  /** Summed start → close, ms. */
  runMs: number;
  maxRunMs: number;
}

export interface HistoryStats {
  events: number;
  /** First event to last, ms. */
  spanMs: number;
  workflowTasks: number;
  activities: Record<string, ActivityStats>;
  continuedAsNew: boolean;
}

export async function historyStats(
  address: string,
  workflowId: string,
  runId?: string,
): Promise<HistoryStats> {
  const args = ['workflow', 'show', '--address', address, '-w', workflowId, '-o', 'json'];
  if (runId) args.push('-r', runId);
  const { stdout } = await run(temporalCliPath(projectRoot), args, { maxBuffer: 512 * 1024 * 1024 });
  const events = (JSON.parse(stdout) as { events: RawEvent[] }).events;
  const at = (e: RawEvent) => Date.parse(e.eventTime);
  const scheduled = new Map<string, { type: string; at: number; startedAt?: number }>();
  const activities: Record<string, ActivityStats> = {};
  let workflowTasks = 0;
  for (const e of events) {
    const type = e.eventType.replace(/^EVENT_TYPE_/, '');
    if (type === 'WORKFLOW_TASK_COMPLETED') workflowTasks++;
    if (type === 'ACTIVITY_TASK_SCHEDULED') {
      const name = e.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
      scheduled.set(e.eventId, { type: name, at: at(e) });
    }
    if (type === 'ACTIVITY_TASK_STARTED') {
      const s = scheduled.get(e.activityTaskStartedEventAttributes?.scheduledEventId ?? '');
      if (s) s.startedAt = at(e);
    }
    const closed =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes;
    const s = closed && scheduled.get(closed.scheduledEventId ?? '');
    if (s) {
      // Without retries in between, STARTED is written just before the close event with the start time.
      const started = s.startedAt ?? s.at;
      const stats = (activities[s.type] ??= { count: 0, waitMs: 0, runMs: 0, maxRunMs: 0 });
      stats.count++;
      stats.waitMs += started - s.at;
      stats.runMs += at(e) - started;
      stats.maxRunMs = Math.max(stats.maxRunMs, at(e) - started);
    }
  }
  const last = events[events.length - 1];
  return {
    events: events.length,
    spanMs: events.length ? at(last) - at(events[0]) : 0,
    workflowTasks,
    activities,
    continuedAsNew: last?.eventType.endsWith('CONTINUED_AS_NEW') ?? false,
  };
}
