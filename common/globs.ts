// Glob patterns of the include/exclude options, matched against paths relative to a migration's
// source folder ("/"-separated, no leading "/"). The rules, close to rclone's filters and gitignore:
//   *        any characters within one name       ?      one character (not "/")
//   **       as a whole segment ("a/**/b", "**/x", "a/**"): any number of folders, zero included;
//            inside a name it acts like "*"
//   [abc] [a-z] [!a]  one character of (not of) a set      {a,b}  alternatives (may nest, may hold "/")
//   \x       x itself
// A pattern without "/" matches a name at any depth ("*.jpg", "node_modules"); with a "/" it is
// anchored at the source folder ("photos/*.jpg", "/notes.txt"). A trailing "/" matches folders only.
// Matching is case-sensitive. Pure code: the API validates with it, exploring filters with it.

/** Refused pattern; the message says what is wrong with it ("a \"{\" has no closing \"}\""). */
export class GlobError extends Error {
  override name = 'GlobError';
}

type Segment = '**' | RegExp;

interface Alternative {
  segments: Segment[];
  foldersOnly: boolean;
}

/** Brace alternatives one pattern may expand to; more is almost certainly a mistake. */
const MAX_ALTERNATIVES = 256;

export class Glob {
  private readonly alternatives: Alternative[];

  constructor(readonly pattern: string) {
    this.alternatives = expandBraces(pattern).map(compileAlternative);
  }

  /** The entry at `path` (relative, non-empty) matches. */
  matches(path: string, type: 'file' | 'folder'): boolean {
    const names = path.split('/');
    return this.alternatives.some(
      (a) => (type === 'folder' || !a.foldersOnly) && consume(a.segments, names).has(a.segments.length),
    );
  }

  /** Every entry below the folder at `path` ("" = the source folder) matches, whatever its name. */
  matchesAllBelow(path: string): boolean {
    const names = split(path);
    return this.alternatives.some((a) => {
      const n = a.segments.length;
      // A state inside a trailing run of "**" absorbs any remaining names.
      return [...consume(a.segments, names)].some((i) => i < n && a.segments.slice(i).every(isGlobstar));
    });
  }

  /** Some entry below the folder at `path` ("" = the source folder) could match. */
  mayMatchBelow(path: string): boolean {
    const names = split(path);
    return this.alternatives.some((a) => [...consume(a.segments, names)].some((i) => i < a.segments.length));
  }
}

/** Why `pattern` is refused, or null when it compiles. */
export function globProblem(pattern: string): string | null {
  try {
    new Glob(pattern);
    return null;
  } catch (err) {
    if (err instanceof GlobError) return err.message;
    throw err;
  }
}

const split = (path: string): string[] => (path === '' ? [] : path.split('/'));
const isGlobstar = (s: Segment): boolean => s === '**';

/** Pattern positions reachable after matching `names` (a "**" may match no name: closure). */
function consume(segments: Segment[], names: string[]): Set<number> {
  const close = (states: Set<number>) => {
    for (const i of states) if (segments[i] === '**') states.add(i + 1);
    return states;
  };
  let states = close(new Set([0]));
  for (const name of names) {
    const next = new Set<number>();
    for (const i of states) {
      const s = segments[i];
      if (s === '**') next.add(i);
      else if (s !== undefined && s.test(name)) next.add(i + 1);
    }
    if (next.size === 0) return next;
    states = close(next);
  }
  return states;
}

/** "a{b,c{d,e}}" → ["ab", "acd", "ace"]; escapes and character classes pass through untouched. */
function expandBraces(pattern: string): string[] {
  const { alternatives, end } = expandSequence(pattern, 0, false);
  if (end < pattern.length) throw new GlobError(`the "}" at position ${end + 1} has no opening "{"`);
  return alternatives;
}

