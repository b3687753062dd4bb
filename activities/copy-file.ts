// Copies one file between two connectors, streaming: bytes flow from the source's read stream
// straight into the destination's write; nothing is buffered whole.
import { isConnectorError, type Connector } from '../connectors/types';
import type { ConflictPolicy } from '../workflows/definitions';
import type { FileOutcome, FileTask } from './types';

const RETRY_ATTEMPTS = 3;

export interface CopyContext {
  source: Connector;
  destination: Connector;
  conflict: ConflictPolicy;
  signal: AbortSignal;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Copies one file, retrying transient errors a few times. Errors that concern only this file
 * become a `failed` outcome; errors about the connection or that persist are thrown so that the
 * activity fails (and Temporal retries it, skipping files already done).
 */
export async function copyFileWithRetries(ctx: CopyContext, task: FileTask): Promise<FileOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await copyFileOnce(ctx, task);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      if (isConnectorError(err, 'retryable') && attempt < RETRY_ATTEMPTS) {
        await ctx.sleep(err.retryAfterMs ?? 500 * 2 ** attempt);
        continue;
      }
      if (isConnectorError(err) && err.kind !== 'retryable' && err.kind !== 'fatal_connection') {
        return { status: 'failed', reason: describe(err.kind, err.message) };
      }
      throw err;
    }
  }
}

async function copyFileOnce(ctx: CopyContext, task: FileTask): Promise<FileOutcome> {
  const existing = await statOrUndefined(ctx.destination, task.destinationPath);
  if (existing?.type === 'folder') {
    return { status: 'failed', reason: 'A folder with this name exists at the destination' };
  }
  if (existing && ctx.conflict === 'skip')
    return { status: 'skipped', bytes: task.size ?? existing.size ?? 0 };

  const input = await ctx.source.openRead(task.sourcePath);
  // Stream errors surface through the destination's write; never as an unhandled 'error' event.
  input.on('error', () => undefined);
  const abort = () => input.destroy(new Error('Copy cancelled'));
  ctx.signal.addEventListener('abort', abort, { once: true });
  try {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const written = await ctx.destination.write(task.destinationPath, input, {
      overwrite: ctx.conflict === 'overwrite',
      // Unknown for an exported document: counted from what was written.
      size: task.size ?? undefined,
      modifiedAt: task.modifiedAt,
    });
    return { status: 'copied', bytes: written.size ?? task.size ?? 0 };
  } catch (err) {
    // Another attempt (or a concurrent writer) got there first: under `skip` that is a skip.
    if (isConnectorError(err, 'already_exists') && ctx.conflict === 'skip') {
      return { status: 'skipped', bytes: task.size ?? 0 };
    }
    throw err;
  } finally {
    ctx.signal.removeEventListener('abort', abort);
    input.destroy();
  }
}

async function statOrUndefined(connector: Connector, path: string) {
  try {
    return await connector.stat(path);
  } catch (err) {
    if (isConnectorError(err, 'not_found')) return undefined;
    throw err;
  }
}

function describe(kind: string, message: string): string {
  switch (kind) {
    case 'not_found':
      return `The source file no longer exists: ${message}`;
    case 'permission_denied':
      return `Permission denied: ${message}`;
    default:
      return message;
  }
}
