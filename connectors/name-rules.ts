// The path grammar every service shares, and what a service adds to it (NameRules, declared in its
// module). Names are "/"-separated, so no name can hold "/" or NUL or be "." or ".."; anything else is
// up to the service (OneDrive is strict; Drive, Dropbox and the local disk take any other name).
//
// Encoding follows rclone: a forbidden character becomes its full-width look-alike (":" → "："), a
// name of only white space becomes as many "␠", NUL becomes "␀". Names that are allowed never change.

export interface NameRules {
  /**
   * Why the service refuses `name` (a rule a person can read), or null; the shared grammar is checked
   * first. `atRoot`: the name is directly in the connection's root folder.
   */
  problem(name: string, atRoot: boolean): string | null;
  /** A look-alike of a refused name that the service takes (after the shared grammar's encoding). */
  encode(name: string, atRoot: boolean): string;
  /** The longest path (from the connection's root) the service takes, in characters. */
  maxPathLength?: number;
}

/** The full-width form of a printable ASCII character (U+FF01–U+FF5E mirror U+0021–U+007E). */
export const fullWidth = (c: string): string => String.fromCharCode(c.charCodeAt(0) + 0xfee0);

/** What the shared grammar refuses in `name`, or null. */
export function grammarProblem(name: string): string | null {
  if (name === '.' || name === '..') return `"${name}" cannot be a name`;
  if (name.includes('/')) return 'names cannot contain "/"';
  if (name.includes('\0')) return 'names cannot contain NUL characters';
  return null;
}

/** Why a service with `rules` (none: only the shared grammar) refuses `name`, or null. */
export function problemUnder(rules: NameRules | undefined, name: string, atRoot = false): string | null {
  const shared = grammarProblem(name);
  if (shared) return shared;
  if (rules) return rules.problem(name, atRoot);
  return name === '' ? 'names cannot be empty' : null;
}

/** A name a service with `rules` takes, as close to `name` as possible; `name` itself when allowed. */
export function encodeUnder(rules: NameRules | undefined, name: string, atRoot = false): string {
  if (problemUnder(rules, name, atRoot) === null) return name;
  const out = name.replace(/\0/g, '␀');
  if (out === '.' || out === '..') return out.replace(/\./g, fullWidth);
  if (rules) return rules.encode(out, atRoot);
  return out.replace(/\//g, fullWidth) || '␠';
}
