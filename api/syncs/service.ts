// Creating and changing syncs: both ends checked as for a migration, the schedule checked here, then the
// store row and its Temporal Schedule kept in step (a schedule Temporal refuses leaves no row behind).
// An Idempotency-Key makes a retried create answer the sync it already made, as for migrations.
import { createHash } from 'node:crypto';
import { AppError, conflict, invalidParameter, notFound } from '../../common/errors';
import type { Sync, SyncSchedule } from '../../store/types';
import type { ApiContext } from '../context';
import { normalizePath, resolveEndpoints } from '../migrations/service';
import { presentOptions } from '../migrations/options';
import type { CreateSyncBody, PatchSyncBody, ScheduleBody, SyncBody } from './schemas';
import { canonicalTimeZone, formatInterval, intervalSeconds, MAX_INTERVAL_SECONDS } from './schedule';
import { temporalReason, type ScheduleState, type SyncSchedules } from './temporal';
import { syncScheduleId } from '../../contract';

export function presentSync(sync: Sync, state?: ScheduleState): SyncBody {
  const endpoint = (e: Sync['source']) => ({
    connection_id: e.connectionId,
    service: e.service,
    path: e.path,
  });
  return {
    id: sync.id,
    source: endpoint(sync.source),
    destination: endpoint(sync.destination),
    options: presentOptions(sync.options),
    schedule: sync.schedule,
    timezone: sync.timezone,
    // Temporal's word when it answered (a pause in the Web UI counts too), else the store's.
    state: (state?.paused ?? sync.paused) ? 'paused' : 'active',
    schedule_id: syncScheduleId(sync.id),
    next_run_at: state?.nextRunAt ?? null,
    last_run: sync.lastRun && { migration_id: sync.lastRun.migrationId, status: sync.lastRun.status },
    created_at: sync.createdAt,
    updated_at: sync.updatedAt,
  };
}

/** The schedule as stored, unchecked: the cron expression's spaces collapsed, the interval trimmed. */
const normalizedSchedule = (schedule: ScheduleBody): SyncSchedule =>
  schedule.cron !== undefined
    ? { cron: schedule.cron.trim().replace(/\s+/g, ' ') }
    : { interval: schedule.interval!.trim() };

/** The schedule as stored: the cron expression trimmed, an interval within the server's bounds. */
function checkedSchedule(schedule: ScheduleBody, minSeconds: number): SyncSchedule {
  const normalized = normalizedSchedule(schedule);
  if ('cron' in normalized) return normalized;
  const { interval } = normalized;
  const seconds = intervalSeconds(interval)!;
  if (seconds < minSeconds) {
    throw invalidParameter(
      'schedule.interval',
      `must be at least ${formatInterval(minSeconds)}`,
      `Syncs run at most every ${formatInterval(minSeconds)} on this server; use a longer interval.`,
    );
  }
  if (seconds > MAX_INTERVAL_SECONDS) {
    throw invalidParameter(
      'schedule.interval',
      `must be at most ${formatInterval(MAX_INTERVAL_SECONDS)}`,
      'Use a cron expression for rarer runs, or start a migration by hand.',
    );
  }
  return { interval };
}

/** The schema has checked the name; this gives its canonical spelling, which Temporal needs. */
const timezoneOf = (name: string) => canonicalTimeZone(name) ?? name;

/**
 * A digest of the request as it would be stored (paths normalized, defaults filled in). A sync changes
 * after creation (PATCH, pause), so a retry is compared with this, not with the row.
 */
