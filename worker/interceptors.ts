// The worker's interceptors: ids on every log line (worker/log-ids.ts, workflows/log-ids.ts), each
// account's share of the worker (worker/fair-share.ts) and, when tracing is on, OpenTelemetry's
// (worker/tracing.ts).
import type { WorkerInterceptors, WorkerOptions } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from './bundle';
import { activityLogIds } from './log-ids';
import type { WorkerTracing } from './tracing';
import { fairShareInterceptor, type FairShare } from './fair-share';

/** `source`: where the workflow code comes from; a prebuilt bundle has its workflow interceptors already. */
export function workerInterceptors(
  source: Pick<WorkerOptions, 'workflowsPath'>,
  tracing?: Pick<WorkerTracing, 'activity' | 'workflowModules'>,
  share?: FairShare,
): WorkerInterceptors {
  return {
    activity: [activityLogIds, ...(share ? [fairShareInterceptor(share)] : []), ...(tracing?.activity ?? [])],
    workflowModules: source.workflowsPath
      ? [...WORKFLOW_INTERCEPTOR_MODULES, ...(tracing?.workflowModules ?? [])]
      : [],
  };
}
