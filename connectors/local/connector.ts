// The `local` connector: a folder on this machine or a mounted NAS, confined to the operator's allowed roots.
import { constants, promises as fsp } from 'node:fs';
import type { Readable } from 'node:stream';
import { ConnectorError, type Connector, type ConnectorFeatures, type FileEntry } from '../types';
import { deleteLocal } from './delete';
import { toEntry } from './entries';
import { mapFsError } from './fs-errors';
import { listFolder } from './list';
import { makeFolder } from './mkdir';
import { parseConnectorPath, resolveExisting, resolveLocalRoot, toConnectorPath } from './paths';
import { writeFile } from './write';

export const LOCAL_FEATURES: ConnectorFeatures = {
  caseInsensitive: false,
  duplicateNames: false,
  // Local metadata carries no hashes; copies hash the bytes on the fly instead.
  hashes: [],
  serverSideCopy: false,
  setModifiedTime: true,
};

/**
 * A connector for `root`, which must stay inside `allowedRoots`. The root is re-validated on every call,
 * so a root later replaced by a symlink (or removed) cannot lead anywhere else.
 *
 * Known limit: checks run on realpaths just before each operation; a concurrent local process swapping a
 * folder for a symlink between check and use is not defended against (Node has no openat/O_BENEATH).
 */
export function createLocalConnector(root: string, allowedRoots: string[]): Connector {
  const rootReal = async (): Promise<string> => {
    try {
      return await resolveLocalRoot(root, allowedRoots);
    } catch (err) {
      // A configured root that vanished makes the whole connection unusable, not just one file.
      if (err instanceof ConnectorError && err.kind === 'not_found') {
        throw new ConnectorError('fatal_connection', `The connection's root folder no longer exists`);
      }
      throw err;
    }
  };

  async function statExisting(path: string): Promise<{ real: string; entry: FileEntry }> {
    const segments = parseConnectorPath(path);
    const connectorPath = toConnectorPath(segments);
    const real = await resolveExisting(await rootReal(), segments);
    const stats = await fsp.stat(real).catch((err: unknown) => {
      throw mapFsError(err, connectorPath);
    });
    const entry = toEntry(connectorPath, stats);
    if (!entry) throw new ConnectorError('wrong_type', `${connectorPath} is neither a file nor a folder`);
    return { real, entry };
  }

  return {
    service: 'local',
    features: LOCAL_FEATURES,

    async list(path, options) {
      const segments = parseConnectorPath(path);
      return listFolder(await rootReal(), segments, options);
    },

    async stat(path) {
      return (await statExisting(path)).entry;
    },

    async openRead(path, options = {}): Promise<Readable> {
      const { real, entry } = await statExisting(path);
      if (entry.type !== 'file') throw new ConnectorError('wrong_type', `${entry.path} is a folder`);
      const start = options.start ?? 0;
      if (!Number.isInteger(start) || start < 0) {
        throw new ConnectorError('fatal_file', `Invalid start offset ${start} for ${entry.path}`);
      }
      try {
        // O_NOFOLLOW: the realpath we checked must not have become a symlink since.
        const handle = await fsp.open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
        return handle.createReadStream({ start });
      } catch (err) {
        throw mapFsError(err, entry.path);
      }
    },

    async write(path, data, options) {
      let segments: string[];
      let real: string;
      try {
        segments = parseConnectorPath(path);
        real = await rootReal();
      } catch (err) {
        data.destroy();
        throw err;
      }
      return writeFile(real, segments, data, options);
    },

    async mkdir(path) {
      const segments = parseConnectorPath(path);
      return makeFolder(await rootReal(), segments);
    },

    async delete(path) {
      const segments = parseConnectorPath(path);
      await deleteLocal(await rootReal(), segments);
    },
  };
}
