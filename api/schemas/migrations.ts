// Migrations: copy a folder tree (or one file) from one connection to another.
import {
  idSchema,
  nextPageTokenSchema,
  pagingInput,
  pathSchema,
  serviceNameSchema,
  timestampSchema,
} from './common';
import { globProblem } from '../../common/globs';
import { z } from './zod';

export const MIGRATION_STATUSES = [
  'pending',
  'running',
  'paused',
  'completed',
  'completed_with_errors',
  'failed',
  'cancelled',
] as const;

export const endpointInput = z.strictObject({
  connection_id: idSchema('conn', 'the connection'),
  path: pathSchema,
});

const conflictSchema = z.enum(['skip', 'overwrite', 'rename', 'newer']).openapi({
  description:
    'When the destination already has a file of that name: "skip" (default) keeps it, "overwrite" ' +
    'replaces it, "rename" copies beside it as "name (1).ext", "newer" replaces it only when the ' +
    'source was modified later (or the sizes differ at equal times).',
});

const globsSchema = (what: string) =>
  z
    .array(z.string().min(1).max(1000))
    .max(100)
    .superRefine((patterns, ctx) => {
      patterns.forEach((pattern, i) => {
        const problem = globProblem(pattern);
        if (problem)
          ctx.addIssue({ code: 'custom', path: [i], message: `is not a valid pattern: ${problem}` });
      });
    })
    .openapi({
      description:
        `Glob patterns, relative to the source path, of the files ${what} ("*" within a name, ` +
        '"**" across folders, "?" one character, "{a,b}" alternatives); a pattern without "/" ' +
        'matches a name at any depth.',
      example: ['**/*.jpg'],
    });

const verifySchema = z.enum(['checksum', 'size', 'none']).openapi({
  description:
    '"checksum" (default): the destination\'s reported hash must equal the hash of the bytes read, ' +
    "computed on the fly in the destination's algorithm (falls back to size where the destination " +
    'reports none); a mismatch retries the file, then fails it. "size": byte counts only.',
});

const googleDocsSchema = z.enum(['export', 'skip']).openapi({
  description:
    'Google Docs, Sheets, Slides and Drawings have no bytes of their own. "export" (default) copies ' +
    'them in an Office format with its extension added ("Budget" → "Budget.xlsx"; Docs .docx, ' +
    'Slides .pptx, Drawings .pdf); other kinds cannot be exported and are skipped, and Drive refuses ' +
    'exports over 10 MB (that file fails). "skip" counts them all as skipped.',
});

const invalidNamesSchema = z.enum(['fail', 'encode']).openapi({
  description:
    'Names the destination refuses (OneDrive: " * : < > ? / \\ |, empty names, CON, PRN, AUX, NUL, ' +
    'COM0-9, LPT0-9, .lock, desktop.ini, names starting with ~$ or containing _vti_). "fail" (default) ' +
    'fails such a file, and a folder with everything in it, with the reason. "encode" copies them ' +
    'under look-alike names as rclone does: forbidden characters become their full-width forms ' +
    '(":" → "："), a reserved name gets its first character in full width ("CON" → "ＣON"), and ' +
    'folders and files are renamed alike.',
});

const deleteExtraneousSchema = z.boolean().openapi({
  description:
    'Mirror mode, for syncs (POST /v1/syncs; a one-off migration refuses true): each run deletes at ' +
    'the destination what no longer exists at the source, guarded by max_delete. Default false.',
});

/** max_delete's default: a sync in mirror mode deletes at most this many files in one run. */
export const DEFAULT_MAX_DELETE = 100;
const MAX_DELETE_ERROR = 'must be a number of files (an integer, 0 or more) or a percentage such as "10%"';
const maxDeleteSchema = z
  .union(
    [
      z
        .number({ error: MAX_DELETE_ERROR })
        .int({ error: MAX_DELETE_ERROR })
        .min(0, { error: MAX_DELETE_ERROR }),
      z
        .string()
        .regex(/^\d{1,3}(\.\d{1,6})?%$/, { error: MAX_DELETE_ERROR })
        .refine((s) => parseFloat(s) <= 100, { error: MAX_DELETE_ERROR }),
    ],
    { error: MAX_DELETE_ERROR },
  )
  .nullable()
  .openapi({
    description:
      `Only with delete_extraneous: the most a run may delete, as a number of files (default ${DEFAULT_MAX_DELETE}) ` +
      'or a percentage of the destination\'s files ("10%"); a run that would delete more stops with that ' +
      'reason before deleting anything. null: no limit.',
    example: '10%',
  });

