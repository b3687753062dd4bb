// A migration's options as the API takes and shows them (snake_case), parsed once into the engine's
// MigrationOptions (contract/options.ts): the request schema's output is the complete, defaulted,
// camelCase value that the store keeps and workflows and activities receive whole. Adding an option:
// its field here, its name in OPTION_NAMES, its type and old-row default in contract/options.ts, and the
// one place that uses it.
import { globProblem, MAX_WILDCARDS } from '../../common/globs';
import { OPTION_DEFAULTS, type MaxDelete, type MigrationOptions } from '../../contract';
import { z } from '../http/zod';

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
        `matches a name at any depth. At most ${MAX_WILDCARDS} "*" wildcards in a pattern.`,
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

/** The request's fields, each with its default. */
const optionFields = {
  conflict: conflictSchema.default(OPTION_DEFAULTS.conflict),
  google_docs: googleDocsSchema.default(OPTION_DEFAULTS.googleDocs),
  invalid_names: invalidNamesSchema.default(OPTION_DEFAULTS.invalidNames),
  include: globsSchema('to copy (default: all)').default([]),
  exclude: globsSchema('and folders to leave out').default([]),
  dry_run: z
    .boolean()
    .default(OPTION_DEFAULTS.dryRun)
    .openapi({ description: 'Plan only: list and count what would be copied, write nothing.' }),
  verify: verifySchema.default(OPTION_DEFAULTS.verify),
  preserve_modified_time: z.boolean().default(OPTION_DEFAULTS.preserveModifiedTime).openapi({
    description: "Give copies the source's modification time where the destination allows it.",
  }),
  delete_extraneous: deleteExtraneousSchema.default(OPTION_DEFAULTS.deleteExtraneous),
  max_delete: maxDeleteSchema.default(DEFAULT_MAX_DELETE),
};

type OptionsBody = z.output<z.ZodObject<typeof optionFields>>;

/** Each option's name in the API (TypeScript checks that none is missing). */
const OPTION_NAMES = {
  conflict: 'conflict',
  googleDocs: 'google_docs',
  invalidNames: 'invalid_names',
  include: 'include',
  exclude: 'exclude',
  dryRun: 'dry_run',
  verify: 'verify',
  preserveModifiedTime: 'preserve_modified_time',
  deleteExtraneous: 'delete_extraneous',
  maxDelete: 'max_delete',
} as const satisfies { [K in keyof MigrationOptions]: keyof OptionsBody };

/** 100 → { count: 100 }, "10%" → { percent: 10 } (the schema has checked the spelling). */
const toMaxDelete = (v: number | string | null): MaxDelete | null =>
  v === null ? null : typeof v === 'number' ? { count: v } : { percent: parseFloat(v) };

/** { count: 100 } → 100, { percent: 10 } → "10%", as requests send it. */
const presentMaxDelete = (m: MaxDelete | null): number | string | null =>
  m === null ? null : 'count' in m ? m.count : `${m.percent}%`;

/** The options a request gives (all of them, or a PATCH's few), in MigrationOptions' names and units. */
function fromRequest<T extends Partial<MigrationOptions>>(body: Partial<OptionsBody>): T {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(OPTION_NAMES)) {
    const value = body[field];
    if (value !== undefined)
      out[name] = field === 'max_delete' ? toMaxDelete(value as number | string | null) : value;
  }
  return out as T;
}

export function presentOptions(o: MigrationOptions): z.output<typeof migrationOptionsSchema> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(OPTION_NAMES)) {
    const value = o[name as keyof MigrationOptions];
    out[field] = field === 'max_delete' ? presentMaxDelete(value as MaxDelete | null) : value;
  }
  return out as z.output<typeof migrationOptionsSchema>;
}

/** Migration options as requests send them (/v1/syncs takes the same), parsed into MigrationOptions. */
export const migrationOptionsInput = z
  .strictObject(optionFields)
  .default({
    conflict: OPTION_DEFAULTS.conflict,
    google_docs: OPTION_DEFAULTS.googleDocs,
    invalid_names: OPTION_DEFAULTS.invalidNames,
    include: [],
    exclude: [],
    dry_run: OPTION_DEFAULTS.dryRun,
    verify: OPTION_DEFAULTS.verify,
    preserve_modified_time: OPTION_DEFAULTS.preserveModifiedTime,
    delete_extraneous: OPTION_DEFAULTS.deleteExtraneous,
    max_delete: DEFAULT_MAX_DELETE,
  })
  .transform((body) => fromRequest<MigrationOptions>(body));

/** A sync's PATCH: any of the options, without defaults (those not given keep their value). */
export const migrationOptionsPatch = z
  .strictObject(
    Object.fromEntries(Object.entries(optionFields).map(([k, s]) => [k, s.unwrap().optional()])) as {
      [K in keyof typeof optionFields]: z.ZodOptional<ReturnType<(typeof optionFields)[K]['unwrap']>>;
    },
  )
  .transform((body) => fromRequest<Partial<MigrationOptions>>(body));

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
