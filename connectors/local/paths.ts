// Confinement: every connector path resolves to a real host path inside the connection's root, and the
// root inside one of the folders granted to its account. Containment is checked on realpaths, by whole segments.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConnectorError } from '../types';
import { pooledCalls, type FsCalls } from './fs-calls';
import { fsErrorCode, mapFsError } from './fs-errors';

/** True when `child` is `parent` or below it, comparing whole segments (/data/files2 is not in /data/files). */
export function isInside(parent: string, child: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith(path.sep) ? parent : parent + path.sep;
  return child.startsWith(prefix);
}

async function realAllowedRoots(allowedRoots: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const r of allowedRoots) {
    try {
      out.push(await fsp.realpath(path.resolve(r)));
    } catch {
      // An allowed root that does not exist admits nothing.
    }
  }
  return out;
}

/**
 * Validates a `local` connection's configured root and returns its realpath. The root must be absolute,
 * an existing folder, and (after resolving symlinks) inside one of `allowedRoots`.
 */
export async function resolveLocalRoot(root: string, allowedRoots: string[]): Promise<string> {
  if (typeof root !== 'string' || !path.isAbsolute(root)) {
    throw new ConnectorError('invalid_path', 'The root must be an absolute path');
  }
  if (root.includes('\0')) throw new ConnectorError('invalid_path', 'The root must not contain NUL bytes');
  const allowed = await realAllowedRoots(allowedRoots);
  const denied = () =>
    new ConnectorError('permission_denied', `${root} is outside the folders granted to this account`);
  let real: string;
  try {
    real = await fsp.realpath(root);
  } catch (err) {
    // Say "not found" only for paths the caller may see, so this is no oracle for the rest of the disk.
    const lexical = path.resolve(root);
    const lexicallyAllowed = allowedRoots.some((r) => isInside(path.resolve(r), lexical));
    if (!lexicallyAllowed && !allowed.some((r) => isInside(r, lexical))) throw denied();
    if (fsErrorCode(err) === 'ENOENT') throw new ConnectorError('not_found', `${root} does not exist`);
    throw mapFsError(err, root);
  }
  if (!allowed.some((r) => isInside(r, real))) throw denied();
  const stats = await fsp.stat(real).catch((err: unknown) => {
    throw mapFsError(err, root);
  });
  if (!stats.isDirectory()) throw new ConnectorError('wrong_type', `${root} is not a folder`);
  return real;
}

/**
 * Splits a connector path ("/a/b.txt") into segments, resolving "." and non-escaping "..".
 * Rejects relative paths (`invalid_path`), NUL bytes and ".." that climbs above the root (`permission_denied`).
 */
export function parseConnectorPath(p: string): string[] {
  if (typeof p !== 'string' || !p.startsWith('/')) {
    throw new ConnectorError('invalid_path', `Paths must start with "/": ${String(p)}`);
  }
  if (p.includes('\0')) throw new ConnectorError('permission_denied', 'Paths must not contain NUL bytes');
  const segments: string[] = [];
  for (const s of p.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (segments.length === 0) throw new ConnectorError('permission_denied', `${p} escapes the root`);
      segments.pop();
    } else segments.push(s);
  }
  return segments;
}

/** The canonical connector path of segments: "/" or "/a/b". */
export const toConnectorPath = (segments: string[]): string => `/${segments.join('/')}`;

/**
 * The realpath of an existing item, checked to lie inside `rootReal` (so no symlink at any component
 * leads out). `not_found` when it does not exist.
 */
export async function resolveExisting(
  rootReal: string,
  segments: string[],
  calls: FsCalls = pooledCalls,
): Promise<string> {
  const connectorPath = toConnectorPath(segments);
  let real: string;
  try {
    real = await calls.realpath(path.join(rootReal, ...segments));
  } catch (err) {
    throw mapFsError(err, connectorPath);
  }
  if (!isInside(rootReal, real)) {
    throw new ConnectorError('permission_denied', `${connectorPath} leads outside the connection's root`);
  }
  return real;
}
