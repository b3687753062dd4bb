// Graph's driveItem addressing below /v1.0/me/drive: "/root" or "/items/{id}", optionally followed by
// a path relative to it ("root:/a/b:" — the closing colon is needed only before an action), and an
// action: /children, /content, /createUploadSession or /delta.

export type Action = 'children' | 'content' | 'createUploadSession' | 'delta' | null;

export interface Address {
  /** "root" or an item id. */
  base: string;
  /** Decoded path segments relative to the base (empty when addressed by id alone). */
  segments: string[];
  action: Action;
}

const ADDRESS =
  /^\/(?:(root)|items\/([^/:]+))(?::(\/[^:]*):?)?(?:\/(children|content|createUploadSession|delta))?\/?$/;

/** Parses the part of the raw (still percent-encoded) path after /v1.0/me/drive; null if malformed. */
export function parseAddress(rawPath: string): Address | null {
  const m = ADDRESS.exec(rawPath);
  if (!m) return null;
  try {
    const base = m[1] ?? decodeURIComponent(m[2]!);
    const segments = (m[3] ?? '')
      .split('/')
      .filter((s) => s !== '')
      .map((s) => decodeURIComponent(s));
    return { base, segments, action: (m[4] as Action) ?? null };
  } catch {
    return null;
  }
}

const FORBIDDEN = /["*:<>?/\\|]/;
const RESERVED = /^(?:\.lock|CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9]|desktop\.ini)$/i;

/** Why OneDrive refuses a name, or null if it is acceptable (its documented restrictions). */
export function nameProblem(name: string): string | null {
  if (name.trim() === '') return 'The name is empty.';
  if (FORBIDDEN.test(name))
    return `The name "${name}" contains a character that is not allowed: " * : < > ? / \\ |`;
  if (RESERVED.test(name)) return `The name "${name}" is reserved.`;
  if (name.startsWith('~$')) return `The name "${name}" starts with "~$", which is not allowed.`;
  if (name.toLowerCase().includes('_vti_'))
    return `The name "${name}" contains "_vti_", which is not allowed.`;
  if (/^\s|\s$/.test(name)) return `The name "${name}" starts or ends with a space.`;
  if (name.endsWith('.')) return `The name "${name}" ends with a period.`;
  if (name.length > 400) return 'The name is too long.';
  return null;
}

/** Why OneDrive refuses `name` in the folder at `parentPath` ("/" for the root), or null. */
export function placementProblem(parentPath: string, name: string): string | null {
  const problem = nameProblem(name);
  if (problem) return problem;
  if (parentPath === '/' && /^forms$/i.test(name))
    return `The name "${name}" is reserved in the root folder.`;
  const path = parentPath === '/' ? `/${name}` : `${parentPath}/${name}`;
  if (path.length > 400) return `The path is longer than 400 characters.`;
  return null;
}

/** Counter keys with ids and paths replaced, e.g. "GET /v1.0/me/drive/items/{id}/children". */
export const counterKey = (method: string, path: string): string =>
  `${method} ${path
    .replace(/\/items\/[^/:]+/, '/items/{id}')
    .replace(/:\/[^:]*(:|$)/, ':{path}$1')
    .replace(/^\/_(upload|download)\/[^/]+/, '/_$1/{id}')}`;