function expandSequence(
  p: string,
  start: number,
  inBraces: boolean,
): { alternatives: string[]; end: number } {
  let results = [''];
  let i = start;
  const append = (suffixes: string[]) => {
    const next: string[] = [];
    for (const r of results) for (const s of suffixes) next.push(r + s);
    if (next.length > MAX_ALTERNATIVES)
      throw new GlobError(`it expands to more than ${MAX_ALTERNATIVES} {…} alternatives`);
    results = next;
  };
  while (i < p.length) {
    const c = p[i];
    if (c === '\\') {
      if (i + 1 >= p.length) throw new GlobError('a "\\" at the end escapes nothing');
      append([p.slice(i, i + 2)]);
      i += 2;
    } else if (c === '[') {
      const close = classEnd(p, i);
      append([p.slice(i, close + 1)]);
      i = close + 1;
    } else if (c === '{') {
      const group = expandGroup(p, i + 1);
      append(group.alternatives);
      i = group.end + 1;
    } else if (inBraces && (c === ',' || c === '}')) {
      return { alternatives: results, end: i };
    } else if (c === '}') {
      return { alternatives: results, end: i };
    } else {
      append([c]);
      i++;
    }
  }
  if (inBraces) throw new GlobError('a "{" has no closing "}"');
  return { alternatives: results, end: i };
}

/** The alternatives of a "{…}" whose content starts at `start`; `end` is the position of its "}". */
function expandGroup(p: string, start: number): { alternatives: string[]; end: number } {
  const all: string[] = [];
  let i = start;
  for (;;) {
    const part = expandSequence(p, i, true);
    all.push(...part.alternatives);
    if (all.length > MAX_ALTERNATIVES)
      throw new GlobError(`it expands to more than ${MAX_ALTERNATIVES} {…} alternatives`);
    if (p[part.end] === '}') return { alternatives: all, end: part.end };
    i = part.end + 1;
  }
}

/** Position of the "]" closing the class opened at `open` ("]" right after "[" or "[!" is literal). */
function classEnd(p: string, open: number): number {
  let i = open + 1;
  if (p[i] === '!' || p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === ']') return i;
  }
  throw new GlobError(`the "[" at position ${open + 1} has no closing "]"`);
}

function compileAlternative(alternative: string): Alternative {
  let body = alternative;
  const anchored = body.startsWith('/');
  if (anchored) body = body.slice(1);
  const foldersOnly = body.endsWith('/') && !body.endsWith('\\/');
  if (foldersOnly) body = body.slice(0, -1);
  if (body === '') throw new GlobError('it is empty');
  const names = splitUnescaped(body);
  for (const name of names) {
    if (name === '') throw new GlobError('it has an empty folder name ("//")');
    if (name === '.' || name === '..') throw new GlobError('"." and ".." are not supported');
  }
  const segments: Segment[] = names.map((n) => (n === '**' ? '**' : compileName(n)));
  // Without a "/", a name at any depth.
  if (!anchored && names.length === 1 && segments[0] !== '**') segments.unshift('**');
  return { segments, foldersOnly };
}

/** Splits on "/" outside escapes and character classes. */
function splitUnescaped(body: string): string[] {
  const names: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      current += body.slice(i, i + 2);
      i++;
    } else if (c === '[') {
      const close = classEnd(body, i);
      current += body.slice(i, close + 1);
      i = close;
    } else if (c === '/') {
      names.push(current);
      current = '';
    } else current += c;
  }
  names.push(current);
  return names;
}

const REGEX_SPECIAL = /[\^$\\.*+?()[\]{}|/]/;
const escapeChar = (c: string): string => (REGEX_SPECIAL.test(c) ? `\\${c}` : c);

/** One name's pattern as an anchored regular expression (never matching "/"). */
function compileName(name: string): RegExp {
  let source = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (c === '\\') source += escapeChar(name[++i]!);
    else if (c === '*') {
      while (name[i + 1] === '*') i++;
      source += '[^/]*';
    } else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = classEnd(name, i);
      source += compileClass(name.slice(i + 1, end));
      i = end;
    } else source += escapeChar(c);
  }
  try {
    return new RegExp(`^${source}$`, 'u');
  } catch {
    throw new GlobError(`"${name}" has an invalid [...] range`);
  }
}

/** The inside of "[!a-c]" → "[^a-c/]": one character of a set, never "/". */
function compileClass(inside: string): string {
  let rest = inside;
  const negated = rest.startsWith('!') || rest.startsWith('^');
  if (negated) rest = rest.slice(1);
  if (rest === '') throw new GlobError('it has an empty character class "[]"');
  let body = '';
  for (let i = 0; i < rest.length; i++) {
    let c = rest[i]!;
    if (c === '\\' && i + 1 < rest.length) c = rest[++i]!;
    else if (c === '-' && i > 0 && i < rest.length - 1) {
      body += '-';
      continue;
    }
    body += /[\\\][^-]/.test(c) ? `\\${c}` : c;
  }
  return negated ? `[^${body}/]` : `(?!/)[${body}]`;
}
