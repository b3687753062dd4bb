// Creates a folder and its missing parents one component at a time, so that a symlink anywhere on the
// way is resolved and checked before anything is created through it.
import path from 'node:path';
import { ConnectorError, type FileEntry } from '../types';
import { toEntry } from './entries';
import { pooledCalls, type FsCalls } from './fs-calls';
import { fsErrorCode, mapFsError } from './fs-errors';
import { isInside, toConnectorPath } from './paths';
import { PARTIAL_PREFIX } from './write';

export async function makeFolder(
  rootReal: string,
  segments: string[],
  calls: FsCalls = pooledCalls,
): Promise<FileEntry> {
  let current = rootReal;
  for (let i = 0; i < segments.length; i++) {
    const connectorPath = toConnectorPath(segments.slice(0, i + 1));
    if (segments[i].startsWith(PARTIAL_PREFIX)) {
      throw new ConnectorError('invalid_path', `Names starting with ${PARTIAL_PREFIX} are reserved`);
    }
    try {
      current = await step(calls, rootReal, path.join(current, segments[i]), connectorPath);
    } catch (err) {
      throw mapFsError(err, connectorPath);
    }
  }
  const stats = await calls.stat(current).catch((err: unknown) => {
    throw mapFsError(err, toConnectorPath(segments));
  });
  return toEntry(toConnectorPath(segments), stats)!;
}

/** Ensures `host` is a folder inside the root (creating it if absent); returns its real path. */
async function step(calls: FsCalls, rootReal: string, host: string, connectorPath: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const stats = await calls.lstat(host).catch((err: unknown) => {
      if (fsErrorCode(err) === 'ENOENT') return undefined;
      throw err;
    });
    if (stats?.isDirectory()) return host;
    if (stats?.isSymbolicLink()) {
      const target = await calls.realpath(host);
      if (!isInside(rootReal, target)) {
        throw new ConnectorError('permission_denied', `${connectorPath} leads outside the connection's root`);
      }
      if (!(await calls.stat(target)).isDirectory()) {
        throw new ConnectorError('wrong_type', `${connectorPath} is not a folder`);
      }
      return target;
    }
    if (stats) throw new ConnectorError('wrong_type', `${connectorPath} exists and is not a folder`);
    try {
      await calls.mkdir(host);
      return host;
    } catch (err) {
      // Created concurrently by someone else: look again.
      if (fsErrorCode(err) !== 'EEXIST' || attempt > 0) throw err;
    }
  }
}
