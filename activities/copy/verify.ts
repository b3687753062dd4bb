// Verification of a copy (the `verify` option). `checksum`: the bytes read are hashed on the fly by a
// pass-through stream (nothing is buffered) and compared with the hash of the file written — the one
// the destination keeps in its own algorithm (MD5, quickXorHash, Dropbox content_hash), or, for a
// destination that keeps none (`local`), the SHA-256 its write answers with, which it computes from
// the bytes the file holds. `size`: byte counts only. `none`: nothing.
//
// The hashing tap runs on the event loop and is done with a chunk when it passes it on (a local
// destination hands its chunks back to the source's buffer pool once written).
//
// A resumed upload into a destination that keeps hashes reads the source again from byte 0, so the
// hash covers the whole file. One into a destination that keeps none (a local partial file) reads
// only the rest, as the source may be a cloud file: it is checked by size, the part written before
// the resume having been fsynced before its offset was reported.
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { createHasher, type Hasher } from '../../common/hashing';
import type { Connector, FileEntry, HashAlgorithm } from '../../connectors/types';
import type { VerifyPolicy } from '../../contract';

/** The destination holds something other than what was read: written again, then failed. */
export class VerificationError extends Error {
  override name = 'VerificationError';
}

export interface Verification {
  /** Where to read the source from to resume an upload at `offset`: 0 when the prefix must be hashed. */
  readFrom(offset: number): number;
  /**
   * The source stream (which starts at byte `from`) as the destination gets it: hashed on the way,
   * and starting at byte `sendFrom`. Each call starts a new count (a new attempt).
   */
  tap(input: Readable, from?: number, sendFrom?: number): Readable;
  /** Throws VerificationError when the written file does not match what was read. */
  check(written: FileEntry): Promise<void>;
}

export interface VerifyTarget {
  policy: VerifyPolicy;
  destination: Connector;
  /** The source's size when known (a document's export has none until read). */
  expectedSize: number | null;
  /** Reads the whole source again: for an upload that completed without reading the stream. */
  reread(): Promise<Readable>;
}

/** What a destination that keeps no hashes reports for the file its write stored (connectors/local). */
const WRITTEN_HASH: HashAlgorithm = 'sha256';

export function startVerification(target: VerifyTarget): Verification {
  const { policy, destination } = target;
  const kept = destination.features.hashes[0];
  const algorithm: HashAlgorithm | undefined = policy === 'checksum' ? (kept ?? WRITTEN_HASH) : undefined;
  let tapped: HashingTap | null = null;
  let base = 0;

  /** Bytes read and their digest: from the tap, or (if the write did not read them) the source again. */
  const measured = async (stored: number | null): Promise<{ bytes: number; digest?: string }> => {
    if (tapped && (tapped.ended || base + tapped.bytes >= (stored ?? Infinity))) {
      if (!algorithm) return { bytes: base + tapped.bytes };
      if (base === 0) return { bytes: tapped.bytes, digest: tapped.digest() };
      // A resumed write into a destination that keeps no hashes: by size (see the top of this file).
      if (!kept) return { bytes: base + tapped.bytes };
    }
    if (!algorithm && target.expectedSize !== null) return { bytes: target.expectedSize };
    return hashAll(await target.reread(), algorithm);
  };

  return {
    readFrom: (offset) => (algorithm && kept ? 0 : offset),

    tap(input, from = 0, sendFrom = from) {
      const skip = sendFrom - from;
      if (policy === 'none') return skip > 0 ? pipeline(input, dropFirst(skip), noop) : input;
      base = from;
      tapped = new HashingTap(algorithm);
      // Errors reach the destination through the last stream; the callback only keeps them handled.
      return skip > 0 ? pipeline(input, tapped, dropFirst(skip), noop) : pipeline(input, tapped, noop);
    },

    async check(written) {
      if (policy === 'none') return;
      const entry = written.size === null ? await destination.stat(written.path) : written;
      const read = await measured(entry.size);
      if (entry.size !== read.bytes) {
        throw new VerificationError(`size mismatch: destination has ${entry.size} bytes, read ${read.bytes}`);
      }
      if (!algorithm || !read.digest) return;
      const reported = await reportedHash(destination, entry, algorithm);
      // A service that keeps no hash for this file (none reported even on a second look): size only.
      if (reported === null) return;
      if (!sameHash(algorithm, reported, read.digest)) {
        throw new VerificationError(
          `checksum mismatch: destination ${algorithm} ${reported}, read ${read.digest}`,
        );
      }
    },
  };
}

/**
 * Passes bytes through unchanged, counting and hashing them. The digest is available at any time: a
 * connector may stop reading after the announced size without waiting for the end of the stream.
 */
class HashingTap extends Transform {
  bytes = 0;
  ended = false;
  private readonly hasher: Hasher | null;

  constructor(algorithm?: HashAlgorithm) {
    super();
    this.hasher = algorithm ? createHasher(algorithm) : null;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hasher?.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.ended = true;
    callback();
  }

  digest(): string | undefined {
    return this.hasher?.digest();
  }
}

/** The hash the destination reports for the written file, looking it up once if the write had none. */
async function reportedHash(
  destination: Connector,
  written: FileEntry,
  algorithm: HashAlgorithm,
): Promise<string | null> {
  if (written.checksum?.algorithm === algorithm) return written.checksum.value;
  const entry = await destination.stat(written.path);
  return entry.checksum?.algorithm === algorithm ? entry.checksum.value : null;
}

/** Hex digests compare case-insensitively; quickXorHash is base64 and compares exactly. */
const sameHash = (algorithm: HashAlgorithm, a: string, b: string): boolean =>
  algorithm === 'quickxor' ? a === b : a.toLowerCase() === b.toLowerCase();

async function hashAll(
  input: Readable,
  algorithm?: HashAlgorithm,
): Promise<{ bytes: number; digest?: string }> {
  const hasher = algorithm ? createHasher(algorithm) : null;
  let bytes = 0;
  try {
    for await (const chunk of input) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      bytes += buf.length;
      hasher?.update(buf);
    }
  } finally {
    input.destroy();
  }
  return { bytes, digest: hasher?.digest() };
}

/** Drops the first `n` bytes (the part of a resumed upload the destination already holds). */
function dropFirst(n: number): Transform {
  let left = n;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      if (left >= chunk.length) {
        left -= chunk.length;
        return callback();
      }
      const rest = left > 0 ? chunk.subarray(left) : chunk;
      left = 0;
      callback(null, rest);
    },
  });
}

const noop = () => undefined;
