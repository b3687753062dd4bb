// The files resource as Drive v3 shows it, and the `fields` parameter that picks parts of an answer.
import { type DriveFile, NATIVE_PREFIX } from './store';

export function fileResource(f: DriveFile): Record<string, unknown> {
  const out: Record<string, unknown> = {
    kind: 'drive#file',
    id: f.id,
    name: f.name,
    mimeType: f.mimeType,
    parents: f.parents,
    trashed: f.trashed,
    createdTime: f.createdTime,
    modifiedTime: f.modifiedTime,
  };
  // Only binary files have a size and checksums; Docs, Sheets, Slides and folders have none.
  if (f.content && !f.mimeType.startsWith(NATIVE_PREFIX)) {
    out.size = String(f.content.length);
    out.md5Checksum = f.md5Checksum;
    out.sha1Checksum = f.sha1Checksum;
    out.sha256Checksum = f.sha256Checksum;
  }
  return out;
}

/** The fields Drive returns for a file when `fields` is not given. */
const DEFAULT_FILE_FIELDS = ['kind', 'id', 'name', 'mimeType'];

type FieldTree = Map<string, FieldTree | null>;

/** Parses "a,b,files(id,name),c/d" into a tree; null = the whole value. */
export function parseFields(spec: string): FieldTree {
  const tree: FieldTree = new Map();
  let i = 0;
  const parseList = (into: FieldTree, closing: string | null): void => {
    while (i < spec.length) {
      let name = '';
      while (i < spec.length && !',()'.includes(spec[i]!)) name += spec[i++];
      name = name.trim();
      let sub: FieldTree | null = null;
      if (spec[i] === '(') {
        i++;
        sub = new Map();
        parseList(sub, ')');
      }
      if (name) {
        const [head, ...rest] = name.split('/');
        if (rest.length > 0)
          sub = parseFields(rest.join('/') + (sub ? `(${[...sub.keys()].join(',')})` : ''));
        into.set(head!, sub);
      }
      if (spec[i] === ',') i++;
      else if (spec[i] === ')' && closing === ')') {
        i++;
        return;
      } else if (i < spec.length && spec[i] !== ',') throw new Error(`Invalid field selection ${spec}`);
    }
  };
  parseList(tree, null);
  return tree;
}

function pick(value: unknown, tree: FieldTree | null): unknown {
  if (tree === null || tree.has('*')) return value;
  if (Array.isArray(value)) return value.map((v) => pick(v, tree));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, sub] of tree) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = pick(v, sub);
  }
  return out;
}

/** A file answer restricted to `fields` (Drive's default selection when absent). */
export function selectFile(f: DriveFile, fields: unknown): unknown {
  const spec = typeof fields === 'string' && fields ? fields : DEFAULT_FILE_FIELDS.join(',');
  return pick(fileResource(f), parseFields(spec));
}

/** A list-like answer restricted to `fields`; `defaults` when absent. */
export function selectList(body: Record<string, unknown>, fields: unknown, defaults: string): unknown {
  const spec = typeof fields === 'string' && fields ? fields : defaults;
  return pick(body, parseFields(spec));
}
