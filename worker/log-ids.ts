// Activity interceptors: every log line of an activity names its job's account, migration and sync
// (from the header its workflow set, workflows/log-ids.ts) next to the SDK's workflowId and
// activityType — the SDK's own lines, Context.log's, and the pino lines of code it calls (connectors,
// budgets, webhook publishing), which read them from the log context.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { withLogFields, type LogFields } from '../common/log-context';
import { jobLogIds, LOG_IDS_HEADER, migrationIdOf, type JobLogIds } from '../contract';

/** The ids in an activity's header (absent for an activity scheduled before its workflow sent them). */
export function headerLogIds(headers: Record<string, Payload>): JobLogIds {
  const header = headers[LOG_IDS_HEADER];
  return header ? jobLogIds(defaultPayloadConverter.fromPayload(header)) : {};
}

export const activityLogIds: ActivityInterceptorsFactory = (ctx) => {
  const { activityType, workflowExecution } = ctx.info;
  const workflowId = workflowExecution?.workflowId;
  // An activity scheduled before its workflow sent the header: what the workflow id tells.
  const fromId = migrationIdOf(workflowId);
  let ids: JobLogIds = fromId ? { migrationId: fromId } : {};
  return {
    inbound: {
      execute(input, next) {
        ids = { ...ids, ...headerLogIds(input.headers) };
        const fields: LogFields = { ...ids, activityType, ...(workflowId ? { workflowId } : {}) };
        return withLogFields(fields, () => next(input));
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) => next({ ...attributes, ...ids }),
    },
  };
};
