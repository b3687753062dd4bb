// What the operator may grant an account for its `local` connections: an existing folder inside the
// server's roots (MIGRATECLOUDS_LOCAL_ROOTS), clear of the data directory (the store, the keys) except
// its `files` folder, and clear of every other account's grants, so no tenant reaches another's files.
import fs, { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isInside } from './paths';

export interface GrantRules {
  /** The server's roots (real paths): every grant lies inside one. */
  operatorRoots: string[];
  dataDir: string;
}

/** A path as grants and server roots are kept: its real path when it exists, else as resolved. */
export function realOrResolved(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** A grant the rules refuse; its message says which rule. */
export class GrantRefused extends Error {}

const overlap = (a: string, b: string): boolean => isInside(a, b) || isInside(b, a);

/** Checks `root` for `accountId` against the rules and the grants that exist; answers its real path. */
export async function checkGrant(
  root: string,
  accountId: string,
  rules: GrantRules,
  existing: { accountId: string; root: string }[],
): Promise<string> {
  if (!path.isAbsolute(root) || root.includes('\0'))
    throw new GrantRefused('The folder must be an absolute path');
  const real = await fsp.realpath(root).catch(() => {
    throw new GrantRefused(`${root} does not exist`);
  });
  if (!(await fsp.stat(real)).isDirectory()) throw new GrantRefused(`${root} is not a folder`);
  if (!rules.operatorRoots.some((r) => isInside(r, real))) {
    throw new GrantRefused(`${root} is outside the server's roots (MIGRATECLOUDS_LOCAL_ROOTS)`);
  }
  const data = await fsp.realpath(rules.dataDir).catch(() => path.resolve(rules.dataDir));
  if (isInside(real, data) || (isInside(data, real) && !isInside(path.join(data, 'files'), real))) {
    throw new GrantRefused(
      `${root} overlaps the server's data directory (${data}); only its files folder may be granted`,
    );
  }
  const other = existing.find((g) => g.accountId !== accountId && overlap(g.root, real));
  if (other)
    throw new GrantRefused(`${root} overlaps a folder granted to another account (${other.accountId})`);
  return real;
}

/** The grants a connector may use: those still inside the server's roots (which the operator may narrow). */
export const usableGrants = (granted: string[], operatorRoots: string[]): string[] =>
  granted.filter((g) => operatorRoots.some((r) => isInside(r, g)));
