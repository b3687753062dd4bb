// Dropbox upload sessions: start, append_v2 per chunk, finish with the commit. Each chunk is one request
// (Dropbox allows at most 150 MiB per request); the committed offset is reported after every chunk so a
// later write can resume. A cursor at the wrong offset answers incorrect_offset with correct_offset:
// when the service already has more bytes than we thought, the surplus is dropped and the rest sent.
import type { files } from 'dropbox';
import type { UploadSession } from '../cloud';
import type { ChunkReader } from '../chunks';
import { ConnectorError } from '../types';
import type { DropboxClient } from './client';
import { isFailure } from './errors';

export const MAX_CHUNK = 150 * 1024 * 1024;

/** The correct_offset of an incorrect_offset answer (append_v2 or finish), if that is what `err` is. */
function correctOffset(err: unknown): number | undefined {
  const cause = (err as { cause?: unknown }).cause ?? err;
  if (!isFailure(cause) || cause.status !== 409) return undefined;
  const e = (
    cause.error as { error?: { correct_offset?: number; lookup_failed?: { correct_offset?: number } } }
  )?.error;
  return e?.correct_offset ?? e?.lookup_failed?.correct_offset;
}

export async function startSession(client: DropboxClient, first: Buffer, what: string): Promise<string> {
  const res = await client.call(what, (api) =>
    api.filesUploadSessionStart({ close: false, contents: first }),
  );
  return res.session_id;
}

/**
 * Appends the rest of `source` to the session from `session.offset`, then commits it. `onChunk` hears
 * of every committed offset. `hasher` (when given) sees every byte sent.
 */
export async function sendAndFinish(
  client: DropboxClient,
  source: ChunkReader,
  session: UploadSession,
  chunkSize: number,
  commit: files.CommitInfo,
  what: string,
  onChunk: (s: UploadSession) => void,
  hasher?: { update(b: Buffer): void },
): Promise<files.FileMetadata> {
  let offset = session.offset;
  const sessionId = session.id!;
  for (let chunk = await source.next(chunkSize); chunk; chunk = await source.next(chunkSize)) {
    try {
      await client.call(what, (api) =>
        api.filesUploadSessionAppendV2({
          cursor: { session_id: sessionId, offset },
          close: false,
          contents: chunk,
        }),
      );
    } catch (err) {
      const correct = correctOffset(err);
      if (correct === undefined) throw err;
      if (correct < offset) {
        throw new ConnectorError(
          'fatal_file',
          `${what}: Dropbox holds ${correct} bytes, the upload is at ${offset}`,
        );
      }
      // The service already has bytes we meant to send: drop them (they pass through the hasher) and
      // go on from where it is.
      const surplus = chunk.subarray(0, correct - offset);
      hasher?.update(surplus);
      source.unshift(chunk.subarray(surplus.length));
      for (let left = correct - offset - surplus.length; left > 0;) {
        const skipped = await source.next(Math.min(left, chunkSize));
        if (!skipped) break;
        hasher?.update(skipped);
        left -= skipped.length;
      }
      offset = correct;
      onChunk({ ...session, offset });
      continue;
    }
    hasher?.update(chunk);
    offset += chunk.length;
    onChunk({ ...session, offset });
  }
  return client.call(what, (api) =>
    api.filesUploadSessionFinish({
      cursor: { session_id: sessionId, offset },
      commit,
      contents: Buffer.alloc(0),
    }),
  );
}
