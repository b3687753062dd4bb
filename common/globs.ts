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
// Matching never backtracks: names are matched as glob-name.ts says, folders by the set of pattern
// positions reachable so far (at most one per segment), so a path costs at most its length times the
// pattern's, whatever the pattern holds.
import {
  classEnd,
  codePoints,
  compileName,
  GlobError,
  matchName,
  type MatchBudget,
  type NameMatcher,
  UNLIMITED,
} from './glob-name';

export { GlobError, type MatchBudget, OverBudget } from './glob-name';

type Segment = '**' | NameMatcher;

interface Alternative {
  segments: Segment[];
  foldersOnly: boolean;
  /** Where the trailing run of "**" starts (segments.length when there is none). */
  globstarsFrom: number;
}

/** Brace alternatives one pattern may expand to; more is almost certainly a mistake. */
const MAX_ALTERNATIVES = 256;
/** Characters of all of a pattern's alternatives together: what compiling and matching it costs. */
export const MAX_EXPANDED = 10_000;
/** "*" wildcards the API takes in one pattern (a run such as "**" counts once). */
export const MAX_WILDCARDS = 32;

export class Glob {
  private readonly alternatives: Alternative[];

  constructor(readonly pattern: string) {
    // Identical alternatives ("{a,a}") are matched once.
    this.alternatives = [...new Set(expandBraces(pattern))].map(compileAlternative);
  }

  /** The entry at `path` (relative, non-empty) matches. */
  matches(path: string, type: 'file' | 'folder'): boolean {
    return this.at(path).matches(type);
  }

  /** Every entry below the folder at `path` ("" = the source folder) matches, whatever its name. */
  matchesAllBelow(path: string): boolean {
    return this.at(path).matchesAllBelow();
  }

  /** Some entry below the folder at `path` ("" = the source folder) could match. */
  mayMatchBelow(path: string): boolean {
    return this.at(path).mayMatchBelow();
  }

  /** The folder at `path`, or one of the folders above it, matches; or everything below it does. */
  coversFolder(path: string, budget = UNLIMITED): boolean {
    let position = this.at('');
    for (const name of split(path)) {
      position = position.step(name, budget);
      if (position.matches('folder')) return true;
    }
    return position.matchesAllBelow();
  }

  /**
   * Where the path `path` ("" = the source folder) leads in the pattern; a folder's position decides
   * its entries without matching its path again. Matching throws OverBudget past `budget`.
   */
  at(path: string, budget = UNLIMITED): GlobPosition {
    let position = new GlobPosition(
      this.alternatives,
      this.alternatives.map((a) => close(a.segments, [0])),
    );
    for (const name of split(path)) position = position.step(name, budget);
    return position;
  }
}

/** The pattern positions a path reaches in each alternative (at most one per segment). */
export class GlobPosition {
  constructor(
    private readonly alternatives: Alternative[],
    private readonly states: number[][],
  ) {}

  /** One name further down: a folder's entry. */
  step(name: string, budget = UNLIMITED): GlobPosition {
    let cps: number[] | undefined;
    const text = () => (cps ??= codePoints(name));
    const next = this.alternatives.map((a, i) => {
      const states = this.states[i]!;
      return states.length === 0 ? states : consume(a.segments, states, name, text, budget);
    });
    return new GlobPosition(this.alternatives, next);
  }

  /** The path so far matches, as an entry of that type. */
  matches(type: 'file' | 'folder'): boolean {
    return this.alternatives.some(
      (a, i) => (type === 'folder' || !a.foldersOnly) && this.states[i]!.includes(a.segments.length),
    );
  }

  /** Every entry below the path so far matches. */
  matchesAllBelow(): boolean {
    // A state inside a trailing run of "**" absorbs any remaining names.
    return this.alternatives.some((a, i) =>
      this.states[i]!.some((s) => s >= a.globstarsFrom && s < a.segments.length),
    );
  }

  /** Some entry below the path so far could match. */
  mayMatchBelow(): boolean {
    return this.alternatives.some((a, i) => this.states[i]!.some((s) => s < a.segments.length));
  }
}

