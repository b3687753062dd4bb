// Recurring syncs: a migration's source, destination and options, run on a Temporal Schedule.
import { idSchema, nextPageTokenSchema, pagingInput, timestampSchema } from '../http/schemas';
import { endpointInput, endpointSchema, IDEMPOTENCY_KEY } from '../migrations/schemas';
import { migrationOptionsInput, migrationOptionsPatch, migrationOptionsSchema } from '../migrations/options';
import { canonicalTimeZone, CRON_MACROS, cronProblem, intervalSeconds } from './schedule';
import { z } from '../http/zod';
import { MIGRATION_STATUSES } from '../../contract';

const cronSchema = z
  .string()
  .max(200)
  .superRefine((cron, ctx) => {
    const problem = cronProblem(cron);
    if (problem) ctx.addIssue({ code: 'custom', message: `is not a valid cron expression: ${problem}` });
  })
  .openapi({
    description:
      'A 5-field cron expression (minute hour day-of-month month day-of-week; names such as MON or ' +
      `JAN allowed), or one of ${CRON_MACROS.join(', ')}; read in the sync's timezone.`,
    example: '0 * * * *',
  });

const intervalSchema = z
  .string()
  .max(40)
  .superRefine((interval, ctx) => {
    if (intervalSeconds(interval) === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'is not an interval: use numbers with units d, h, m, s, largest first, such as "1h30m"',
      });
    }
  })
  .openapi({
    description:
      'Run every so often: "30m", "1h30m", "1d" (units d, h, m, s). At least 1 minute unless the ' +
      'server is configured otherwise (SYNC_MIN_INTERVAL_SECONDS); at most 366 days.',
    example: '15m',
  });

/** Exactly one of cron or interval; each checked on its own so the error names schedule.cron or schedule.interval. */
export const scheduleInput = z
  .strictObject({ cron: cronSchema.optional(), interval: intervalSchema.optional() })
  .superRefine((s, ctx) => {
    if ((s.cron === undefined) === (s.interval === undefined)) {
      // Neither: the schedule itself is incomplete; both: the interval is the one too many.
      ctx.addIssue({
        code: 'custom',
        path: s.cron === undefined ? [] : ['interval'],
        message:
          s.cron === undefined
            ? 'must have either "cron" or "interval"'
            : 'must not be given with a cron expression: give one of them',
      });
    }
  })
  .openapi('SyncScheduleInput', {
    description: 'When the sync runs: {"cron": "0 * * * *"} or {"interval": "15m"}.',
    example: { cron: '0 * * * *' },
  });

const timezoneSchema = z
  .string()
  .max(100)
  .superRefine((name, ctx) => {
    if (canonicalTimeZone(name) === undefined)
      ctx.addIssue({ code: 'custom', message: `"${name}" is not a known IANA time zone` });
  })
  .openapi({
    description: 'IANA time zone the cron expression is read in (default "UTC"); daylight saving applies.',
    example: 'Europe/Berlin',
  });

export const createSyncBody = z
  .strictObject({
    source: endpointInput,
    destination: endpointInput,
    options: migrationOptionsInput,
    schedule: scheduleInput,
    timezone: timezoneSchema.default('UTC'),
    paused: z.boolean().default(false).openapi({ description: 'Create it paused (no scheduled runs).' }),
  })
  .openapi('CreateSyncRequest');

export const patchSyncBody = z
  .strictObject({
    schedule: scheduleInput.optional(),
    timezone: timezoneSchema.optional(),
    options: migrationOptionsPatch.optional().openapi({
      description: 'Options to change; the others keep their values. Runs started later use them.',
    }),
  })
  .openapi('UpdateSyncRequest');

/** Documents the header; the route checks it against IDEMPOTENCY_KEY, as POST /v1/migrations does. */
export const syncIdempotencyHeaders = z.object({
  'Idempotency-Key': z.string().regex(IDEMPOTENCY_KEY).optional().openapi({
    description: 'Retrying a POST with the same key returns the same sync instead of creating another.',
  }),
});

export const listSyncsInput = z.strictObject({ ...pagingInput });

export const syncSchema = z
  .object({
    id: idSchema('syn', 'the sync'),
    source: endpointSchema,
    destination: endpointSchema,
    options: migrationOptionsSchema,
    schedule: z.union([z.object({ cron: z.string() }), z.object({ interval: z.string() })]),
    timezone: z.string(),
    state: z.enum(['active', 'paused']).openapi({ description: 'paused: no scheduled runs until resumed.' }),
    schedule_id: z.string().openapi({
      description: "The Temporal Schedule's id (sync-<id>), to find it in the Temporal Web UI.",
    }),
    next_run_at: timestampSchema.nullable().openapi({
      description: 'When the schedule runs next; null while paused (or when Temporal cannot be asked now).',
    }),
    last_run: z
      .object({
        migration_id: idSchema('mig', 'the run’s migration'),
        status: z.enum(MIGRATION_STATUSES),
      })
      .nullable()
      .openapi({
        description: 'The run started last (GET /v1/migrations/{id} for its details); null before the first.',
      }),
    created_at: timestampSchema,
    updated_at: timestampSchema,
  })
  .openapi('Sync');

export const syncListSchema = z.object({ syncs: z.array(syncSchema), next_page_token: nextPageTokenSchema });

export type CreateSyncBody = z.infer<typeof createSyncBody>;
export type PatchSyncBody = z.infer<typeof patchSyncBody>;
export type ScheduleBody = z.infer<typeof scheduleInput>;
export type SyncBody = z.infer<typeof syncSchema>;
