// Workflow interceptors (bundled with the workflows, see worker/bundle.ts): every workflow log line
// names the job's account, migration and sync, and every activity it schedules gets them in a header
// (worker/log-ids.ts puts them on the activity's lines). Headers are not part of the replayed commands.
import {
  defaultPayloadConverter,
  workflowInfo,
  type Payload,
  type WorkflowInterceptors,
} from '@temporalio/workflow';
import { ACCOUNT_ID_KEY, jobLogIds, LOG_IDS_HEADER, migrationIdOf, type JobLogIds } from '../contract';

/** Before the workflow's input is known (the SDK's "Workflow started"): what its id and search attributes say. */
function idsFromInfo(): JobLogIds {
  const info = workflowInfo();
  const accountId = info.typedSearchAttributes.get(ACCOUNT_ID_KEY);
  const migrationId = migrationIdOf(info.workflowId);
  return { ...(accountId ? { accountId } : {}), ...(migrationId ? { migrationId } : {}) };
}

export const interceptors = (): WorkflowInterceptors => {
  let ids: JobLogIds | undefined;
  const current = () => ids ?? idsFromInfo();
  const withIds = (headers: Record<string, Payload>) => ({
    ...headers,
    [LOG_IDS_HEADER]: defaultPayloadConverter.toPayload(current()),
  });
  return {
    inbound: [
      {
        execute(input, next) {
          ids = { ...idsFromInfo(), ...jobLogIds(input.args[0]) };
          return next(input);
        },
      },
    ],
    outbound: [
      {
        getLogAttributes: (attributes, next) => next({ ...attributes, ...current() }),
        scheduleActivity: (input, next) => next({ ...input, headers: withIds(input.headers) }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: withIds(input.headers) }),
      },
    ],
  };
};
