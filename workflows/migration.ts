// Placeholder replaced by the real migration workflow.
import type { MigrationWorkflowInput } from './definitions';
export async function migrationWorkflow(_input: MigrationWorkflowInput): Promise<void> {}
