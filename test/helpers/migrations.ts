// Running the migration workflow straight on a test worker (no API): two local connections, the stored
// migration row and the workflow's input, and every item it recorded.
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { MigrationItem, Store } from '../../store/types';
import {
  completeOptions,
  MIGRATION_WORKFLOW_TYPE,
  type MigrationEndpoint,
  type MigrationOptions,
  type MigrationTuning,
  type MigrationWorkflowInput,
} from '../../contract';

/** Local connections of `accountId` over two roots, as endpoints at their top. */
export async function localEndpoints(
  store: Store,
  accountId: string,
  roots: [string, string],
): Promise<{ source: MigrationEndpoint; destination: MigrationEndpoint }> {
  const [from, to] = await Promise.all(
    roots.map((root, i) =>
      store.connections.create({ accountId, service: 'local', name: `c${i}`, config: { root } }),
    ),
  );
  return {
    source: { connectionId: from.id, service: 'local', path: '/' },
    destination: { connectionId: to.id, service: 'local', path: '/' },
  };
}

/** Records the migration and starts its workflow on `taskQueue`. */
export async function startMigrationWorkflow(
  client: Client,
  store: Store,
  taskQueue: string,
  run: {
    accountId: string;
    source: MigrationEndpoint;
    destination: MigrationEndpoint;
    options?: Partial<MigrationOptions>;
    tuning?: Partial<MigrationTuning>;
  },
): Promise<{ migrationId: string; handle: WorkflowHandle }> {
  const { accountId, source, destination, tuning } = run;
  const options = completeOptions(run.options ?? {});
  const migration = await store.migrations.create({ accountId, source, destination, options });
  const input: MigrationWorkflowInput = {
    migrationId: migration.id,
    accountId,
    source,
    destination,
    options,
    ...(tuning && { tuning }),
  };
  const handle = await client.workflow.start(MIGRATION_WORKFLOW_TYPE, {
    taskQueue,
    workflowId: migration.workflowId,
    args: [input],
  });
  return { migrationId: migration.id, handle };
}

/** Every item the migration recorded, page after page. */
export async function allItems(
  store: Store,
  accountId: string,
  migrationId: string,
): Promise<MigrationItem[]> {
  const items: MigrationItem[] = [];
  for (let pageToken: string | null = null; ;) {
    const page = await store.items.list(accountId, migrationId, {}, { pageSize: 1000, pageToken });
    items.push(...page.items);
    if (!(pageToken = page.nextPageToken)) return items;
  }
}
