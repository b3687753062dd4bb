// What a migration's log lines carry: its id and its workflow's, to find the worker's lines of it too.
import { migrationWorkflowId } from '../../contract';
import type { LogFields } from '../../common/log-context';

export const migrationLogFields = (migrationId: string): LogFields => ({
  migrationId,
  workflowId: migrationWorkflowId(migrationId),
});
