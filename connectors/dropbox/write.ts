// Writing a file. Below `resumableThreshold` (read ahead to decide when the size is unknown) one
// /2/files/upload with the content_hash of the bytes, which Dropbox checks; from it on, an upload
// session in chunks, reported through onSession after each committed chunk and resumable from
// `options.session`. `overwrite: false` commits in mode add: a different existing file is a conflict
// (Dropbox treats identical content as no conflict, which makes a retried write idempotent).
import type { files } from 'dropbox';
import { type ChunkReader, readingStream, readSmallBody, type UploadSettings } from '../chunks';
import type { UploadSession } from '../cloud';
import { createHasher } from '../../common/hashing';
import { ConnectorError, type FileEntry, type WriteOptions } from '../types';
import type { DropboxClient } from './client';
import { dropboxTime, toDropboxPath, toEntry } from './entries';
import { findDropbox } from './mkdir';
import { MAX_CHUNK, sendAndFinish, startSession } from './session';

const hashOf = (data: Buffer) => {
  const h = createHasher('dropbox_content_hash');
  h.update(data);
  return h.digest();
};

function verify(
  meta: files.FileMetadata,
  path: string,
  sent: number,
  expected?: number,
  hash?: string,
): FileEntry {
  if (meta.size !== sent || (expected !== undefined && meta.size !== expected)) {
    throw new ConnectorError('fatal_file', `${path}: Dropbox stored ${meta.size} bytes, ${sent} were sent`);
  }
  if (hash !== undefined && meta.content_hash !== hash) {
    throw new ConnectorError(
      'fatal_file',
      `${path}: Dropbox reports content_hash ${meta.content_hash}, sent ${hash}`,
    );
  }
  return toEntry({ ...meta, '.tag': 'file' });
}

async function write(
  client: DropboxClient,
  settings: UploadSettings,
  path: string,
  source: ChunkReader,
  options: WriteOptions,
): Promise<FileEntry> {
  const p = toDropboxPath(path);
  if (!p) throw new ConnectorError('invalid_path', 'Cannot write to the root folder');
  const what = `upload ${p}`;
  const commit: files.CommitInfo = {
    path: p,
    mode: options.overwrite ? { '.tag': 'overwrite' } : { '.tag': 'add' },
    autorename: false,
    ...(options.modifiedAt ? { client_modified: dropboxTime(options.modifiedAt) } : {}),
  };
  const chunkSize = Math.min(Math.max(1, settings.chunkSize), MAX_CHUNK);
  const report = (s: UploadSession) => options.onSession?.({ ...s });

  const resume = options.session?.id ? options.session : null;
  if (resume) {
    try {
      const meta = await sendAndFinish(client, source, resume, chunkSize, commit, what, report);
      return verify(meta, p, resume.size >= 0 ? resume.size : meta.size, options.size);
    } catch (err) {
      // The session is gone: either an earlier attempt finished it (the file is there) or it expired.
      if (!(err instanceof ConnectorError) || err.kind !== 'not_found') throw err;
      const landed = await findDropbox(client, p);
      if (landed?.type === 'file' && landed.size === resume.size) return landed;
      throw new ConnectorError(
        'not_found',
        `${what}: the upload session no longer exists; start the upload over`,
      );
    }
  }

  const known = options.size;
  const small = await readSmallBody(source, known, settings.resumableThreshold, p);
  if (small) {
    const hash = hashOf(small);
    const meta = await client.call(what, (api) =>
      api.filesUpload({ ...commit, contents: small, content_hash: hash }),
    );
    return verify(meta, p, small.length, known, hash);
  }

  // Large: fail before sending anything when the target is taken (mode add would only say so at the end).
  if (!options.overwrite) {
    // What the caller's listing found at the name spares the lookup (WriteOptions.existing).
    const existing = options.existing === undefined ? await findDropbox(client, p) : options.existing;
    if (existing) {
      throw new ConnectorError(
        existing.type === 'folder' ? 'wrong_type' : 'already_exists',
        `${p} already exists`,
      );
    }
  }
  const hasher = createHasher('dropbox_content_hash');
  const first = (await source.next(chunkSize))!;
  const id = await startSession(client, first, what);
  hasher.update(first);
  const session: UploadSession = { service: 'dropbox', id, offset: first.length, size: known ?? -1 };
  report(session);
  const meta = await sendAndFinish(client, source, session, chunkSize, commit, what, report, hasher);
  return verify(meta, p, meta.size, known, hasher.digest());
}

export const writeDropbox = readingStream(write);
