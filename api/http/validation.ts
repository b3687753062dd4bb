// Validates request input with the route's zod schema and turns the first problem into an
// `invalid_parameter` error that names the parameter and says how to fix it.
import { z } from 'zod';
import { AppError, invalidParameter } from '../../common/errors';
import { SERVICE_NAMES } from '../../connectors';

/** How to fix a bad value, by parameter name (the last segment of its path). */
const HINTS: Record<string, string> = {
  path: 'Pass an absolute path that starts with "/", for example "/Photos/2024".',
  page_size: 'Pass an integer from 1 to 1000.',
  page_token: 'Pass the next_page_token of the previous page unchanged.',
  service: `Use one of: ${SERVICE_NAMES.join(', ')}.`,
  connection_id: 'Pass the id of one of your connections (see GET /v1/connections).',
  recursive: 'Pass true or false.',
  conflict: 'Use "skip", "overwrite", "rename" or "newer".',
  include: 'Use glob patterns such as "*.jpg", "photos/**" or "{docs,notes}/*.md" (see /docs).',
  exclude: 'Use glob patterns such as "*.tmp", "node_modules" or "cache/" (see /docs).',
  name: 'Pass a non-empty name of at most 200 characters.',
  root: 'Pass an absolute folder path on the server, inside one of its allowed local roots.',
  status: 'Use one of: pending, running, paused, completed, completed_with_errors, failed, cancelled.',
  id: 'Pass an id returned by the API.',
  url: 'Use an https:// URL of a publicly reachable host.',
  events: 'Use event types such as "migration.completed" (see /docs for the list).',
  schedule: 'Pass {"cron": "0 * * * *"} or {"interval": "15m"}.',
  cron:
    'Use 5 fields, minute hour day-of-month month day-of-week: "0 * * * *" (hourly), ' +
    '"30 2 * * MON-FRI" (2:30 on weekdays); or @hourly, @daily, @weekly, @monthly, @yearly.',
  interval: 'Use a number and a unit (d, h, m, s), largest first: "15m", "1h30m", "1d".',
  timezone: 'Use an IANA time zone name such as "Europe/Berlin", "America/New_York" or "UTC".',
  delete_extraneous: 'Pass true or false.',
  max_delete: 'Pass a number of files such as 100, a percentage such as "10%", or null for no limit.',
};

const article = (word: string) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

/** Readable messages for zod's built-in checks; a message set on the schema itself wins. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${article(issue.expected === 'int' ? 'integer' : issue.expected)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string')
        return issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return `must be at most ${issue.maximum}`;
    case 'invalid_format':
      return `is not a valid ${issue.format}`;
    default:
      return undefined;
  }
};

function paramName(path: PropertyKey[], prefix?: string): string {
  // Array elements by index: "options.include[2]".
  const name = path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)),
    '',
  );
  return prefix ? `${prefix}.${name}` : name;
}

function issueToError(issue: z.core.$ZodIssue, prefix?: string): AppError {
  if (issue.code === 'unrecognized_keys') {
    const param = paramName([...issue.path, issue.keys[0] ?? ''], prefix);
    return invalidParameter(param, 'is not a known field', 'Remove it or check its spelling against /docs.');
  }
  if (issue.path.length === 0) {
    return invalidParameter(prefix ?? 'body', 'must be a JSON object', 'Send a JSON object.');
  }
  const last = String(issue.path.filter((p) => typeof p !== 'number').pop());
  return invalidParameter(
    paramName(issue.path, prefix),
    issue.message,
    HINTS[last] ?? 'See the schema of this request at /docs.',
  );
}

/** Parses `input` or throws the first issue as an AppError; `prefix` names nested inputs (e.g. a header). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(input, { error: errorMap });
  if (result.success) return result.data;
  throw issueToError(result.error.issues[0]!, prefix);
}

// Query strings carry text only; these accept the JSON type or its query-string spelling.
export const flexibleBoolean = () =>
  z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

export const flexibleInt = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v),
    z.number().int().min(min).max(max),
  );
