// The subset of Drive's search language (`q`) and `orderBy` a sync client uses: terms joined by `and`.
import type { DriveFile } from './store';

type Predicate = (f: DriveFile) => boolean;

const STRING = String.raw`'((?:[^'\\]|\\.)*)'`;
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

const TERMS: Array<[RegExp, (m: RegExpExecArray, resolve: (id: string) => string) => Predicate]> = [
  [new RegExp(`^${STRING}\\s+in\\s+parents`), (m, r) => (f) => f.parents.includes(r(unescape(m[1]!)))],
  [/^trashed\s*(=|!=)\s*(true|false)/, (m) => (f) => (f.trashed === (m[2] === 'true')) === (m[1] === '=')],
  [new RegExp(`^name\\s*(=|!=)\\s*${STRING}`), (m) => (f) => (f.name === unescape(m[2]!)) === (m[1] === '=')],
  [new RegExp(`^name\\s+contains\\s+${STRING}`), (m) => (f) => f.name.includes(unescape(m[1]!))],
  [
    new RegExp(`^mimeType\\s*(=|!=)\\s*${STRING}`),
    (m) => (f) => (f.mimeType === unescape(m[2]!)) === (m[1] === '='),
  ],
];

/** Compiles `q`; throws with Drive's message for anything outside the subset. */
export function compileQuery(q: string, resolve: (id: string) => string): Predicate {
  const preds: Predicate[] = [];
  let rest = q.trim();
  while (rest) {
    let matched = false;
    for (const [re, make] of TERMS) {
      const m = re.exec(rest);
      if (!m) continue;
      preds.push(make(m, resolve));
      rest = rest.slice(m[0].length).trim();
      matched = true;
      break;
    }
    if (!matched) throw new Error('Invalid Value');
    if (rest) {
      const and = /^and\s+/i.exec(rest);
      if (!and) throw new Error('Invalid Value');
      rest = rest.slice(and[0].length);
    }
  }
  return (f) => preds.every((p) => p(f));
}

const KEYS: Record<string, (f: DriveFile) => string | number> = {
  folder: (f) => (f.mimeType === 'application/vnd.google-apps.folder' ? 0 : 1),
  name: (f) => f.name,
  name_natural: (f) => f.name,
  createdTime: (f) => f.seq,
  modifiedTime: (f) => f.modifiedTime,
};

/** A comparator for `orderBy` ("folder,name desc,createdTime"); ties end in creation order. */
export function compileOrder(orderBy: string | undefined): (a: DriveFile, b: DriveFile) => number {
  const parts = (orderBy ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [key = '', dir] = p.split(/\s+/);
      const get = KEYS[key];
      if (!get) throw new Error(`Invalid orderBy key ${key}`);
      return { get, sign: dir === 'desc' ? -1 : 1 };
    });
  parts.push({ get: (f) => f.seq, sign: 1 });
  return (a, b) => {
    for (const { get, sign } of parts) {
      const x = get(a);
      const y = get(b);
      if (x < y) return -sign;
      if (x > y) return sign;
    }
    return 0;
  };
}
