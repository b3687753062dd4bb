// The hash of what a local write stored, reported in its answer (FileEntry.checksum): a copy that
// verifies by checksum compares it with the hash of the bytes it read from the source. The bytes are
// read back from the file itself (the page cache), so what is compared is what the file holds, not
// what was handed to write(2) — rclone hashes the latter. Large files are read back on the hashing
// thread, right behind the writes (a resumed file from byte 0, the part an earlier attempt wrote
// included); small ones in one read once written, here (a thread hop would cost more than hashing).
import { createHash } from 'node:crypto';
import { hashGrowingFile } from '../../common/hashing-thread';
import type { Checksum } from '../types';
import type { FsCalls } from './fs-calls';
import type { OpenPartial } from './partial';

/** SHA-256: stronger than MD5, and faster where the CPU has SHA extensions (x86 since 2017, ARMv8). */
export const STORED_HASH = 'sha256' as const;
/** Files from this size (or of unknown size, or resumed) are read back on the hashing thread. */
const THREAD_FROM_BYTES = 4 * 1024 * 1024;

export interface StoredHash {
  /** The file now holds its bytes up to `end`. */
  wrote(end: number): void;
  /** The hash of the file's `end` bytes, once it is complete. */
  checksum(end: number): Promise<Checksum>;
  /** The write failed: nothing more to hash. */
  abort(): void;
}

export function storedHash(
  calls: FsCalls,
  opened: OpenPartial & { path: string },
  size?: number,
): StoredHash {
  if (opened.start === 0 && size !== undefined && size < THREAD_FROM_BYTES) {
    return {
      wrote: () => undefined,
      async checksum(end) {
        const bytes = await calls.readSmall(opened.fd, end, 0);
        if (bytes.length !== end)
          throw new Error(`the file holds ${bytes.length} bytes, ${end} were written`);
        return { algorithm: STORED_HASH, value: createHash(STORED_HASH).update(bytes).digest('hex') };
      },
      abort: () => undefined,
    };
  }
  const job = hashGrowingFile(opened.path, opened.ino, STORED_HASH);
  return {
    wrote: (end) => job.upTo(end),
    checksum: async (end) => ({ algorithm: STORED_HASH, value: await job.finish(end) }),
    abort: () => job.abort(),
  };
}
