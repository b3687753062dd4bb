// Deleting below a local root: the parent folder is resolved (realpath checked inside the root), then
// the last segment itself is removed without following it — a symlink is unlinked, never its target —
// and a folder goes with everything in it. Nothing at the path is success.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ConnectorError, isConnectorError } from '../types';
import { fsErrorCode, mapFsError } from './fs-errors';
import { resolveExisting, toConnectorPath } from './paths';

export async function deleteLocal(rootReal: string, segments: string[]): Promise<void> {
  const connectorPath = toConnectorPath(segments);
  if (segments.length === 0) throw new ConnectorError('invalid_path', 'Cannot delete the root folder');
  let parent: string;
  try {
    parent = await resolveExisting(rootReal, segments.slice(0, -1));
  } catch (err) {
    if (isConnectorError(err, 'not_found') || isConnectorError(err, 'wrong_type')) return;
    throw err;
  }
  const target = path.join(parent, segments[segments.length - 1]!);
  try {
    const stats = await fsp.lstat(target);
    if (stats.isDirectory()) await fsp.rm(target, { recursive: true, force: true });
    else await fsp.unlink(target);
  } catch (err) {
    if (fsErrorCode(err) === 'ENOENT') return;
    throw mapFsError(err, connectorPath);
  }
}
