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
  format: 'Use "json" for pages, or "csv" or "ndjson" for every item in one response.',
  max_delete: 'Pass a number of files such as 100, a percentage such as "10%", or null for no limit.',
};

/** How to fix a bad value of this parameter (by its name), when there is specific advice. */
export const hintFor = (name: string): string | undefined => HINTS[name];

/** C0 controls (NUL above all: PostgreSQL refuses it in text), DEL and the C1 controls. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same but tab, line feed and carriage return, which free text (a description) may hold. */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export const CONTROL_CHARACTER_HINT =
  'Send text without NUL or other control characters (U+0000–U+001F, U+007F–U+009F); only descriptions may hold tabs and line breaks.';

/** Why `value` cannot be taken, naming the first control character in it; undefined when it is fine. */
export function controlCharacterProblem(value: string, multiline = false): string | undefined {
  const found = (multiline ? CONTROL_IN_TEXT : CONTROL).exec(value);
  if (!found) return undefined;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `must not contain control characters (U+${code} at character ${found.index + 1})`;
}

type Visit = { value: unknown; key?: PropertyKey; parent?: Visit };

const pathOf = (visit: Visit): PropertyKey[] => {
  const path: PropertyKey[] = [];
  for (let v: Visit | undefined = visit; v?.parent; v = v.parent) path.unshift(v.key!);
  return path;
};

/**
 * The backstop behind the schemas' own refinement (`plainText` in schemas.ts): no string anywhere in
 * the input, value or key, brings NUL or another control character (line breaks aside) to the store,
 * whatever field it is in. Iterative, so that a deeply nested body cannot exhaust the stack.
 */
function findControlCharacter(input: unknown): { path: PropertyKey[]; problem: string } | undefined {
  const stack: Visit[] = [{ value: input }];
  while (stack.length) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === 'string') {
      const problem = controlCharacterProblem(value, true);
      if (problem) return { path: pathOf(visit), problem };
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const at: Visit = { value: child, key: Array.isArray(value) ? Number(key) : key, parent: visit };
        const problem = controlCharacterProblem(key, true);
        if (problem) return { path: pathOf(at), problem };
        stack.push(at);
      }
    }
  }
  return undefined;
}

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
  const hint = issue.code === 'custom' ? (issue.params as { hint?: string } | undefined)?.hint : undefined;
  return invalidParameter(
    paramName(issue.path, prefix),
    issue.message,
    hint ?? HINTS[last] ?? 'See the schema of this request at /docs.',
  );
}

/** Parses `input` or throws the first issue as an AppError; `prefix` names nested inputs (e.g. a header). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix?: string): z.output<S> {
  const control = findControlCharacter(input);
  if (control) {
    const name = control.path.length ? paramName(control.path, prefix) : (prefix ?? 'body');
    throw invalidParameter(name, control.problem, CONTROL_CHARACTER_HINT);
  }
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