function requestFingerprint(body: CreateSyncBody): string {
  const end = (e: CreateSyncBody['source']) => ({
    connectionId: e.connection_id,
    path: normalizePath(e.path),
  });
  const request = {
    source: end(body.source),
    destination: end(body.destination),
    options: body.options,
    schedule: normalizedSchedule(body.schedule),
    timezone: timezoneOf(body.timezone),
    paused: body.paused,
  };
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

export interface CreatedSync {
  sync: Sync;
  /** True when an earlier request with the same Idempotency-Key created it. */
  replayed: boolean;
}

const unavailable = (what: string, err: unknown, details: string) =>
  new AppError('service_error', `${what}: the workflow service failed (${temporalReason(err)})`, details);

export class SyncService {
  constructor(
    private readonly deps: ApiContext,
    private readonly schedules: SyncSchedules,
  ) {}

  async load(accountId: string, id: string): Promise<Sync> {
    const sync = await this.deps.store.syncs.get(accountId, id);
    if (!sync) throw notFound('Sync', id);
    return sync;
  }

  async create(accountId: string, body: CreateSyncBody, idempotencyKey?: string): Promise<CreatedSync> {
    const { store, config } = this.deps;
    const fingerprint = idempotencyKey === undefined ? undefined : requestFingerprint(body);
    if (idempotencyKey !== undefined) {
      const existing = await store.syncs.findByIdempotencyKey(accountId, idempotencyKey);
      if (existing) return this.replay(existing, fingerprint!);
    }
    const schedule = checkedSchedule(body.schedule, config.SYNC_MIN_INTERVAL_SECONDS);
    const { source, destination } = await resolveEndpoints(this.deps, accountId, body);
    let sync: Sync;
    try {
      sync = await store.syncs.create({
        accountId,
        source,
        destination,
        options: body.options,
        schedule,
        timezone: timezoneOf(body.timezone),
        paused: body.paused,
        idempotencyKey,
        idempotencyFingerprint: fingerprint,
      });
    } catch (err) {
      // A concurrent request with the same key won the race: answer as its replay.
      const winner = idempotencyKey && (await store.syncs.findByIdempotencyKey(accountId, idempotencyKey));
      if (err instanceof AppError && err.code === 'conflict' && winner)
        return this.replay(winner, fingerprint!);
      throw err;
    }
    try {
      await this.schedules.create(sync);
    } catch (err) {
      await store.syncs.delete(accountId, sync.id);
      if (err instanceof AppError) throw err;
      this.deps.logger.error({ err, syncId: sync.id }, 'could not create the sync schedule');
      throw unavailable('The sync could not be scheduled', err, 'Nothing was created; retry later.');
    }
    return { sync, replayed: false };
  }

  /**
   * The sync an earlier request with this key created. Its schedule is created again if missing (a crash
   * between recording and scheduling; the racing request still creating it): one that exists is kept.
   */
  private async replay(existing: Sync, fingerprint: string): Promise<CreatedSync> {
    if (existing.idempotencyFingerprint !== fingerprint) {
      throw conflict(
        'This Idempotency-Key was already used with a different request',
        `It created sync ${existing.id}; use a new key for a different sync.`,
      );
    }
    try {
      await this.schedules.create(existing);
    } catch (err) {
      if (err instanceof AppError) throw err;
      this.deps.logger.warn({ err, syncId: existing.id }, 'could not check the sync schedule');
      throw unavailable(
        'The sync could not be scheduled',
        err,
        `Sync ${existing.id} exists; retry later with the same Idempotency-Key.`,
      );
    }
    return { sync: existing, replayed: true };
  }

  /** Options change the runs started later; a new schedule or time zone changes the Temporal Schedule first. */
  async update(accountId: string, id: string, body: PatchSyncBody): Promise<Sync> {
    if (body.schedule === undefined && body.timezone === undefined && body.options === undefined) {
      throw invalidParameter(
        'body',
        'changes nothing',
        'Send at least one of schedule, timezone or options.',
      );
    }
    const { store, config } = this.deps;
    const current = await this.load(accountId, id);
    const schedule = body.schedule && checkedSchedule(body.schedule, config.SYNC_MIN_INTERVAL_SECONDS);
    const timezone = body.timezone && timezoneOf(body.timezone);
    const options = body.options && { ...current.options, ...body.options };
    if (schedule || timezone) {
      const next: Sync = {
        ...current,
        schedule: schedule ?? current.schedule,
        timezone: timezone ?? current.timezone,
      };
      try {
        await this.schedules.update(next);
      } catch (err) {
        if (err instanceof AppError) throw err;
        this.deps.logger.warn({ err, syncId: id }, 'could not update the sync schedule');
        throw unavailable('The schedule could not be changed', err, 'Nothing was changed; retry later.');
      }
    }
    const updated = await store.syncs.update(accountId, id, { schedule, timezone, options });
    if (!updated) throw notFound('Sync', id);
    return updated;
  }

  /** The schedule first: a failure there leaves the sync as it was, to delete again. */
  async delete(sync: Sync): Promise<void> {
    try {
      await this.schedules.delete(sync.id);
    } catch (err) {
      this.deps.logger.warn({ err, syncId: sync.id }, 'could not delete the sync schedule');
      throw unavailable('The sync could not be deleted', err, 'Nothing was deleted; retry in a moment.');
    }
    await this.deps.store.syncs.delete(sync.accountId, sync.id);
  }

  /** Pauses or resumes the schedule, then records it. */
  async setPaused(accountId: string, id: string, paused: boolean): Promise<Sync> {
    await this.load(accountId, id);
    try {
      await (paused ? this.schedules.pause(id) : this.schedules.unpause(id));
    } catch (err) {
      if (err instanceof AppError) throw err;
      this.deps.logger.warn({ err, syncId: id }, `could not ${paused ? 'pause' : 'resume'} the sync`);
      throw unavailable(`The sync could not be ${paused ? 'paused' : 'resumed'}`, err, 'Retry in a moment.');
    }
    const updated = await this.deps.store.syncs.update(accountId, id, { paused });
    if (!updated) throw notFound('Sync', id);
    return updated;
  }
}
