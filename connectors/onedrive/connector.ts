// The onedrive connector: Microsoft Graph v1.0 through the official SDK
// (@microsoft/microsoft-graph-client), paths below the signed-in user's drive root.
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import type { CloudConnectorOptions } from '../cloud';
import { isConnectorError, type Connector } from '../types';
import { oneDriveChangeFeed } from './changes';
import { createGraphClient } from './client';
import { deleteOneDrive } from './delete';
import { joinPath, parsePath, toEntry } from './entries';
import { listOneDrive } from './list';
import { mkdirOneDrive } from './mkdir';
import { downloadUrlOf, fetchDownloadUrl } from './download-urls';
import { classified, downloadOneDriveItem, openOneDriveFile } from './read';
import { getItem, getItemById } from './resolve';
import { cancelSession } from './session';
import { writeOneDrive } from './write';
import { ONEDRIVE_FEATURES } from './features';

export { ONEDRIVE_FEATURES };

/** 10 MiB: a multiple of 320 KiB, as Graph asks of every fragment but the last. */
const DEFAULT_CHUNK = 32 * 320 * 1024;
const DEFAULT_THRESHOLD = 8 * 1024 * 1024;

export function createOneDriveConnector(options: CloudConnectorOptions): Connector {
  const client = createGraphClient(options);
  const settings = {
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK,
    resumableThreshold: options.resumableThreshold ?? DEFAULT_THRESHOLD,
  };
  return {
    service: 'onedrive',
    features: ONEDRIVE_FEATURES,
    list: (path, opts) => listOneDrive(client, path, opts),
    async stat(path) {
      const segments = parsePath(path);
      return toEntry(await getItem(client, segments), joinPath(segments));
    },
    async openRead(path, opts = {}) {
      const segments = parsePath(path);
      if (opts.id && !opts.start) {
        // The download URL from the folder's listing (download-urls.ts): the download alone.
        const what = `download ${joinPath(segments)}`;
        const url = await downloadUrlOf(client, joinPath(segments.slice(0, -1)), opts.id);
        const res = url && (await fetchDownloadUrl(client, url, what));
        if (res)
          return res.body ? classified(res.body as ReadableStream<Uint8Array>, what) : Readable.from([]);
        // Else GET …/content; a folder or a missing id is asked about, for the precise error.
        try {
          return await downloadOneDriveItem(client, opts.id, joinPath(segments));
        } catch (err) {
          if (!isConnectorError(err) || err.kind === 'retryable' || err.kind === 'fatal_connection')
            throw err;
        }
      }
      const item = opts.id ? await getItemById(client, opts.id) : await getItem(client, segments);
      return openOneDriveFile(client, item, joinPath(segments), opts.start ?? 0);
    },
    write: (path, data, opts) => writeOneDrive(client, settings, path, data, opts),
    mkdir: (path, opts) => mkdirOneDrive(client, path, opts),
    // DELETE on the uploadUrl (which is its own credential); a session already gone is fine.
    abortUpload: async (session) => {
      if (session.url) await cancelSession(session.url);
    },
    delete: (path) => deleteOneDrive(client, path),
    changes: oneDriveChangeFeed(client),
  };
}