/** Migration options as requests send them; /v1/syncs takes the same (api/schemas/syncs.ts). */
export const migrationOptionsInput = z
  .strictObject({
    conflict: conflictSchema.default('skip'),
    google_docs: googleDocsSchema.default('export'),
    invalid_names: invalidNamesSchema.default('fail'),
    include: globsSchema('to copy (default: all)').default([]),
    exclude: globsSchema('and folders to leave out').default([]),
    dry_run: z
      .boolean()
      .default(false)
      .openapi({ description: 'Plan only: list and count what would be copied, write nothing.' }),
    verify: verifySchema.default('checksum'),
    preserve_modified_time: z.boolean().default(true).openapi({
      description: "Give copies the source's modification time where the destination allows it.",
    }),
    delete_extraneous: deleteExtraneousSchema.default(false),
    max_delete: maxDeleteSchema.default(DEFAULT_MAX_DELETE),
  })
  .default({
    conflict: 'skip',
    google_docs: 'export',
    invalid_names: 'fail',
    include: [],
    exclude: [],
    dry_run: false,
    verify: 'checksum',
    preserve_modified_time: true,
    delete_extraneous: false,
    max_delete: DEFAULT_MAX_DELETE,
  });

export const createMigrationBody = z
  .strictObject({
    source: endpointInput,
    destination: endpointInput,
    options: migrationOptionsInput,
  })
  .openapi('CreateMigrationRequest');

export const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,255}$/;

/** Documents the header; the route checks it against IDEMPOTENCY_KEY. */
export const idempotencyHeaders = z.object({
  'Idempotency-Key': z.string().regex(IDEMPOTENCY_KEY).optional().openapi({
    description: 'Retrying a POST with the same key returns the same migration instead of starting another.',
  }),
});

export const listMigrationsInput = z.strictObject({
  status: z.enum(MIGRATION_STATUSES).optional(),
  ...pagingInput,
});

export const endpointSchema = z.object({
  connection_id: z.string(),
  service: serviceNameSchema,
  path: z.string(),
});

export const migrationOptionsSchema = z
  .object({
    conflict: conflictSchema,
    google_docs: googleDocsSchema,
    invalid_names: invalidNamesSchema,
    include: z.array(z.string()),
    exclude: z.array(z.string()),
    dry_run: z.boolean(),
    verify: verifySchema,
    preserve_modified_time: z.boolean(),
    delete_extraneous: deleteExtraneousSchema,
    max_delete: z.union([z.number().int(), z.string()]).nullable().openapi({
      description: 'Mirror mode\'s limit: a number of files, a percentage ("10%"), or null for none.',
    }),
  })
  .openapi('MigrationOptions');

export const migrationSchema = z
  .object({
    id: idSchema('mig', 'the migration'),
    status: z.enum(MIGRATION_STATUSES),
    source: endpointSchema,
    destination: endpointSchema,
    options: migrationOptionsSchema,
    progress: z.object({
      files_discovered: z.number().int(),
      bytes_discovered: z.number().int(),
      folders_discovered: z.number().int(),
      files_copied: z.number().int(),
      bytes_copied: z.number().int(),
      files_skipped: z.number().int(),
      bytes_skipped: z.number().int(),
      files_failed: z.number().int(),
      files_deleted: z.number().int().openapi({
        description: 'Files deleted at the destination by a sync run in mirror mode (delete_extraneous).',
      }),
      listing_complete: z.boolean(),
      throughput_bytes_per_second: z.number().openapi({
        description:
          'While running: bytes copied per second over about the last 30 seconds. Once finished: the ' +
          'average over the run.',
      }),
      eta_seconds: z
        .number()
        .int()
        .nullable()
        .openapi({
          description:
            'Seconds left at the current throughput: null until the whole source is listed (and while ' +
            'nothing is being copied); 0 once completed.',
        }),
    }),
    error: z
      .string()
      .nullable()
      .openapi({ description: 'Why the migration failed, or its first file failure.' }),
    sync_id: z.string().nullable().openapi({
      description: 'The recurring sync that started this migration as one of its runs, or null.',
    }),
    created_at: timestampSchema,
    updated_at: timestampSchema,
    started_at: timestampSchema.nullable(),
    finished_at: timestampSchema.nullable(),
  })
  .openapi('Migration');

export const migrationListSchema = z.object({
  migrations: z.array(migrationSchema),
  next_page_token: nextPageTokenSchema,
});

export type CreateMigrationBody = z.infer<typeof createMigrationBody>;
export type MigrationOptionsBody = z.infer<typeof migrationOptionsInput>;
export type MigrationBody = z.infer<typeof migrationSchema>;
