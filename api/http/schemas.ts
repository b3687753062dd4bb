// Building blocks shared by the resource schemas: paths, paging, services, ids, the envelope.
import { ERROR_STATUS } from '../../common/errors';
import { SERVICE_NAMES, servicesWith } from '../../connectors';
import type { ServiceName } from '../../contract';
import { CONTROL_CHARACTER_HINT, controlCharacterProblem, flexibleInt } from './validation';
import { z } from './zod';

/**
 * Text the store keeps — names, paths, ids, URLs, tokens — must hold no NUL (PostgreSQL refuses it in
 * text) and no other control character; `multiline` lets tabs and line breaks through (descriptions).
 * parseInput refuses NUL and the like in any field as a backstop; this names the rule on the field.
 */
export const plainText = <T extends z.ZodString>(schema: T, opts: { multiline?: boolean } = {}): T =>
  schema.refine((value) => controlCharacterProblem(value, opts.multiline) === undefined, {
    error: (issue) => controlCharacterProblem(String(issue.input), opts.multiline),
    params: { hint: CONTROL_CHARACTER_HINT },
  });

export const pathSchema = plainText(
  z.string().max(4096).startsWith('/', 'Path must start with a forward slash'),
).openapi({
  description: 'Absolute path within the connection; "/" is its root.',
  example: '/Photos/2024',
  pattern: '^/',
});

const namesOf = (kind: 'oauth' | 'path') =>
  servicesWith(kind).map((s) => s.name) as [ServiceName, ...ServiceName[]];

/** The services connected through OAuth, and those that are a folder this server reaches, in registry order. */
export const OAUTH_SERVICE_NAMES = namesOf('oauth');
export const PATH_SERVICE_NAMES = namesOf('path');

/** "a", "a and b", "a, b and c"; each name through `wrap` (e.g. in backticks). */
export const inWords = (names: readonly string[], wrap = (n: string) => n): string =>
  names.length < 2
    ? names.map(wrap).join('')
    : `${names.slice(0, -1).map(wrap).join(', ')} and ${wrap(names[names.length - 1]!)}`;

export const serviceSchema = z.enum(SERVICE_NAMES).openapi({
  description:
    `The storage service. Cloud services (${OAUTH_SERVICE_NAMES.join(', ')}) need their OAuth app ` +
    'configured on the server.',
});

/** The services connected through OAuth. */
export const cloudServiceSchema = z
  .enum(OAUTH_SERVICE_NAMES)
  .openapi({ description: 'A cloud storage service connected through OAuth.' });

/** Services as they appear in responses. */
export const serviceNameSchema = z.enum(SERVICE_NAMES);

export const idSchema = (prefix: string, what: string) =>
  plainText(z.string().min(1).max(100)).openapi({
    description: `Id of ${what}.`,
    example: `${prefix}_4fJ2kQ9xZb7LmN3pR8sT`,
  });

export const idParams = (prefix: string, what: string) => z.strictObject({ id: idSchema(prefix, what) });

export const timestampSchema = z
  .string()
  .openapi({ description: 'ISO 8601 UTC time.', example: '2025-01-31T12:00:00.000Z' });

export const pagingInput = {
  page_size: flexibleInt(1, 1000).optional().default(100).openapi({
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 100,
    description: 'Items per page (1–1000).',
  }),
  page_token: plainText(z.string().max(1000))
    .nullish()
    .openapi({ description: 'The next_page_token of the previous page; omit for the first page.' }),
};

export const nextPageTokenSchema = z
  .string()
  .nullable()
  .openapi({ description: 'Pass as page_token to get the next page; null on the last page.' });

export const successEnvelope = <T extends z.ZodType>(data: T) =>
  z.object({ status: z.literal('success'), data });

export const errorEnvelopeSchema = z
  .object({
    status: z.literal('error'),
    error: z.object({
      code: z.enum(
        Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]],
      ),
      message: z
        .string()
        .openapi({ example: "Invalid parameter 'path': Path must start with a forward slash" }),
      details: z
        .string()
        .openapi({ example: 'Pass an absolute path that starts with "/", for example "/Photos".' }),
    }),
  })
  .openapi('Error');
