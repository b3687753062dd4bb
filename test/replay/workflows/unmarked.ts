// The current workflows with one change to the migration's command sequence — a timer before it
// starts — made without a version marker: recorded migrations must fail to replay against it.
import { sleep } from '@temporalio/workflow';
import { migrationWorkflow as current } from '../../../workflows/migration';
import type { MigrationWorkflowInput } from '../../../contract';

export { syncRunWorkflow, webhookDeliveryWorkflow } from '../../../workflows';

export async function migrationWorkflow(input: MigrationWorkflowInput) {
  await sleep(1);
  return current(input);
}
