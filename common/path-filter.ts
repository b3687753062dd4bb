// The include/exclude options as one decision per entry, for exploring (paths relative to the source
// folder; see globs.ts for the patterns). A folder an exclude pattern matches is left out with
// everything in it: it is not listed, so nothing below it is even discovered. Include patterns select
// files; a folder one of them matches is included with everything in it. A folder in which no include
// pattern could match anything is not listed either.
import { Glob, GlobError } from './globs';

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
    const prefix = folder === '' ? '' : `${folder}/`;
    const whole = this.include.length === 0 || this.includesAll(folder);
    return {
      file: (name) => {
        const path = prefix + name;
        if (this.exclude.some((g) => g.matches(path, 'file'))) return false;
        return whole || this.include.some((g) => g.matches(path, 'file'));
      },
      folder: (name) => {
        const path = prefix + name;
        if (this.exclude.some((g) => g.matches(path, 'folder') || g.matchesAllBelow(path))) return false;
        return whole || this.include.some((g) => g.matches(path, 'folder') || g.mayMatchBelow(path));
      },
    };
  }

  /** Everything below `folder` is included: an include pattern matches it, one of its folders, or all below. */
  private includesAll(folder: string): boolean {
    if (this.include.some((g) => g.matchesAllBelow(folder))) return true;
    const names = folder === '' ? [] : folder.split('/');
    for (let i = 1; i <= names.length; i++) {
      const ancestor = names.slice(0, i).join('/');
      if (this.include.some((g) => g.matches(ancestor, 'folder'))) return true;
    }
    return false;
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
