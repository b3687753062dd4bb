// Graph upload sessions: the uploadUrl takes fragments by plain fetch — it is its own credential and
// Graph says it must not be sent the Authorization header, so the SDK's chain (which adds it) is not
// used. Fragments go in order, each a multiple of 320 KiB except the last; 202 + nextExpectedRanges
// until the last, answered 200/201 with the driveItem.
import type { UploadSession } from '../cloud';
import { ConnectorError } from '../types';
import type { ChunkReader } from '../chunks';
import { connectorFetch } from '../http';
import type { GraphItem } from './entries';
import { classifyGraphError, HttpFailure } from './errors';

export const FRAGMENT_UNIT = 320 * 1024;
/** Graph refuses requests of 60 MiB or more. */
const MAX_FRAGMENT = 60 * 1024 * 1024 - FRAGMENT_UNIT;

export const fragmentSize = (chunkSize: number): number =>
  Math.min(MAX_FRAGMENT, Math.max(1, Math.round(chunkSize / FRAGMENT_UNIT)) * FRAGMENT_UNIT);

async function send(url: string, init: RequestInit, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await connectorFetch(url, init);
  } catch (err) {
    throw classifyGraphError(err, what);
  }
  if (!res.ok) throw classifyGraphError(await HttpFailure.from(res), what);
  return res;
}

/** Where the service's next expected range starts ("12345-" or "12345-67890"). */
const nextStart = (ranges: string[] | undefined): number => Number((ranges?.[0] ?? '0-').split('-')[0]);

/** The session's committed offset, from GET on the uploadUrl. */
export async function sessionOffset(session: UploadSession): Promise<number> {
  const res = await send(session.url!, { method: 'GET' }, 'upload session status');
  const body = (await res.json()) as { nextExpectedRanges?: string[] };
  return nextStart(body.nextExpectedRanges);
}

export async function cancelSession(url: string): Promise<void> {
  await connectorFetch(url, { method: 'DELETE' }).catch(() => undefined);
}

/** Sends the rest of the file from `session.offset`; returns the driveItem the last fragment made. */
export async function sendFragments(
  reader: ChunkReader,
  session: UploadSession,
  chunkSize: number,
  onSession?: (s: UploadSession) => void,
): Promise<GraphItem> {
  const size = session.size;
  let offset = session.offset;
  for (;;) {
    const want = Math.min(fragmentSize(chunkSize), size - offset);
    const chunk = want > 0 ? await reader.next(want) : null;
    if (!chunk || chunk.length !== want) {
      throw new ConnectorError(
        'fatal_file',
        `The source ended at ${offset + (chunk?.length ?? 0)} of ${size} bytes`,
      );
    }
    const end = offset + chunk.length - 1;
    const res = await send(
      session.url!,
      {
        method: 'PUT',
        headers: {
          'Content-Length': String(chunk.length),
          'Content-Range': `bytes ${offset}-${end}/${size}`,
        },
        body: chunk,
      },
      `upload bytes ${offset}-${end}`,
    );
    const body = (await res.json()) as GraphItem & { nextExpectedRanges?: string[] };
    if (res.status === 200 || res.status === 201) return body;
    offset = nextStart(body.nextExpectedRanges);
    if (offset !== end + 1)
      throw new ConnectorError('retryable', `Graph expects byte ${offset} next, not ${end + 1}`);
    onSession?.({ ...session, offset });
  }
}
