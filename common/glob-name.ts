// One name's pattern of an include/exclude glob ("*.jpg", "IMG_????.[jJ]*"; globs.ts splits patterns
// into names) and its matcher. Patterns come from API callers, so matching must stay cheap whatever
// they hold: these used to compile to regular expressions, and V8's engine backtracks — a few dozen
// "*" against one long name ran for hours and froze the worker's event loop. picomatch and minimatch
// compile to regular expressions too, and no npm matcher promises a bound, hence this small one.
// Every token but "*" matches exactly one character, so the classic greedy matcher is exact: on a
// mismatch only the last "*" seen takes one more character, earlier ones keep their shortest extent (a
// later "*" can absorb whatever they would have taken). It never backtracks further: at most
// (name length × pattern length) steps, and the caller's budget bounds them (a pattern repeated by
// "{…}" alternatives and many patterns multiply that). Characters are Unicode code points ("?" takes
// "😀" whole).

/** Refused pattern; the message says what is wrong with it ("a \"{\" has no closing \"}\""). */
export class GlobError extends Error {
  override name = 'GlobError';
}

/** Steps matching may still take; past them it throws OverBudget instead of holding the event loop. */
export interface MatchBudget {
  left: number;
}
export const UNLIMITED: MatchBudget = { left: Infinity };

export class OverBudget extends Error {
  override name = 'OverBudget';
}

const STAR = -1;
const ANY = -2;
/** One character of a set (or not of it): `ranges` holds [from, to] code point pairs. */
interface CharSet {
  negated: boolean;
  ranges: number[];
}
/** A code point, ANY ("?"), STAR (a run of "*"), or a [...] set. */
type Token = number | CharSet;

export interface NameMatcher {
  /** The name itself when the pattern has no wildcard. */
  readonly literal: string | null;
  readonly tokens: readonly Token[];
  /** Tokens other than "*": a name with fewer characters never matches. */
  readonly min: number;
  readonly starred: boolean;
}

/** A name's code points, the unit patterns count in (a lone surrogate is one). */
export function codePoints(name: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const c = name.codePointAt(i)!;
    out.push(c);
    if (c > 0xffff) i++;
  }
  return out;
}

/** Position of the "]" closing the class opened at `open` ("]" right after "[" or "[!" is literal). */
export function classEnd(p: string, open: number): number {
  let i = open + 1;
  if (p[i] === '!' || p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === ']') return i;
  }
  throw new GlobError(`the "[" at position ${open + 1} has no closing "]"`);
}

/** One name's pattern (no "/" outside [...] or escapes) as tokens. */
export function compileName(name: string): NameMatcher {
  const tokens: Token[] = [];
  for (let i = 0; i < name.length;) {
    const c = name[i];
    if (c === '*') {
      while (name[i + 1] === '*') i++;
      tokens.push(STAR);
      i++;
    } else if (c === '?') {
      tokens.push(ANY);
      i++;
    } else if (c === '[') {
      const end = classEnd(name, i);
      tokens.push(compileClass(codePoints(name.slice(i + 1, end)), name));
      i = end + 1;
    } else {
      if (c === '\\') i++;
      const cp = name.codePointAt(i)!;
      tokens.push(cp);
      i += cp > 0xffff ? 2 : 1;
    }
  }
  const starred = tokens.includes(STAR);
  const wild = tokens.some((t) => typeof t !== 'number' || t < 0);
  return {
    literal: wild ? null : String.fromCodePoint(...(tokens as number[])),
    tokens,
    min: tokens.filter((t) => t !== STAR).length,
    starred,
  };
}

/**
 * The inside of "[!a-c]": one character of a set (or not). A "-" between two characters makes a
 * range, a "-" first or last is itself, "\" makes the next character literal; read as a regular
 * expression's class would read it ("[a-c-e]" is a to c, "-" and "e"; "[z-a]" is refused).
 */
function compileClass(inside: number[], name: string): CharSet {
  let rest = inside;
  const negated = rest[0] === 0x21 || rest[0] === 0x5e;
  if (negated) rest = rest.slice(1);
  if (rest.length === 0) throw new GlobError('it has an empty character class "[]"');
  // Characters (escaped or not) and the "-" that joins two of them.
  const items: (number | 'range')[] = [];
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === 0x5c && i + 1 < rest.length) items.push(rest[++i]!);
    else if (c === 0x2d && i > 0 && i < rest.length - 1) items.push('range');
    else items.push(c);
  }
  const ranges: number[] = [];
  const charAt = (i: number) => (items[i] === 'range' ? 0x2d : (items[i] as number));
  for (let i = 0; i < items.length; i++) {
    const from = charAt(i);
    if (items[i + 1] === 'range' && i + 2 < items.length) {
      const to = charAt(i + 2);
      if (from > to) throw new GlobError(`"${name}" has an invalid [...] range`);
      ranges.push(from, to);
      i += 2;
    } else ranges.push(from, from);
  }
  return { negated, ranges };
}

function matchesOne(t: Token, c: number): boolean {
  if (typeof t === 'number') return t === c || t === ANY;
  let inSet = false;
  for (let i = 0; i < t.ranges.length && !inSet; i += 2) inSet = c >= t.ranges[i]! && c <= t.ranges[i + 1]!;
  return inSet !== t.negated;
}

/** The name (as `codePoints` gives it, or as a string when that is all a literal needs) matches. */
export function matchName(m: NameMatcher, name: string, cps: () => number[], budget: MatchBudget): boolean {
  if (--budget.left < 0) throw new OverBudget();
  if (m.literal !== null) return name === m.literal;
  const text = cps();
  if (text.length < m.min || (!m.starred && text.length !== m.min)) return false;
  const { tokens } = m;
  let p = 0;
  let t = 0;
  // The last "*" seen, and where in the name it stops for now.
  let star = -1;
  let starEnd = 0;
  while (t < text.length) {
    if (--budget.left < 0) throw new OverBudget();
    const token = tokens[p];
    if (token === STAR) {
      star = p++;
      starEnd = t;
    } else if (token !== undefined && matchesOne(token, text[t]!)) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++starEnd;
    } else return false;
  }
  while (tokens[p] === STAR) p++;
  return p === tokens.length;
}
