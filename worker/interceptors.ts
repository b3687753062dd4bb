// The worker's interceptors: ids on every log line (worker/log-ids.ts, workflows/log-ids.ts).
import type { WorkerInterceptors, WorkerOptions } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from './bundle';
import { activityLogIds } from './log-ids';

/** `source`: where the workflow code comes from; a prebuilt bundle has its workflow interceptors already. */
export function workerInterceptors(source: Pick<WorkerOptions, 'workflowsPath'>): WorkerInterceptors {
  return {
    activity: [activityLogIds],
    workflowModules: source.workflowsPath ? WORKFLOW_INTERCEPTOR_MODULES : [],
  };
}
