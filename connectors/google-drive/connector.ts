// The google_drive connector: Drive v3 through the official SDK (@googleapis/drive), paths resolved
// from My Drive by name.
import type { CloudConnectorOptions } from '../cloud';
import { isConnectorError, type Connector } from '../types';
import { driveChangeFeed } from './changes';
import { createDriveClient } from './client';
import { deleteDrive } from './delete';
import { joinPath, parsePath, toEntry } from './entries';
import { listDrive } from './list';
import { mkdirDrive } from './mkdir';
import { downloadDriveFile, openDriveFile } from './read';
import { getFile, resolvePath } from './resolve';
import { cancelSession } from './resumable';
import { writeDrive } from './write';
import { GOOGLE_DRIVE_FEATURES } from './features';

export { GOOGLE_DRIVE_FEATURES };

const DEFAULT_CHUNK = 8 * 1024 * 1024;

export function createGoogleDriveConnector(options: CloudConnectorOptions): Connector {
  const client = createDriveClient(options);
  const settings = {
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK,
    resumableThreshold: options.resumableThreshold ?? DEFAULT_CHUNK,
  };
  return {
    service: 'google_drive',
    features: GOOGLE_DRIVE_FEATURES,
    list: (path, opts) => listDrive(client, path, opts),
    async stat(path) {
      const segments = parsePath(path);
      const file = await resolvePath(client, segments);
      return toEntry(file.id === 'root' ? { ...file, name: '' } : file, joinPath(segments));
    },
    async openRead(path, opts = {}) {
      const segments = parsePath(path);
      if (opts.id && !opts.start) {
        // One request for a binary file; a document (export), a folder or a missing id is asked about.
        try {
          return await downloadDriveFile(client, opts.id, joinPath(segments));
        } catch (err) {
          if (!isConnectorError(err) || err.kind === 'retryable' || err.kind === 'fatal_connection')
            throw err;
        }
      }
      const file = opts.id ? await getFile(client, opts.id) : await resolvePath(client, segments);
      return openDriveFile(client, file, joinPath(segments), opts.start ?? 0);
    },
    write: (path, data, opts) => writeDrive(client, settings, path, data, opts),
    mkdir: (path, opts) => mkdirDrive(client, path, opts),
    abortUpload: (session) => cancelSession(client, session),
    delete: (path) => deleteDrive(client, path),
    changes: driveChangeFeed(client),
  };
}