/** Why `pattern` is refused, or null when it compiles and stays within the API's limits. */
export function globProblem(pattern: string): string | null {
  try {
    new Glob(pattern);
  } catch (err) {
    if (err instanceof GlobError) return err.message;
    throw err;
  }
  const stars = wildcards(pattern);
  if (stars > MAX_WILDCARDS) return `it has ${stars} "*" wildcards, more than the ${MAX_WILDCARDS} allowed`;
  return null;
}

/** The "*" wildcards of a valid pattern as written: escaped ones and those in [...] are not; "**" is one. */
function wildcards(pattern: string): number {
  let n = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(pattern, i);
    else if (c === '*') {
      n++;
      while (pattern[i + 1] === '*') i++;
    }
  }
  return n;
}

const split = (path: string): string[] => (path === '' ? [] : path.split('/'));

/** `states` with the positions after each "**" they hold added (a "**" may match no name). */
function close(segments: Segment[], states: number[]): number[] {
  for (let k = 0; k < states.length; k++) {
    const i = states[k]!;
    if (segments[i] === '**' && !states.includes(i + 1)) states.push(i + 1);
  }
  return states;
}

/** Pattern positions reachable from `states` by matching the name `name`. */
function consume(
  segments: Segment[],
  states: number[],
  name: string,
  text: () => number[],
  budget: MatchBudget,
): number[] {
  const next: number[] = [];
  for (const i of states) {
    const s = segments[i];
    if (s === '**') next.push(i);
    else if (s !== undefined && matchName(s, name, text, budget) && !next.includes(i + 1)) next.push(i + 1);
  }
  return close(segments, next);
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
  // Characters since the last "{…}", appended at once.
  let literal = '';
  const flush = () => {
    if (literal !== '') results = product(results, [literal]);
    literal = '';
  };
  let i = start;
  while (i < p.length) {
    const c = p[i];
    if (c === '\\') {
      if (i + 1 >= p.length) throw new GlobError('a "\\" at the end escapes nothing');
      literal += p.slice(i, i + 2);
      i += 2;
    } else if (c === '[') {
      const close = classEnd(p, i);
      literal += p.slice(i, close + 1);
      i = close + 1;
    } else if (c === '{') {
      flush();
      const group = expandGroup(p, i + 1);
      results = product(results, group.alternatives);
      i = group.end + 1;
    } else if (c === '}' || (inBraces && c === ',')) {
      flush();
      return { alternatives: results, end: i };
    } else {
      literal += c;
      i++;
    }
  }
  if (inBraces) throw new GlobError('a "{" has no closing "}"');
  flush();
  return { alternatives: results, end: i };
}

/** The alternatives of a "{…}" whose content starts at `start`; `end` is the position of its "}". */
function expandGroup(p: string, start: number): { alternatives: string[]; end: number } {
  const all: string[] = [];
  let i = start;
  for (;;) {
    const part = expandSequence(p, i, true);
    all.push(...part.alternatives);
    checkLimits(all.length, length(all));
    if (p[part.end] === '}') return { alternatives: all, end: part.end };
    i = part.end + 1;
  }
}

/** Each of `as` followed by each of `bs`, refused before it is built when past the limits. */
function product(as: string[], bs: string[]): string[] {
  checkLimits(as.length * bs.length, bs.length * length(as) + as.length * length(bs));
  const out: string[] = [];
  for (const a of as) for (const b of bs) out.push(a + b);
  return out;
}

const length = (xs: string[]) => xs.reduce((n, x) => n + x.length, 0);

/** Alternatives only grow as a pattern is read: past a limit on the way, past it in the end. */
function checkLimits(alternatives: number, characters: number): void {
  if (alternatives > MAX_ALTERNATIVES)
    throw new GlobError(`it expands to more than ${MAX_ALTERNATIVES} {…} alternatives`);
  if (characters > MAX_EXPANDED)
    throw new GlobError(
      `its {…} alternatives come to more than ${MAX_EXPANDED.toLocaleString('en-US')} characters`,
    );
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
  let globstarsFrom = segments.length;
  while (globstarsFrom > 0 && segments[globstarsFrom - 1] === '**') globstarsFrom--;
  return { segments, foldersOnly, globstarsFrom };
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
