// One transfer of a file's bytes: the source's read stream, through the verification tap, straight
// into the destination's write; nothing is buffered whole. Large files go through large.ts,
// which keeps their upload session so a later attempt resumes mid-file.
import { abortingRequests } from '../../connectors/http';
import type { FileEntry, WriteOptions } from '../../connectors/types';
import type { CopyContext } from './context';
import { copyLarge } from './large';
import { watchProgress } from './progress-watch';
import { startVerification, VerificationError, type Verification } from './verify';
import type { FileTask } from '../../contract';

/** The destination file did not match what was read; `path` is where it was written. */
export class TransferMismatch extends VerificationError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/** Writes `task` to `task.destinationPath` and verifies it per `ctx.verify`; returns what was written. */
export async function transfer(ctx: CopyContext, task: FileTask, overwrite: boolean): Promise<FileEntry> {
  const verification = startVerification({
    policy: ctx.verify,
    destination: ctx.destination,
    expectedSize: task.size,
    reread: () => ctx.source.openRead(task.sourcePath, { id: task.sourceId }),
  });
  const options: WriteOptions = {
    overwrite,
    // Unknown for an exported document: counted from what was written.
    size: task.size ?? undefined,
    modifiedAt: task.modifiedAt,
  };
  const written = ctx.session
    ? await copyLarge(ctx, ctx.session, task, (resume, from) =>
        streamFile(ctx, task, { ...options, ...resume }, verification, from),
      )
    : await streamFile(ctx, task, options, verification);
  try {
    await verification.check(written);
  } catch (err) {
    if (err instanceof VerificationError) throw new TransferMismatch(err.message, task.destinationPath);
    throw err;
  }
  return written;
}

/**
 * Streams the source from byte `sendFrom` into the destination (reading from `verification.readFrom`
 * so the part not sent can still be hashed). Cancelling the activity destroys the streams.
 */
export async function streamFile(
  ctx: CopyContext,
  task: FileTask,
  options: WriteOptions,
  verification: Verification,
  sendFrom = 0,
): Promise<FileEntry> {
  const from = verification.readFrom(sendFrom);
  const input = await ctx.source.openRead(task.sourcePath, { id: task.sourceId, start: from });
  // Stream errors surface through the destination's write; never as an unhandled 'error' event.
  input.on('error', () => undefined);
  const abort = () => input.destroy(new Error('Copy cancelled'));
  ctx.signal.addEventListener('abort', abort, { once: true });
  try {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const data = verification.tap(input, from, sendFrom);
    // A cancel or a shutdown also ends the request under way (an upload the service holds unanswered).
    return await abortingRequests(ctx.signal, () =>
      ctx.destination.write(task.destinationPath, ctx.watch ? watchProgress(data, ctx.watch) : data, options),
    );
  } finally {
    ctx.signal.removeEventListener('abort', abort);
    input.destroy();
  }
}
