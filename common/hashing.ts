// Hashes computed on the fly while bytes stream through a copy, in each service's own algorithm.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { QuickXorHash } from './quickxor';

/** The hashes services report (connectors name theirs in ConnectorFeatures.hashes). */
export type HashAlgorithm = 'md5' | 'sha1' | 'sha256' | 'quickxor' | 'dropbox_content_hash';

export interface Hasher {
  update(data: Uint8Array): void;
  /** The final value: hex for md5/sha1/sha256/dropbox_content_hash, base64 for quickxor. Call once. */
  digest(): string;
}

/** Dropbox block size for content_hash: 4 MiB. */
export const DROPBOX_BLOCK_SIZE = 4 * 1024 * 1024;

/** Dropbox content_hash: SHA-256 of the concatenated SHA-256 digests of each 4 MiB block, hex. */
class DropboxContentHash implements Hasher {
  private readonly overall = createHash('sha256');
  private block: Hash | null = null;
  private blockBytes = 0;

  update(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      this.block ??= createHash('sha256');
      const take = Math.min(DROPBOX_BLOCK_SIZE - this.blockBytes, data.length - offset);
      this.block.update(data.subarray(offset, offset + take));
      this.blockBytes += take;
      offset += take;
      if (this.blockBytes === DROPBOX_BLOCK_SIZE) this.finishBlock();
    }
  }

  digest(): string {
    if (this.block) this.finishBlock();
    return this.overall.digest('hex');
  }

  private finishBlock(): void {
    this.overall.update(this.block!.digest());
    this.block = null;
    this.blockBytes = 0;
  }
}

const NODE_ALGORITHMS = { md5: 'md5', sha1: 'sha1', sha256: 'sha256' } as const;

export function createHasher(alg: HashAlgorithm): Hasher {
  switch (alg) {
    case 'md5':
    case 'sha1':
    case 'sha256': {
      const hash = createHash(NODE_ALGORITHMS[alg]);
      return { update: (data) => void hash.update(data), digest: () => hash.digest('hex') };
    }
    case 'quickxor': {
      const hash = new QuickXorHash();
      return { update: (data) => void hash.update(data), digest: () => hash.digest() };
    }
    case 'dropbox_content_hash':
      return new DropboxContentHash();
    default:
      throw new Error(`Unknown hash algorithm: ${String(alg)}`);
  }
}

/**
 * Passes bytes through unchanged while counting them and hashing them in each requested algorithm.
 * `bytes` is live; `digest(alg)` is available once the stream has finished.
 */
export class HashingPassThrough extends Transform {
  bytes = 0;
  private readonly hashers = new Map<HashAlgorithm, Hasher>();
  private readonly digests = new Map<HashAlgorithm, string>();
  private finished = false;

  constructor(algorithms: readonly HashAlgorithm[] = []) {
    super();
    for (const alg of algorithms) this.hashers.set(alg, createHasher(alg));
  }

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, callback: TransformCallback): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    this.bytes += buf.length;
    for (const hasher of this.hashers.values()) hasher.update(buf);
    callback(null, buf);
  }

  override _flush(callback: TransformCallback): void {
    for (const [alg, hasher] of this.hashers) this.digests.set(alg, hasher.digest());
    this.finished = true;
    callback();
  }

  /** The digest of everything that passed through; throws before the stream has finished. */
  digest(alg: HashAlgorithm): string {
    if (!this.finished) throw new Error('HashingPassThrough.digest() called before the stream finished');
    const value = this.digests.get(alg);
    if (value === undefined) throw new Error(`HashingPassThrough was not asked to compute ${alg}`);
    return value;
  }
}
