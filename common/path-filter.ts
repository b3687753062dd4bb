// The include/exclude options as one decision per entry, for exploring (paths relative to the source
// folder; see globs.ts for the patterns). A folder an exclude pattern matches is left out with
// everything in it: it is not listed, so nothing below it is even discovered. Include patterns select
// files; a folder one of them matches is included with everything in it. A folder in which no include
// pattern could match anything is not listed either.
// Each decision (one entry's name against every pattern, or a folder's path) may take MATCH_STEPS
// steps: patterns built to be slow (many long "{…}" alternatives that almost match a long name) fail
// with a GlobError instead of holding the event loop, the same way on every attempt.
import { Glob, GlobError, type GlobPosition, type MatchBudget, OverBudget } from './globs';

/** Steps of one decision: about 0.1 s; ordinary patterns take a few per character of the name. */
export const MATCH_STEPS = 10_000_000;

export interface FolderScope {
  /** A file of this folder is copied. */
  file(name: string): boolean;
  /** A subfolder of this folder is listed (and created at the destination). */
  folder(name: string): boolean;
}

export class PathFilter {
  private readonly include: Glob[];
  private readonly exclude: Glob[];

  constructor(include: readonly string[] = [], exclude: readonly string[] = []) {
    this.include = include.map(compile);
    this.exclude = exclude.map(compile);
  }

  get active(): boolean {
    return this.include.length > 0 || this.exclude.length > 0;
  }

  /** Decisions for the entries of the folder at `folder` ("" = the source folder). */
  within(folder: string): FolderScope {
    // The folder's path is matched once here; each entry then costs only its own name.
    const { include, exclude, whole } = metered(folder, (b) => ({
      include: this.include.map((g) => g.at(folder, b)),
      exclude: this.exclude.map((g) => g.at(folder, b)),
      whole: this.include.length === 0 || this.include.some((g) => g.coversFolder(folder, b)),
    }));
    return {
      file: (name) =>
        metered(name, (b) => {
          if (exclude.some((g) => g.step(name, b).matches('file'))) return false;
          return whole || include.some((g) => g.step(name, b).matches('file'));
        }),
      folder: (name) =>
        metered(name, (b) => {
          const left = (g: GlobPosition) => g.matches('folder') || g.matchesAllBelow();
          if (exclude.some((g) => left(g.step(name, b)))) return false;
          const kept = (g: GlobPosition) => g.matches('folder') || g.mayMatchBelow();
          return whole || include.some((g) => kept(g.step(name, b)));
        }),
    };
  }
}

/** `decide` with a budget of MATCH_STEPS; past it, a GlobError naming what was matched. */
function metered<T>(what: string, decide: (budget: MatchBudget) => T): T {
  try {
    return decide({ left: MATCH_STEPS });
  } catch (err) {
    if (!(err instanceof OverBudget)) throw err;
    const chars = [...what];
    const shown = chars.length > 100 ? `${chars.slice(0, 100).join('')}…` : what;
    throw new GlobError(
      `Matching "${shown}" against the include/exclude patterns takes more than ${MATCH_STEPS.toLocaleString('en-US')} steps: ` +
        'use fewer or simpler patterns (fewer {…} alternatives, shorter text after a "*")',
    );
  }
}

/** Compiles one pattern; a refused one throws a GlobError that names it. */
function compile(pattern: string): Glob {
  try {
    return new Glob(pattern);
  } catch (err) {
    if (err instanceof GlobError)
      throw new GlobError(`The pattern "${pattern}" is not valid: ${err.message}`);
    throw err;
  }
}
