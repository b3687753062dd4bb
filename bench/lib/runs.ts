// Every run of a workflow that continued as new, read through the SDK client: per run its event count,
// the largest single payload (an activity's input or result, or the next run's input) and how much the
// run handed to the next one. bench/lib/history.ts reads one run; this walks the chain from the first.
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type Payloads = { payloads?: { data?: Uint8Array | null }[] | null } | null | undefined;

export interface RunStats {
  runId: string;
  events: number;
  /** First event to last, ms. */
  spanMs: number;
  /** Largest payload of the run and what carried it (activity type, or "continue-as-new"). */
  maxPayloadBytes: number;
  maxPayloadOf: string;
  /** The next run's input, bytes; null for the last run. */
  carriedBytes: number | null;
  activities: Record<string, number>;
  /** Copy activities still open when the run continued as new (carried, not drained); 0 for the last run. */
  copiesOpenAtEnd: number;
}

const bytesOf = (p: Payloads) => (p?.payloads ?? []).reduce((n, x) => n + (x.data?.length ?? 0), 0);

export async function runChain(address: string, workflowId: string): Promise<RunStats[]> {
  // A page of a long run's history (explore results of ~100 KB each) passes gRPC's default 4 MB.
  const connection = await Connection.connect({
    address,
    channelArgs: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 },
  });
  try {
    const client = new Client({ connection, namespace: 'default' });
    // The raw call: the SDK's describe() would decode the memo, which only the stack's codec can read.
    const description = await client.workflowService.describeWorkflowExecution({
      namespace: 'default',
      execution: { workflowId },
    });
    const info = description.workflowExecutionInfo;
    const runs: RunStats[] = [];
    let runId: string | null = info?.firstRunId || info?.execution?.runId || null;
    while (runId) {
      const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const stats = statsOf(runId, history);
      runs.push(stats.run);
      runId = stats.next;
    }
    return runs;
  } finally {
    await connection.close();
  }
}

function statsOf(runId: string, history: History): { run: RunStats; next: string | null } {
  const events = history.events ?? [];
  const run: RunStats = {
    runId,
    events: events.length,
    spanMs: 0,
    maxPayloadBytes: 0,
    maxPayloadOf: '',
    carriedBytes: null,
    activities: {},
    copiesOpenAtEnd: 0,
  };
  const openCopies = new Set<string>();
  const typeOf = new Map<string, string>();
  const seen = (bytes: number, of: string) => {
    if (bytes > run.maxPayloadBytes) [run.maxPayloadBytes, run.maxPayloadOf] = [bytes, of];
  };
  let next: string | null = null;
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const type = scheduled.activityType?.name ?? '?';
      typeOf.set(String(e.eventId), type);
      run.activities[type] = (run.activities[type] ?? 0) + 1;
      seen(bytesOf(scheduled.input), `${type} input`);
      if (type === 'copyFiles') openCopies.add(String(e.eventId));
    }
    const closed =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (closed) openCopies.delete(String(closed.scheduledEventId));
    const completed = e.activityTaskCompletedEventAttributes;
    if (completed)
      seen(bytesOf(completed.result), `${typeOf.get(String(completed.scheduledEventId))} result`);
    const continued = e.workflowExecutionContinuedAsNewEventAttributes;
    if (continued) {
      run.carriedBytes = bytesOf(continued.input);
      seen(run.carriedBytes, 'continue-as-new input');
      next = continued.newExecutionRunId ?? null;
      run.copiesOpenAtEnd = openCopies.size;
    }
  }
  const time = (i: number) => {
    const t = events[i]?.eventTime;
    return t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;
  };
  run.spanMs = events.length ? time(events.length - 1) - time(0) : 0;
  return { run, next };
}
