// The worker's interceptors: ids on every log line (worker/log-ids.ts, workflows/log-ids.ts) and, when
// tracing is on, OpenTelemetry's (worker/tracing.ts).
import type { WorkerInterceptors, WorkerOptions } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from './bundle';
import { activityLogIds } from './log-ids';
import type { WorkerTracing } from './tracing';

/** `source`: where the workflow code comes from; a prebuilt bundle has its workflow interceptors already. */
export function workerInterceptors(
  source: Pick<WorkerOptions, 'workflowsPath'>,
  tracing?: Pick<WorkerTracing, 'activity' | 'workflowModules'>,
): WorkerInterceptors {
  return {
    activity: [activityLogIds, ...(tracing?.activity ?? [])],
    workflowModules: source.workflowsPath
      ? [...WORKFLOW_INTERCEPTOR_MODULES, ...(tracing?.workflowModules ?? [])]
      : [],
  };
}
