// Starting a migration: validate both ends, record it, then start its workflow. An Idempotency-Key makes
// a retried POST return the migration it already created instead of starting another.
import { AppError, conflict, invalidParameter } from '../../common/errors';
import { isWithin } from '../../common/paths';
import { isConnectorError } from '../../connectors';
import { addLogFields } from '../../common/log-context';
import type { ApiContext } from '../context';
import type { Connection, Migration, Store } from '../../store/types';
import { fromConnectorError } from '../http/errors';
import type { CreateMigrationBody } from './schemas';
import { migrationLogFields } from './log-fields';
import { startMigrationWorkflow, workflowState } from './temporal';
import type { MigrationEndpoint, MigrationOptions } from '../../contract';

export interface CreatedMigration {
  migration: Migration;
  /** True when an earlier request with the same Idempotency-Key created it. */
  replayed: boolean;
}

/** "/a/./b/../c/" → "/a/c"; ".." never climbs above "/". */
export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return `/${out.join('/')}`;
}

const sameRequest = (m: Migration, body: CreateMigrationBody) =>
  m.source.connectionId === body.source.connection_id &&
  m.source.path === normalizePath(body.source.path) &&
  m.destination.connectionId === body.destination.connection_id &&
  m.destination.path === normalizePath(body.destination.path) &&
  sameOptions(m.options, toOptions(body));

const toOptions = (body: CreateMigrationBody): MigrationOptions => ({
  ...body.options,
  // Mirror mode is a sync's option (/v1/syncs); a one-off migration never deletes.
  deleteExtraneous: false,
  maxDelete: null,
});

const sameOptions = (a: MigrationOptions, b: MigrationOptions) => JSON.stringify(a) === JSON.stringify(b);

async function ownConnection(
  store: Store,
  accountId: string,
  id: string,
  param: string,
): Promise<Connection> {
  const connection = await store.connections.get(accountId, id);
  if (!connection) {
    throw new AppError(
      'resource_not_found',
      `Connection '${id}' (${param}) was not found`,
      'Pass the id of one of your connections (see GET /v1/connections).',
    );
  }
  return connection;
}

async function checkSourceExists(deps: ApiContext, connection: Connection, path: string): Promise<void> {
  try {
    const connector = await deps.openConnector(connection);
    await connector.stat(path);
  } catch (err) {
    if (isConnectorError(err, 'not_found')) {
      throw new AppError(
        'resource_not_found',
        `Invalid parameter 'source.path': ${path} does not exist on connection ${connection.id}`,
        'Pass an existing file or folder (see GET /v1/files/list).',
      );
    }
    if (isConnectorError(err)) throw fromConnectorError(err, 'source.path');
    throw err;
  }
}

async function replay(
  deps: ApiContext,
  existing: Migration,
  body: CreateMigrationBody,
): Promise<CreatedMigration> {
  addLogFields(migrationLogFields(existing.id));
  if (!sameRequest(existing, body)) {
    throw conflict(
      'This Idempotency-Key was already used with a different request',
      `It created migration ${existing.id}; use a new key for a different migration.`,
    );
  }
  // A crash between recording and starting leaves it pending: starting again attaches or starts it.
  if (existing.status === 'pending') {
    try {
      await startMigrationWorkflow(deps.temporal.client, existing, deps.temporal.taskQueue);
    } catch (err) {
      await settleFailedStart(deps, existing, err);
    }
  }
  return { migration: existing, replayed: true };
}

/**
 * A start that failed, or timed out: Temporal may have started it all the same. Asked first — a started
 * workflow is the answer (202). One Temporal does not have is marked failed (were its start to land
 * later, the workflow finds the migration final and does nothing). One Temporal cannot be asked about
 * stays pending: the reconciler (reconcile.ts) starts it once Temporal answers.
 */
async function settleFailedStart(deps: ApiContext, migration: Migration, err: unknown): Promise<void> {
  const state = await workflowState(deps.temporal.client, migration);
  if (state === 'started') return;
  const reason = failureReason(err);
  if (state === 'unknown') {
    throw new AppError(
      'service_error',
      `The migration could not be started yet: the workflow service failed (${reason})`,
      `Migration ${migration.id} is recorded and stays pending; it starts as soon as the service answers ` +
        '(GET it to follow), so do not create it again.',
    );
  }
  await deps.store.migrations.update(
    migration.id,
    { status: 'failed', error: `Could not start: ${reason}` },
    migration.accountId,
  );
  throw new AppError(
    'service_error',
    `The migration could not be started: the workflow service failed (${reason})`,
    `Migration ${migration.id} was marked failed; retry later with a new Idempotency-Key.`,
  );
}

/** The workflow service's own words (the SDK wraps them: "Failed to start Workflow" + the gRPC cause). */
function failureReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
  return cause ?? (err instanceof Error ? err.message : String(err));
}

/**
 * Both ends of a migration or sync request: the caller's connections, normalized paths, a destination
 * outside the source, and a source that exists.
 */
export async function resolveEndpoints(
  deps: ApiContext,
  accountId: string,
  body: Pick<CreateMigrationBody, 'source' | 'destination'>,
): Promise<{ source: MigrationEndpoint; destination: MigrationEndpoint }> {
  const { store } = deps;
  const src = await ownConnection(store, accountId, body.source.connection_id, 'source.connection_id');
  const dst = await ownConnection(
    store,
    accountId,
    body.destination.connection_id,
    'destination.connection_id',
  );
  const source: MigrationEndpoint = {
    connectionId: src.id,
    service: src.service,
    path: normalizePath(body.source.path),
  };
  const destination: MigrationEndpoint = {
    connectionId: dst.id,
    service: dst.service,
    path: normalizePath(body.destination.path),
  };
  if (src.id === dst.id && isWithin(source.path, destination.path)) {
    throw invalidParameter(
      'destination.path',
      'must not be inside the source on the same connection',
      'Copying a folder into itself would never end; choose a destination outside the source.',
    );
  }
  await checkSourceExists(deps, src, source.path);
  return { source, destination };
}

export async function createMigration(
  deps: ApiContext,
  accountId: string,
  body: CreateMigrationBody,
  idempotencyKey: string | undefined,
): Promise<CreatedMigration> {
  const { store } = deps;
  if (idempotencyKey) {
    const existing = await store.migrations.findByIdempotencyKey(accountId, idempotencyKey);
    if (existing) return replay(deps, existing, body);
  }

  if (body.options.deleteExtraneous) {
    throw invalidParameter(
      'options.delete_extraneous',
      'is for syncs only',
      'Mirror mode deletes at the destination on every run of a recurring sync: create one with POST /v1/syncs.',
    );
  }
  const { source, destination } = await resolveEndpoints(deps, accountId, body);

  let migration: Migration;
  try {
    migration = await store.migrations.create({
      accountId,
      source,
      destination,
      options: { ...toOptions(body) },
      idempotencyKey,
    });
  } catch (err) {
    // A concurrent request with the same key won the race: answer as its replay.
    const winner = idempotencyKey && (await store.migrations.findByIdempotencyKey(accountId, idempotencyKey));
    if (err instanceof AppError && err.code === 'conflict' && winner) return replay(deps, winner, body);
    throw err;
  }
  addLogFields(migrationLogFields(migration.id));

  try {
    await startMigrationWorkflow(deps.temporal.client, migration, deps.temporal.taskQueue);
  } catch (err) {
    deps.logger.error({ err, migrationId: migration.id }, 'could not start the migration workflow');
    await settleFailedStart(deps, migration, err);
  }
  return { migration, replayed: false };
}
