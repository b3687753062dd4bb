// Large files resume after a crash. The destination reports its upload session after every chunk
// it committed; the batch activity heartbeats it, so the next attempt (another worker, after this
// one was killed) reads the source from there and writes with the session instead of sending every
// byte again. A session the service no longer knows (expired, cancelled) means starting over. Only a
// cancelled copy (the user's cancel) or a file that cannot be copied gives its session up, so the
// service drops what it holds; a crash, a worker's shutdown (a deploy) or a heartbeat timeout keeps it.
import type { UploadSession } from '../../connectors/cloud';
import { isConnectorError, type Connector, type FileEntry, type WriteOptions } from '../../connectors/types';
import type { CopyContext, SessionHooks } from './context';
import type { FileTask } from '../../contract';

/** Streams the source from byte `sendFrom` into the destination's write with these options. */
export type Send = (
  options: Pick<WriteOptions, 'session' | 'onSession'>,
  sendFrom: number,
) => Promise<FileEntry>;

export async function copyLarge(
  ctx: CopyContext,
  hooks: SessionHooks,
  task: FileTask,
  stream: Send,
): Promise<FileEntry> {
  const send = (session: UploadSession | null) =>
    stream({ session, onSession: (s) => hooks.save(s) }, session?.offset ?? 0);
  try {
    const previous = usable(hooks.current, task);
    let written: FileEntry;
    if (!previous) {
      written = await send(null);
    } else {
      try {
        written = await send(previous);
      } catch (err) {
        if (hooks.cancelRequested() || !sessionGone(err)) throw err;
        // Expired or cancelled by the service: this attempt starts over with a new session.
        hooks.save(null);
        written = await send(null);
      }
    }
    hooks.save(null);
    return written;
  } catch (err) {
    // Cancelled, or this file cannot be copied: nobody will resume the session. Anything else (a
    // shutdown's or timeout's abort, a network error; a crash never gets here) keeps it.
    if (hooks.cancelRequested() || givesUp(err)) await abandon(ctx.destination, hooks);
    throw err;
  }
}

/** The previous attempt's session, if it belongs to this file. */
function usable(session: UploadSession | null, task: FileTask): UploadSession | null {
  if (!session) return null;
  return task.size === null || session.size < 0 || session.size === task.size ? session : null;
}

/** What a connector throws when it cannot resume a session (see connectors/*\/write.ts). */
const sessionGone = (err: unknown): boolean =>
  isConnectorError(err, 'not_found') || isConnectorError(err, 'fatal_file');

const givesUp = (err: unknown): boolean =>
  isConnectorError(err) && err.kind !== 'retryable' && err.kind !== 'fatal_connection';

async function abandon(destination: Connector, hooks: SessionHooks): Promise<void> {
  const session = hooks.current;
  if (!session) return;
  hooks.save(null);
  // Best effort: the copy's own error (or cancellation) is what the caller must see.
  await destination.abortUpload?.(session).catch(() => undefined);
}
