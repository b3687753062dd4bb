// Hostile requests for every operation of an OpenAPI document. Each case starts from a plausible
// request (real ids, valid bodies made up from the schemas) and changes one thing an attacker would
// change: a path parameter, a query parameter, one body field, the whole body, its type or encoding.
// Deterministic: a seeded generator picks which hostile values each field gets.

export interface FuzzCase {
  /** "POST /v1/migrations body source.path = NUL", for failure reports. */
  name: string;
  method: string;
  /** Sent as is: already percent-encoded. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The content types the operation documents for its success answer. */
  successTypes: string[];
  /** Its success answer is the envelope (all but the OpenAPI document itself and the docs page). */
  successEnvelope: boolean;
}

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  minimum?: number;
  minItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
};
type Parameter = { name: string; in: string; required?: boolean; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
export type OpenApiDoc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

export interface FuzzFixtures {
  /** A real value for a path parameter of this template (an existing id of the right kind). */
  pathParam(template: string, name: string): string;
  /** A valid value for a field at this dotted path ("source.connection_id"), or undefined. */
  field(path: string): unknown;
}

/** JSON text emitted as is (numbers JSON.stringify cannot write, keys such as __proto__). */
class Raw {
  constructor(readonly text: string) {}
}

function toJson(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).map(
      (k) => `${JSON.stringify(k)}:${toJson((value as Record<string, unknown>)[k])}`,
    );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** mulberry32: a small seeded generator, so every run sends the same cases. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LONG = 'a'.repeat(70_000);

/** Values for one JSON field; NUL first, as PostgreSQL refuses it in text. */
export const HOSTILE_VALUES: [string, unknown][] = [
  ['NUL', 'a\u0000b'],
  ['only NUL', '\u0000'],
  ['control characters', '\u0001\u0008\u001b[31m\u007f'],
  ['line breaks', 'a\r\nb\tc'],
  ['C1 control', 'a\u0085b\u009b'],
  ['lone surrogate', '\ud800'],
  ['right-to-left override', 'a\u202eb'],
  ['emoji', '😀📁'],
  ['combining mark', 'e\u0301'],
  ['zero width and BOM', '\u200b\ufeff'],
  ['very long string', LONG],
  ['empty string', ''],
  ['spaces', '   '],
  ['dot dot', '../../../../etc/passwd'],
  ['percent escapes', '%00%ED%A0%80%ZZ'],
  ['quotes', `'";--\\`],
  ['template', '${7*7}{{7*7}}<script>'],
  ['__proto__ string', '__proto__'],
  ['-1', -1],
  ['0', 0],
  ['fraction', 1.5],
  ['huge', 1e308],
  ['beyond safe integer', 2 ** 53 + 2],
  ['1e999', new Raw('1e999')],
  ['-0', new Raw('-0')],
  ['true', true],
  ['null', null],
  ['empty array', []],
  ['array for a scalar', ['a', 'b']],
  ['array of NUL', ['\u0000']],
  ['empty object', {}],
  ['__proto__ object', new Raw('{"__proto__":{"polluted":true}}')],
  ['constructor object', new Raw('{"constructor":{"prototype":{"polluted":true}}}')],
  ['deeply nested arrays', new Raw('['.repeat(5000) + ']'.repeat(5000))],
  ['deeply nested objects', new Raw('{"a":'.repeat(2000) + '1' + '}'.repeat(2000))],
];

/** Path segments as sent on the wire: undecodable escapes, NUL and control characters, long, odd. */
export const HOSTILE_SEGMENTS: string[] = [
  '%ED%A0%80', // a UTF-16 surrogate encoded as UTF-8: not valid UTF-8
  '%ED%BF%BF',
  '%ZZ',
  '%',
  '%E2%82',
  '%C0%AF',
  '%FF%FE',
  '%00',
  'a%00b',
  '%0A',
  '%0D%0A',
  '%1B%5B31m',
  '%7F',
  '%C2%85',
  '%E2%80%AE',
  '%F0%9F%98%80',
  'e%CC%81',
  '%EF%BB%BF',
  '%2e%2e',
  '..',
  '%2F',
  '%5C',
  '%20',
  '%25',
  "'%3B--",
  '__proto__',
  'constructor',
  '-1',
  '1e999',
  'NaN',
  'null',
  'x'.repeat(4000),
  '%41'.repeat(1500),
];

/** Bodies (and their types and encodings) for every operation: GET bodies are read too. */
export const HOSTILE_BODIES: [string, string | undefined, Buffer, Record<string, string>?][] = [
  ['bad JSON', 'application/json', Buffer.from('{"a":')],
  ['trailing garbage', 'application/json', Buffer.from('{}x')],
  ['NUL byte', 'application/json', Buffer.from('\u0000')],
  [
    'invalid UTF-8',
    'application/json',
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  ],
  ['BOM', 'application/json', Buffer.from('\ufeff{}')],
  ['JSON string', 'application/json', Buffer.from('"x"')],
  ['JSON null', 'application/json', Buffer.from('null')],
  ['JSON array', 'application/json', Buffer.from('[1,2]')],
  ['JSON 1e999', 'application/json', Buffer.from('1e999')],
  ['deeply nested', 'application/json', Buffer.from('['.repeat(100_000) + ']'.repeat(100_000))],
  ['__proto__ body', 'application/json', Buffer.from('{"__proto__":{"polluted":true}}')],
  ['text/plain', 'text/plain', Buffer.from('hello')],
  ['xml', 'application/xml', Buffer.from('<a/>')],
  ['form', 'application/x-www-form-urlencoded', Buffer.from('a=1&b=%ZZ')],
  [
    'multipart',
    'multipart/form-data; boundary=x',
    Buffer.from('--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'),
  ],
  ['UTF-16 charset', 'application/json; charset=utf-16', Buffer.from('{}', 'utf16le')],
  ['unknown charset', 'application/json; charset=klingon', Buffer.from('{}')],
  ['gzip that is not', 'application/json', Buffer.from('not gzip'), { 'Content-Encoding': 'gzip' }],
  ['brotli', 'application/json', Buffer.from('{}'), { 'Content-Encoding': 'br' }],
  ['unknown encoding', 'application/json', Buffer.from('{}'), { 'Content-Encoding': 'klingon' }],
  ['no content type', undefined, Buffer.from('{"a":1}')],
  ['over 1 MB', 'application/json', Buffer.from(`{"name":"${'x'.repeat(1_100_000)}"}`)],
];

/** Query values as sent on the wire. */
const HOSTILE_QUERY: string[] = [
  ...HOSTILE_SEGMENTS.filter((s) => s.length < 100),
  encodeURIComponent(LONG.slice(0, 5000)),
  encodeURIComponent('\u0001\u001f\u007f'),
  '',
  '-1',
  '0',
  '99999999999999999999999',
  '1.5',
  'true',
];

const HOSTILE_HEADERS: [string, string][] = [
  ['Idempotency-Key', 'a'.repeat(300)],
  ['Idempotency-Key', 'ÿ\u00a0'],
  ['Idempotency-Key', ' '],
  ['X-Request-Id', '../\u00ff'.repeat(50)],
];

function pick<T>(rand: () => number, list: T[], n: number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

export interface GenerateOptions {
  auth: Record<string, string>;
  fixtures: FuzzFixtures;
  seed: number;
  /** Hostile values per body field and per query parameter, besides NUL (always sent). */
  perField: number;
}

export function generateCases(doc: OpenApiDoc, opts: GenerateOptions): FuzzCase[] {
  const rand = seeded(opts.seed);
  const deref = (s: Schema | undefined): Schema => {
    let schema = s ?? {};
    while (schema.$ref) schema = doc.components.schemas[schema.$ref.split('/').pop()!] ?? {};
    return schema;
  };

  /** A valid-looking value for a schema, preferring the fixtures' real values. */
  const sample = (s: Schema | undefined, at: string): unknown => {
    const given = opts.fixtures.field(at);
    if (given !== undefined) return given;
    const schema = deref(s);
    if (schema.oneOf ?? schema.anyOf) return sample((schema.oneOf ?? schema.anyOf)![0], at);
    if (schema.example !== undefined) return schema.example;
    if (schema.default !== undefined) return schema.default;
    if (schema.enum) return schema.enum[0];
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
    if (type === 'boolean') return false;
    if (type === 'array') return schema.minItems ? [sample(schema.items, `${at}[0]`)] : [];
    if (type === 'object' || schema.properties) {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) {
        out[name] = sample(schema.properties?.[name], at ? `${at}.${name}` : name);
      }
      return out;
    }
    return 'fuzz';
  };

  /** Dotted paths of the fields a body schema declares (objects and their members). */
  const fieldsOf = (s: Schema | undefined, at: string, depth = 0): string[] => {
    const schema = deref(s);
    const props =
      (schema.oneOf ?? schema.anyOf)
        ? deref((schema.oneOf ?? schema.anyOf)![0]).properties
        : schema.properties;
    if (!props || depth > 3) return [];
    return Object.entries(props).flatMap(([name, child]) => {
      const p = at ? `${at}.${name}` : name;
      return [p, ...fieldsOf(child, p, depth + 1)];
    });
  };

  const setAt = (base: unknown, dotted: string, value: unknown): unknown => {
    const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
    const keys = dotted.split('.');
    let node = copy;
    for (const k of keys.slice(0, -1)) {
      if (!node[k] || typeof node[k] !== 'object') node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = value;
    return copy;
  };

  const cases: FuzzCase[] = [];
  for (const [template, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const M = method.toUpperCase();
      const successTypes = Object.entries(op.responses ?? {})
        .filter(([status]) => status.startsWith('2'))
        .flatMap(([, r]) => Object.keys(r.content ?? {}));
      const successEnvelope = Object.entries(op.responses ?? {}).some(
        ([status, r]) =>
          status.startsWith('2') && deref(r.content?.['application/json']?.schema).properties?.status,
      );
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const base = bodySchema ? sample(bodySchema, '') : undefined;
      const realPath = (over: Record<string, string> = {}) =>
        template.replace(/\{(\w+)\}/g, (_, n: string) => over[n] ?? opts.fixtures.pathParam(template, n));
      const query = queryParams
        .filter((p) => p.required)
        .map((p) => `${p.name}=${encodeURIComponent(String(sample(p.schema, p.name)))}`);
      const withQuery = (p: string, extra: string[] = [], without?: string) => {
        const q = [...query.filter((x) => !x.startsWith(`${without}=`)), ...extra];
        return q.length ? `${p}?${q.join('&')}` : p;
      };
      const add = (label: string, path: string, body?: Buffer, headers: Record<string, string> = {}) => {
        cases.push({
          name: `${M} ${template} ${label}`,
          method: M,
          path,
          headers: { ...opts.auth, ...headers },
          body,
          successTypes,
          successEnvelope,
        });
      };
      const JSON_TYPE = { 'Content-Type': 'application/json' };
      /** The plausible body with one change (none without a body schema). */
      const addJson = (label: string, path: string, value: unknown, headers: Record<string, string> = {}) =>
        add(
          label,
          path,
          value === undefined ? undefined : Buffer.from(toJson(value)),
          value === undefined ? headers : { ...JSON_TYPE, ...headers },
        );

      // Path parameters, one at a time, the others real.
      for (const p of pathParams) {
        for (const seg of HOSTILE_SEGMENTS) {
          addJson(`path ${p.name} = ${seg.slice(0, 40)}`, withQuery(realPath({ [p.name]: seg })), base);
        }
      }
      // Query parameters, one at a time, plus repeated, bracketed and unknown ones.
      for (const p of queryParams) {
        const values = ['%00', ...pick(rand, HOSTILE_QUERY, opts.perField)];
        for (const v of values) {
          add(`query ${p.name} = ${v.slice(0, 40)}`, withQuery(realPath(), [`${p.name}=${v}`], p.name));
        }
        add(`query ${p.name} repeated`, withQuery(realPath(), [`${p.name}=a`, `${p.name}=b`], p.name));
        add(`query ${p.name}[]`, withQuery(realPath(), [`${p.name}[]=a`], p.name));
        add(`query ${p.name} without value`, withQuery(realPath(), [p.name], p.name));
      }
      for (const junk of [
        '__proto__=1',
        '__proto__[polluted]=1',
        'constructor[prototype][polluted]=1',
        'x=%ZZ',
      ]) {
        add(`query ${junk}`, withQuery(realPath(), [junk]));
      }
      // Body fields, one at a time; then keys no schema has.
      if (base !== undefined) {
        for (const field of fieldsOf(bodySchema, '')) {
          for (const [label, value] of [
            HOSTILE_VALUES[0]!,
            ...pick(rand, HOSTILE_VALUES.slice(1), opts.perField),
          ]) {
            addJson(`body ${field} = ${label}`, withQuery(realPath()), setAt(base, field, value));
          }
        }
        const withKey = (key: string) =>
          Buffer.from(
            toJson(base).replace(
              /^\{/,
              `{${JSON.stringify(key)}:{"polluted":true}${Object.keys(base as object).length ? ',' : ''}`,
            ),
          );
        add('body key __proto__', withQuery(realPath()), withKey('__proto__'), JSON_TYPE);
        add('body key constructor', withQuery(realPath()), withKey('constructor'), JSON_TYPE);
      }
      // Whole bodies, types and encodings.
      for (const [label, type, body, headers] of HOSTILE_BODIES) {
        if (label === 'over 1 MB' && base === undefined) continue;
        add(`body ${label}`, withQuery(realPath()), body, {
          ...(type ? { 'Content-Type': type } : {}),
          ...headers,
        });
      }
      for (const [name, value] of HOSTILE_HEADERS) {
        addJson(`header ${name} = ${value.slice(0, 20)}`, withQuery(realPath()), base, { [name]: value });
      }
    }
  }
  return cases;
}
