// Steering a migration: pause, resume, cancel. Each is refused (409) once the migration has finished.
import { WorkflowNotFoundError } from '@temporalio/client';
import { AppError, conflict, notFound } from '../../common/errors';
import { type Migration } from '../../store/types';
import type { ApiContext } from '../context';
import { defineRoute, type Route } from '../http/route';
import { idParams } from '../http/schemas';
import { migrationSchema } from './schemas';
import { cancelMigrationWorkflow, queryMigration, signalMigrationWorkflow } from './temporal';
import { FINAL_STATUSES, type MigrationStatus } from '../../contract';
import { derivedEventId, migrationEventData } from '../../events';
import { presentMigration } from './presenter';

type Action = 'pause' | 'resume' | 'cancel';

const isFinal = (m: Migration) => FINAL_STATUSES.includes(m.status);
const migrationParams = idParams('mig', 'the migration');

const refuseFinished = (m: Migration, action: Action) =>
  conflict(
    `Migration ${m.id} is already ${m.status}`,
    `Only a pending, queued, running or paused migration can be ${action === 'pause' ? 'paused' : `${action}ed`}.`,
  );

const undelivered = (action: Action) =>
  new AppError('service_error', `The ${action} request could not be delivered`, 'Retry in a moment.');

export const migrationControlRoutes = (deps: ApiContext): Route[] => {
  const { store, temporal } = deps;
  /** The caller's unfinished migration. */
  const load = async (accountId: string, id: string, action: Action) => {
    const migration = await store.migrations.get(accountId, id);
    if (!migration) throw notFound('Migration', id);
    if (isFinal(migration)) throw refuseFinished(migration, action);
    return migration;
  };

  /** Signals the workflow, then answers its state as the workflow itself now tells it. */
  const steer = async (migration: Migration, action: 'pause' | 'resume') => {
    try {
      await signalMigrationWorkflow(temporal.client, migration, action);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) {
        deps.logger.warn({ err, migrationId: migration.id }, `${action} request failed`);
        throw undelivered(action);
      }
      // The workflow finished meanwhile (the store says how), or never ran.
      const now = (await store.migrations.getById(migration.id)) ?? migration;
      if (isFinal(now)) throw refuseFinished(now, action);
      throw conflict(
        `Migration ${migration.id} has no running workflow to ${action}`,
        'It was stopped outside the API; start a new migration (or cancel this one).',
      );
    }
    // A query after the signal sees it (signals are handled before a query is answered). When no
    // worker answers in time, the signal still waits in the workflow's history: answer what it will do.
    const live = await queryMigration(temporal.client, migration);
    if (live) return presentMigration(migration, live);
    return presentMigration({ ...migration, status: expectedStatus(migration.status, action) });
  };

  return [
    defineRoute({
      method: 'post',
      path: '/v1/migrations/:id/pause',
      summary: 'Pause a migration',
      description:
        'Holds the migration between files: no new copy batch or folder listing starts. Copies already ' +
        'in flight finish (each is a bounded batch of small files or one large file), so the counters may ' +
        'still move for a short while. Answers the migration with status paused; pausing a paused ' +
        'migration changes nothing. A paused migration stays paused across worker restarts until resumed ' +
        'or cancelled. A finished migration answers 409.',
      params: migrationParams,
      status: 200,
      response: migrationSchema,
      errors: ['resource_not_found', 'conflict', 'service_error'],
      async handler({ auth, params }) {
        return steer(await load(auth.account.id, params.id, 'pause'), 'pause');
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/migrations/:id/resume',
      summary: 'Resume a paused migration',
      description:
        'Lets a paused migration go on where it stopped. Resuming a running migration changes nothing. ' +
        'A finished migration answers 409.',
      params: migrationParams,
      status: 200,
      response: migrationSchema,
      errors: ['resource_not_found', 'conflict', 'service_error'],
      async handler({ auth, params }) {
        return steer(await load(auth.account.id, params.id, 'resume'), 'resume');
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/migrations/:id/cancel',
      summary: 'Cancel a migration',
      description:
        'Stops a pending, queued, running or paused migration. Answers 202 at once: copies in flight are aborted ' +
        'within seconds and their partial files removed, then the status becomes cancelled. Files ' +
        'already copied stay at the destination. A finished migration answers 409.',
      params: migrationParams,
      status: 202,
      response: migrationSchema,
      errors: ['resource_not_found', 'conflict', 'service_error'],
      async handler({ auth, params }) {
        const migration = await load(auth.account.id, params.id, 'cancel');
        try {
          await cancelMigrationWorkflow(temporal.client, migration);
          // Temporal takes a cancellation for a workflow that has just ended too: then it ended as it did.
          const now = (await store.migrations.getById(migration.id)) ?? migration;
          if (isFinal(now) && now.status !== 'cancelled') throw refuseFinished(now, 'cancel');
        } catch (err) {
          if (err instanceof AppError) throw err;
          if (!(err instanceof WorkflowNotFoundError)) {
            deps.logger.warn({ err, migrationId: migration.id }, 'cancel request failed');
            throw undelivered('cancel');
          }
          // No workflow ever ran (or it is gone): nothing else will record the cancellation, or say so.
          // Unless it ended meanwhile: then the store keeps its final status, and so does the answer.
          const cancelled =
            (await store.migrations.update(migration.id, { status: 'cancelled' }, migration.accountId)) ??
            migration;
          if (cancelled.status !== 'cancelled') throw refuseFinished(cancelled, 'cancel');
          await deps.publisher
            .publish({
              accountId: cancelled.accountId,
              type: 'migration.cancelled',
              data: migrationEventData(cancelled),
              eventId: derivedEventId(`migration.cancelled/${cancelled.id}`),
            })
            .catch((e: unknown) =>
              deps.logger.warn({ err: e, migrationId: cancelled.id }, 'event not published'),
            );
          return presentMigration(cancelled);
        }
        return presentMigration(migration);
      },
    }),
  ];
};

/** The status a delivered signal leads to, for when the workflow cannot be asked yet. */
function expectedStatus(current: MigrationStatus, action: 'pause' | 'resume'): MigrationStatus {
  if (action === 'pause') return 'paused';
  return current === 'paused' ? 'running' : current;
}
