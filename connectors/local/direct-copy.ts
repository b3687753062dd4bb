// Copies small files between two `local` connections on the copy threads (copy-threads.ts), without
// a stream, a promise or a realpath per file. Each folder is resolved and checked inside its root
// once per call, as the connector's every call does per file (paths.ts); the threads check again,
// at each chunk, that its realpath has not changed. Durability as the connector's own writes: the
// data on the thread before the name (unless LOCAL_FSYNC=off), the folder through Durability.named
// before the file is reported — at the next flush (`batch`), or at once (`file`: once per folder and
// chunk rather than per file, still before any of them is reported).
import { ConnectorError } from '../types';
import { COPY_THREAD_MAX_BYTES, runOnCopyThread, type CopyChunk } from './copy-threads';
import type { DirectCopyOptions, DirectFile, DirectResult, LocalDirect } from './direct';
import { PARTIAL_PREFIX, partialName } from './partial';
import { parseConnectorPath } from './paths';

export const DIRECT_MAX_BYTES = COPY_THREAD_MAX_BYTES;
/** Files per message to a thread: a batch of 100 is shared by two threads, a message costs little. */
const CHUNK_FILES = 64;

const OTHER: DirectResult = { retry: 'other' };
const TAKEN: DirectResult = { retry: 'taken' };

/** A file placed: its folders (by index in the folders list) and names. */
interface Placed {
  index: number;
  from: number;
  name: string;
  to: number;
  target: string;
  size: number;
  mtime: number | null;
}

export async function copySmallFiles(
  source: LocalDirect,
  destination: LocalDirect,
  files: DirectFile[],
  options: DirectCopyOptions,
  threads: number,
): Promise<void> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const stop = () => Atomics.store(flag, 0, 1);
  options.signal.addEventListener('abort', stop, { once: true });
  if (options.signal.aborted) stop();
  try {
    const { folders, placed } = await place(source, destination, files, options);
    const base = {
      flag,
      verify: options.verify,
      syncData: destination.fsync !== 'off',
      folders,
    };
    const chunks: Placed[][] = [];
    for (let i = 0; i < placed.length; i += CHUNK_FILES) chunks.push(placed.slice(i, i + CHUNK_FILES));
    // Every chunk settles before this call does, so no result comes after it (a failed thread's files
    // get none: the caller fails, and its retry looks at what is there).
    const settled = await Promise.allSettled(
      chunks.map(async (chunk) => {
        const results = await runOnCopyThread(
          { ...base, files: chunk.flatMap(fields) },
          threads,
          options.tenant,
        );
        await settle(destination, folders, chunk, results, options);
      }),
    );
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
  } finally {
    options.signal.removeEventListener('abort', stop);
  }
}

/** A file's fields in a thread's message, in copy-thread.ts's order. */
const fields = (p: Placed): CopyChunk['files'] => [
  p.from,
  p.name,
  p.to,
  p.target,
  partialName(p.target),
  p.size,
  p.mtime,
];

/**
 * Resolves each file's folders, once per folder. A file whose path or folder does not resolve, or
 * that the usual write would refuse, is answered `other` at once: the usual path tells why.
 */
async function place(
  source: LocalDirect,
  destination: LocalDirect,
  files: DirectFile[],
  options: DirectCopyOptions,
): Promise<{ folders: string[]; placed: Placed[] }> {
  const resolving = new Map<string, Promise<string | undefined>>();
  const folderOf = (side: LocalDirect, segments: string[]) => {
    const key = `${side === source ? 's' : 'd'}/${segments.join('/')}`;
    let real = resolving.get(key);
    if (!real) resolving.set(key, (real = side.folder(segments).catch(() => undefined)));
    return real;
  };
  const split = files.map((file) => {
    try {
      const from = parseConnectorPath(file.source);
      const to = parseConnectorPath(file.destination);
      const mtime = file.modifiedAt === null ? null : Date.parse(file.modifiedAt);
      if (from.length === 0 || to.length === 0 || Number.isNaN(mtime)) return undefined;
      if (to[to.length - 1].startsWith(PARTIAL_PREFIX) || !(file.size < DIRECT_MAX_BYTES)) return undefined;
      return { from, to, mtime };
    } catch (err) {
      if (err instanceof ConnectorError) return undefined;
      throw err;
    }
  });
  const reals = await Promise.all(
    split.map((s) =>
      s ? Promise.all([folderOf(source, s.from.slice(0, -1)), folderOf(destination, s.to.slice(0, -1))]) : [],
    ),
  );
  const folders: string[] = [];
  const indexOf = new Map<string, number>();
  const numbered = (real: string) => {
    let n = indexOf.get(real);
    if (n === undefined) indexOf.set(real, (n = folders.push(real) - 1));
    return n;
  };
  const placed: Placed[] = [];
  split.forEach((s, index) => {
    const [fromReal, toReal] = reals[index];
    if (!s || !fromReal || !toReal) return options.onResult(index, OTHER);
    placed.push({
      index,
      from: numbered(fromReal),
      name: s.from[s.from.length - 1],
      to: numbered(toReal),
      target: s.to[s.to.length - 1],
      size: files[index].size,
      mtime: s.mtime,
    });
  });
  return { folders, placed };
}

/** Answers a chunk's results, once the destination's folders know of the names copied into them. */
async function settle(
  destination: LocalDirect,
  folders: string[],
  chunk: Placed[],
  results: string[],
  options: DirectCopyOptions,
): Promise<void> {
  const named = new Set<number>();
  chunk.forEach((p, k) => results[k] === 'ok' && named.add(p.to));
  for (const to of named) await destination.named(folders[to]);
  chunk.forEach((p, k) => {
    const result = results[k];
    options.onResult(
      p.index,
      result === 'ok' ? { copied: p.size } : result === 'EEXIST at link' ? TAKEN : OTHER,
    );
  });
}
