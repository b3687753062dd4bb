// Verified copies into a local folder, through the copy code the activities run: the destination's
// write answers the SHA-256 of the bytes its file holds (read back from the file: on the hashing
// thread for large files, in one read for small ones), so bytes that reach the file altered are
// caught as a mismatch, written again, and failed with both hashes when they never verify.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CopyContext } from '../../activities/copy/context';
import { copyFileWithRetries } from '../../activities/copy/file';
import { createLocalConnector } from '../../connectors/local';
import type { Connector } from '../../connectors/types';
import type { FileTask, VerifyPolicy } from '../../contract';
import { streamOf } from '../connectors/streams';

const MiB = 1024 * 1024;
let tmp: string;
let source: Connector;
let destination: Connector;
let dst: string;

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-verify-local-')));
  fs.mkdirSync(path.join(tmp, 'src'));
  source = createLocalConnector(path.join(tmp, 'src'), [tmp]);
});
beforeEach(() => {
  dst = fs.mkdtempSync(path.join(tmp, 'dst-'));
  destination = createLocalConnector(dst, [tmp]);
});
afterEach(() => jest.restoreAllMocks());
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sourceFile(name: string, size: number): { task: FileTask; bytes: Buffer } {
  const bytes = randomBytes(size);
  fs.writeFileSync(path.join(tmp, 'src', name), bytes);
  return { task: { sourcePath: `/${name}`, destinationPath: `/${name}`, size, modifiedAt: null }, bytes };
}

const context = (verify: VerifyPolicy): CopyContext => ({
  source,
  destination,
  conflict: 'skip',
  verify,
  signal: new AbortController().signal,
  sleep: () => new Promise((r) => setTimeout(r, 5)),
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * The next `times` writes of data (fs.write for streamed files, fs.writeSync for small ones) hand the
 * kernel one flipped byte: the file holds something other than what the copy read.
 */
function corruptWrites(times: number): { count: () => number } {
  let left = times;
  let count = 0;
  const flip = (args: unknown[]) => {
    if (left > 0 && Buffer.isBuffer(args[1]) && typeof args[2] === 'number') {
      left--;
      count++;
      const copy = Buffer.from(args[1]);
      copy[args[2]] ^= 0xff;
      args[1] = copy;
    }
    return args;
  };
  const write = fs.write;
  const writeSync = fs.writeSync;
  jest
    .spyOn(fs, 'write')
    .mockImplementation(((...args: unknown[]) =>
      (write as (...a: unknown[]) => void)(...flip(args))) as typeof fs.write);
  jest
    .spyOn(fs, 'writeSync')
    .mockImplementation(((...args: unknown[]) =>
      (writeSync as (...a: unknown[]) => number)(...flip(args))) as typeof fs.writeSync);
  return { count: () => count };
}

describe('a local destination verifies by SHA-256 of what its file holds', () => {
  it.each([
    ['small', 10 * 1024],
    ['large', 9 * MiB + 123],
  ])('a %s write answers the hash of its file', async (_kind, size) => {
    const bytes = randomBytes(size);
    const entry = await destination.write('/f.bin', streamOf(bytes, MiB), { overwrite: false, size });
    expect(entry.checksum).toEqual({ algorithm: 'sha256', value: sha256(bytes) });
  });

  it.each([
    ['small', 200 * 1024],
    ['large', 6 * MiB],
  ])('a %s file whose bytes reach the file altered is written again', async (_kind, size) => {
    const { task, bytes } = sourceFile(`once-${size}.bin`, size);
    const corrupted = corruptWrites(1);
    expect(await copyFileWithRetries(context('checksum'), task)).toEqual({ status: 'copied', bytes: size });
    expect(corrupted.count()).toBe(1);
    expect(fs.readFileSync(path.join(dst, task.destinationPath)).equals(bytes)).toBe(true);
  });

  it('fails a file that never verifies, naming both hashes, and removes the copy', async () => {
    const { task } = sourceFile('always.bin', 5 * MiB);
    corruptWrites(1_000);
    const outcome = await copyFileWithRetries(context('checksum'), task);
    expect(outcome.status === 'failed' && outcome.reason).toMatch(
      /^checksum mismatch: destination sha256 [0-9a-f]{64}, read [0-9a-f]{64} \(written 3 times; the copy was removed\)$/,
    );
    expect(fs.readdirSync(dst)).toEqual([]);
  });

  it('with verify=size the same corruption goes unnoticed', async () => {
    const { task, bytes } = sourceFile('size.bin', 2 * MiB);
    corruptWrites(1);
    expect(await copyFileWithRetries(context('size'), task)).toEqual({
      status: 'copied',
      bytes: bytes.length,
    });
    expect(fs.readFileSync(path.join(dst, task.destinationPath)).equals(bytes)).toBe(false);
  });
});
