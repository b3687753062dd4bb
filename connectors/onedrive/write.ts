// Writing a file: small ones (below `resumableThreshold`) in one simple PUT …/content, larger ones
// through an upload session in 320 KiB-multiple fragments, holding one fragment in memory. Conflicts
// are decided by Graph's conflictBehavior ("fail" unless overwriting), so a retried create never
// makes a second item (names are unique, case-insensitively).
import type { UploadSession } from '../cloud';
import { type ChunkReader, readingStream, readSmallBody, type UploadSettings } from '../chunks';
import { spool } from '../spool';
import { ConnectorError, type FileEntry, type WriteOptions } from '../types';
import type { GraphClient } from './client';
import {
  checkName,
  childAddress,
  type GraphItem,
  isFolder,
  itemAddress,
  joinPath,
  parsePath,
  toEntry,
} from './entries';
import { findChild, getFolder } from './resolve';
import { sendFragments, sessionOffset } from './session';

function checkSize(item: GraphItem, expected: number, path: string): FileEntry {
  if (item.size !== expected) {
    throw new ConnectorError(
      'fatal_file',
      `${path}: OneDrive stored ${item.size} bytes, ${expected} were sent`,
    );
  }
  return toEntry(item, path);
}

async function write(
  client: GraphClient,
  settings: UploadSettings,
  path: string,
  reader: ChunkReader,
  options: WriteOptions,
): Promise<FileEntry> {
  const segments = parsePath(path);
  const name = segments[segments.length - 1];
  if (!name) throw new ConnectorError('invalid_path', 'Cannot write to the root folder');
  const canonical = joinPath(segments);
  checkName(name, canonical);

  if (options.session?.url) return resume(client, settings, reader, options.session, canonical, options);

  // What the caller's listing found at the name spares the lookups (WriteOptions.existing): the file
  // is addressed by its path, and Graph's conflictBehavior still refuses a name taken meanwhile.
  const told = options.existing !== undefined;
  const parent = told ? null : await getFolder(client, segments.slice(0, -1));
  const found = parent && (await findChild(client, parent.id, name));
  const existing = told ? options.existing : found && { type: isFolder(found) ? 'folder' : 'file' };
  if (existing?.type === 'folder') throw new ConnectorError('wrong_type', `${canonical} is a folder`);
  if (existing && !options.overwrite)
    throw new ConnectorError('already_exists', `${canonical} already exists`);
  const conflictBehavior = options.overwrite ? 'replace' : 'fail';
  const address = parent ? childAddress(parent.id, name) : itemAddress(segments);

  const known = options.size;
  const small = await readSmallBody(reader, known, settings.resumableThreshold, canonical);
  if (small) {
    const item = await client.call(
      `upload ${canonical}`,
      () =>
        client
          .api(`${address}/content`)
          .query({ '@microsoft.graph.conflictBehavior': conflictBehavior })
          .header('Content-Type', 'application/octet-stream')
          .put(small) as Promise<GraphItem>,
    );
    return checkSize(item, small.length, canonical);
  }
  if (known === undefined) {
    // Graph needs the total size in every fragment's Content-Range (e.g. a Google Doc's export).
    const spooled = await spool(reader);
    try {
      return await write(client, settings, path, spooled.reader, { ...options, size: spooled.size });
    } finally {
      await spooled.cleanup();
    }
  }

  const created = await client.call(
    `start upload ${canonical}`,
    () =>
      client.api(`${address}/createUploadSession`).post({
        item: { '@microsoft.graph.conflictBehavior': conflictBehavior },
      }) as Promise<{ uploadUrl: string }>,
  );
  const session: UploadSession = { service: 'onedrive', url: created.uploadUrl, offset: 0, size: known };
  options.onSession?.(session);
  const item = await sendFragments(reader, session, settings.chunkSize, options.onSession);
  return checkSize(item, known, canonical);
}

async function resume(
  client: GraphClient,
  settings: UploadSettings,
  reader: ChunkReader,
  session: UploadSession,
  canonical: string,
  options: WriteOptions,
): Promise<FileEntry> {
  let offset: number;
  try {
    offset = await sessionOffset(session);
  } catch (err) {
    if (!(err instanceof ConnectorError && err.kind === 'not_found')) throw err;
    // The session is gone: completed by a last fragment whose answer was lost, or expired.
    const landed = await findLanded(client, canonical);
    if (landed && landed.size === session.size) return toEntry(landed, canonical);
    throw new ConnectorError(
      'fatal_file',
      `${canonical}: the upload session expired or was cancelled; the copy must start over`,
    );
  }
  if (offset < session.offset) {
    throw new ConnectorError('fatal_file', `${canonical}: OneDrive holds fewer bytes than the session said`);
  }
  await reader.skip(offset - session.offset);
  const item = await sendFragments(reader, { ...session, offset }, settings.chunkSize, options.onSession);
  return checkSize(item, session.size, canonical);
}

async function findLanded(client: GraphClient, path: string): Promise<GraphItem | null> {
  const segments = parsePath(path);
  const parent = await getFolder(client, segments.slice(0, -1));
  return findChild(client, parent.id, segments[segments.length - 1]!);
}

export const writeOneDrive = readingStream(write);
