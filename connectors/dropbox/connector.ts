// The dropbox connector: Dropbox API v2 through the official SDK (dropbox 10.34), pointed at any
// api/content hosts by rewriting the SDK's hard-coded URLs.
import type { CloudConnectorOptions } from '../cloud';
import type { Connector } from '../types';
import { dropboxChangeFeed } from './changes';
import { createDropboxClient } from './client';
import { deleteDropbox } from './delete';
import { listDropbox } from './list';
import { mkdirDropbox, statDropbox } from './mkdir';
import { openDropboxFile } from './read';
import { writeDropbox } from './write';
import { DROPBOX_FEATURES } from './features';

export { DROPBOX_FEATURES };

const DEFAULT_CHUNK = 8 * 1024 * 1024;

export function createDropboxConnector(options: CloudConnectorOptions): Connector {
  const client = createDropboxClient(options);
  const settings = {
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK,
    resumableThreshold: options.resumableThreshold ?? DEFAULT_CHUNK,
  };
  return {
    service: 'dropbox',
    features: DROPBOX_FEATURES,
    list: (path, opts) => listDropbox(client, path, opts),
    stat: (path) => statDropbox(client, path),
    openRead: (path, opts = {}) => openDropboxFile(client, path, opts.start ?? 0, opts.id),
    write: (path, data, opts) => writeDropbox(client, settings, path, data, opts),
    mkdir: (path) => mkdirDropbox(client, path),
    // Dropbox has no call to cancel an upload session: an unfinished one expires by itself (after
    // 7 days) without ever becoming a file, so there is nothing to do.
    abortUpload: async () => undefined,
    delete: (path) => deleteDropbox(client, path),
    changes: dropboxChangeFeed(client),
  };
}
