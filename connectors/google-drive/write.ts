// Writing a file. Creates use an id from files.generateIds, reported in the upload session before the
// first byte goes out, so a retried write with that session finds its own file instead of making a
// second one of the same name (Drive would allow it). Small files go up as one multipart request;
// from `resumableThreshold` on (or of unknown size), through a resumable session in chunks.
import { Readable } from 'node:stream';
import type { drive_v3 } from '@googleapis/drive';
import type { UploadSession } from '../cloud';
import { ConnectorError, type FileEntry, type WriteOptions } from '../types';
import { type ChunkReader, readingStream, readSmallBody, type UploadSettings } from '../chunks';
import type { DriveClient } from './client';
import { FILE_FIELDS, FOLDER_MIME, isFolder, joinPath, parsePath, toEntry } from './entries';
import { findChild, getFile, resolveFolder } from './resolve';
import { querySession, sendChunks, startSession } from './resumable';

/**
 * Ids are generated ahead, many per request (files.generateIds takes a count up to 1,000), and kept per
 * client: a connector lives for one activity, and an id never used is simply never used.
 */
const ID_BATCH = 100;
const idPools = new WeakMap<DriveClient, { ids: string[]; refill?: Promise<void> }>();

export async function generateId(client: DriveClient): Promise<string> {
  let pool = idPools.get(client);
  if (!pool) idPools.set(client, (pool = { ids: [] }));
  while (pool.ids.length === 0) {
    const p = pool;
    p.refill ??= generateIds(client, ID_BATCH)
      .then((ids) => void p.ids.push(...ids))
      .finally(() => (p.refill = undefined));
    await p.refill;
  }
  return pool.ids.shift()!;
}

async function generateIds(client: DriveClient, count: number): Promise<string[]> {
  const res = await client.call('generate ids', (o) =>
    client.api.files.generateIds({ count, space: 'drive' }, o),
  );
  const ids = res.data.ids ?? [];
  if (ids.length === 0) throw new ConnectorError('retryable', 'Drive generated no id');
  return ids;
}

async function getById(client: DriveClient, id: string): Promise<drive_v3.Schema$File | null> {
  try {
    return await getFile(client, id);
  } catch (err) {
    if (err instanceof ConnectorError && err.kind === 'not_found') return null;
    throw err;
  }
}

function checkSize(
  file: drive_v3.Schema$File,
  expected: number | undefined,
  sent: number,
  path: string,
): void {
  const size = Number(file.size ?? -1);
  if (size !== sent || (expected !== undefined && size !== expected)) {
    throw new ConnectorError('fatal_file', `${path}: Drive stored ${size} bytes, ${sent} were sent`);
  }
}

async function write(
  client: DriveClient,
  settings: UploadSettings,
  path: string,
  reader: ChunkReader,
  options: WriteOptions,
): Promise<FileEntry> {
  const segments = parsePath(path);
  const name = segments[segments.length - 1];
  if (!name) throw new ConnectorError('invalid_path', 'Cannot write to the root folder');
  const canonical = joinPath(segments);
  const session = options.session ?? null;

  if (session?.url) {
    // Resume: the service says how far it got; the stream starts at session.offset.
    const state = await querySession(client, session);
    if (state.done) {
      checkSize(state.file, options.size, Number(state.file.size), canonical);
      return toEntry(state.file, canonical);
    }
    if (state.offset < session.offset) {
      throw new ConnectorError('fatal_file', `${canonical}: Drive holds fewer bytes than the session said`);
    }
    await reader.skip(state.offset - session.offset);
    const resumed = { ...session, offset: state.offset };
    const file = await sendChunks(client, reader, resumed, chunkSizeOf(settings), options.onSession);
    if (session.size >= 0) checkSize(file, options.size, session.size, canonical);
    return toEntry(file, canonical);
  }
  if (session?.id) {
    // A multipart create that may have landed before the caller lost track of it.
    const landed = await getById(client, session.id);
    if (landed && Number(landed.size) === session.size) return toEntry(landed, canonical);
  }

  const parent: drive_v3.Schema$File = options.folderId
    ? { id: options.folderId, mimeType: FOLDER_MIME }
    : await resolveFolder(client, segments.slice(0, -1));
  // What the caller's listing found at the name spares the lookup (WriteOptions.existing).
  const existing =
    options.existing === undefined ? await findChild(client, parent.id!, name) : told(options.existing);
  if (existing && isFolder(existing)) throw new ConnectorError('wrong_type', `${canonical} is a folder`);
  if (existing && !options.overwrite)
    throw new ConnectorError('already_exists', `${canonical} already exists`);

  // Below the threshold (read ahead to decide when the size is unknown): one multipart request.
  const chunkSize = chunkSizeOf(settings);
  const known = options.size;
  const small = await readSmallBody(reader, known, settings.resumableThreshold, canonical);
  const metadata: drive_v3.Schema$File = {
    name,
    parents: [parent.id!],
    ...(options.modifiedAt ? { modifiedTime: options.modifiedAt } : {}),
  };

  if (small) {
    const file = await multipart(client, existing, metadata, small, options);
    checkSize(file, known, small.length, canonical);
    return toEntry(file, canonical);
  }

  const id = existing?.id ?? (await generateId(client));
  const url = await startSession(
    client,
    existing
      ? {
          existingId: existing.id!,
          metadata: metadata.modifiedTime ? { modifiedTime: metadata.modifiedTime } : {},
        }
      : { metadata: { ...metadata, id } },
    options.size,
  );
  const fresh: UploadSession = { service: 'google_drive', url, id, offset: 0, size: options.size ?? -1 };
  options.onSession?.(fresh);
  const file = await sendChunks(client, reader, fresh, chunkSize, options.onSession);
  if (options.size !== undefined) checkSize(file, options.size, options.size, canonical);
  return toEntry(file, canonical);
}

const told = (e: WriteOptions['existing']): drive_v3.Schema$File | null =>
  e ? { id: e.id, mimeType: e.type === 'folder' ? FOLDER_MIME : null } : null;

const chunkSizeOf = (s: UploadSettings): number =>
  Math.max(1, Math.round(s.chunkSize / (256 * 1024))) * 256 * 1024;

async function multipart(
  client: DriveClient,
  existing: drive_v3.Schema$File | null,
  metadata: drive_v3.Schema$File,
  body: Buffer,
  options: WriteOptions,
): Promise<drive_v3.Schema$File> {
  const media = () => ({ mimeType: 'application/octet-stream', body: Readable.from([body]) });
  if (existing) {
    const res = await client.call('update ' + (metadata.name ?? ''), (o) =>
      client.api.files.update(
        {
          fileId: existing.id!,
          fields: FILE_FIELDS,
          requestBody: metadata.modifiedTime ? { modifiedTime: metadata.modifiedTime } : {},
          media: media(),
        },
        o,
      ),
    );
    return res.data;
  }
  const id = await generateId(client);
  options.onSession?.({ service: 'google_drive', id, offset: 0, size: body.length });
  try {
    const res = await client.call('create ' + (metadata.name ?? ''), (o) =>
      client.api.files.create({ fields: FILE_FIELDS, requestBody: { ...metadata, id }, media: media() }, o),
    );
    return res.data;
  } catch (err) {
    // 409: an earlier attempt with this id already made the file.
    const landed =
      err instanceof ConnectorError && err.kind === 'already_exists' ? await getById(client, id) : null;
    if (landed) return landed;
    throw err;
  }
}

export const writeDrive = readingStream(write);
