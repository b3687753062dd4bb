// `npm run docs`: writes the configuration table of docs/operations/configuration.md from the config
// schemas (config/core.ts, then each registered service's variables) — one row per variable (name,
// default, description), between the config-table markers.
// `--check` writes nothing and exits 1 when the file is not current (CI runs it after a build).
// Descriptions and defaults come from the zod schema itself: `.describe('…')` and `.default(…)`.
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { coreConfigSchema, projectRoot } from '../config';
import { SERVICES } from '../connectors';

export const START_MARKER = '<!-- config-table:start -->';
export const END_MARKER = '<!-- config-table:end -->';

export interface ConfigRow {
  name: string;
  /** Markdown for the default column: the value in backticks, or "unset". */
  default: string;
  description: string;
}

export interface RowOptions {
  /** How a default value is shown (e.g. an absolute path made relative); its Markdown, backticks included. */
  formatDefault?: (value: unknown, name: string) => string;
}

/** The parts of a zod 4 schema this script reads (`_zod.def` is zod's own description of a schema). */
interface Inspectable {
  description?: string;
  _zod: {
    def: {
      type: string;
      innerType?: Inspectable;
      in?: Inspectable;
      out?: Inspectable;
      defaultValue?: unknown;
    };
  };
}

export interface FieldInfo {
  description?: string;
  hasDefault: boolean;
  defaultValue?: unknown;
}

/**
 * A field's description and default, looking through zod 4's wrappers: default/prefault (which hold
 * the default), optional, nullable, readonly, catch, and pipes — `.transform()` makes a pipe whose
 * input is the schema, `z.preprocess()` one whose output is. The outermost description wins.
 */
export function inspectField(schema: z.ZodType): FieldInfo {
  const info: FieldInfo = { hasDefault: false };
  let current: Inspectable | undefined = schema as unknown as Inspectable;
  for (let depth = 0; current && depth < 50; depth++) {
    info.description ??= current.description;
    const def: Inspectable['_zod']['def'] = current._zod.def;
    switch (def.type) {
      case 'default':
      case 'prefault':
        if (!info.hasDefault) Object.assign(info, { hasDefault: true, defaultValue: def.defaultValue });
        current = def.innerType;
        break;
      case 'optional':
      case 'nullable':
      case 'readonly':
      case 'catch':
        current = def.innerType;
        break;
      case 'pipe':
        current = def.in?._zod.def.type === 'transform' ? def.out : def.in;
        break;
      default:
        current = undefined;
    }
  }
  return info;
}

const code = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

export const defaultMarkdown = (value: unknown): string =>
  code(typeof value === 'string' ? value : JSON.stringify(value));

/** One row per field of `schema`, in the schema's order. Fields without a description are an error. */
export function configRows(schema: z.ZodObject, options: RowOptions = {}): ConfigRow[] {
  const format = options.formatDefault ?? defaultMarkdown;
  return Object.entries(schema.shape).map(([name, field]) => {
    const info = inspectField(field as z.ZodType);
    if (!info.description) throw new Error(`${name} has no description: add .describe('…') to its schema`);
    return {
      name,
      default: info.hasDefault ? format(info.defaultValue, name) : 'unset',
      description: info.description,
    };
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function renderTable(rows: ConfigRow[]): string {
  const lines = ['| variable | default | description |', '| --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${cell(code(r.name))} | ${cell(r.default)} | ${cell(r.description)} |`);
  return lines.join('\n');
}

/** `document` with the text between the markers replaced by `table`; throws when a marker is missing. */
export function withTable(document: string, table: string): string {
  const start = document.indexOf(START_MARKER);
  const end = document.indexOf(END_MARKER);
  if (start < 0 || end < start) throw new Error(`the markers ${START_MARKER} … ${END_MARKER} are missing`);
  return `${document.slice(0, start + START_MARKER.length)}\n\n${table}\n\n${document.slice(end)}`;
}

/** The text between the markers, with table padding and blank lines ignored (Prettier may realign it). */
export function tableText(document: string): string {
  const start = document.indexOf(START_MARKER);
  const end = document.indexOf(END_MARKER);
  if (start < 0 || end < start) return '';
  return document
    .slice(start + START_MARKER.length, end)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((c) => c.trim().replace(/^:?-+:?$/, '---'))
            .join('|')
        : line,
    )
    .join('\n');
}

/** Formats with the project's Prettier when it is installed, so `npm run format` leaves the file alone. */
async function prettified(text: string, file: string): Promise<string> {
  const prettier = await import('prettier').catch(() => undefined);
  if (!prettier) return text;
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, filepath: file });
}

/** Defaults computed from this checkout's location (the data dir) are shown relative to it. */
function displayDefault(value: unknown): string {
  if (typeof value === 'string' && path.isAbsolute(value) && value.startsWith(projectRoot + path.sep)) {
    return defaultMarkdown(path.relative(projectRoot, value));
  }
  return defaultMarkdown(value);
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const file = path.join(projectRoot, 'docs/operations/configuration.md');
  const relative = path.relative(projectRoot, file);
  const current = fs.readFileSync(file, 'utf8');
  // The core settings, then each service's own variables (declared in its module), in registry order.
  const groups = [
    { heading: null, rows: configRows(coreConfigSchema, { formatDefault: displayDefault }) },
    ...SERVICES.map((s) => ({
      heading: `${s.label} (\`${s.name}\`)`,
      rows: configRows(s.variables, { formatDefault: displayDefault }),
    })),
  ];
  const table = groups
    .map((g) => (g.heading ? `### ${g.heading}\n\n${renderTable(g.rows)}` : renderTable(g.rows)))
    .join('\n\n');
  const rows = groups.flatMap((g) => g.rows);
  const wanted = await prettified(withTable(current, table), file);
  if (check) {
    if (tableText(current) === tableText(wanted)) return 0;
    console.error(
      `${relative}: the configuration tables do not match the config schema (config/core.ts and each service's variables). ` +
        'Run `npm run docs` and commit the result.',
    );
    return 1;
  }
  if (wanted !== current) fs.writeFileSync(file, wanted);
  console.log(`${relative}: ${rows.length} variables${wanted === current ? ', already current' : ''}`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (exitCode) => (process.exitCode = exitCode),
    (err: unknown) => {
      console.error(`docs-config: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
