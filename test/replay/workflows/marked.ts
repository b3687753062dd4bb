// The same change as unmarked.ts behind patched(): runs recorded before it take the old path on
// replay, new runs the new one — recorded migrations replay.
import { patched, sleep } from '@temporalio/workflow';
import { migrationWorkflow as current } from '../../../workflows/migration';
import type { MigrationWorkflowInput } from '../../../contract';

export { syncRunWorkflow, webhookDeliveryWorkflow } from '../../../workflows';

export async function migrationWorkflow(input: MigrationWorkflowInput) {
  if (patched('replay-test-timer-before-start')) await sleep(1);
  return current(input);
}
