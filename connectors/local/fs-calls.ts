// The file-system calls of the local connector, in two flavours. Node's promise API sends every call
// through libuv's thread pool: on this project's 2-vCPU benchmark VM that hand-over costs 15–35 µs of
// CPU per call, against 3–4 µs for the same stat(2) made synchronously — more than the copy of a
// small file itself. On a local file system, metadata calls (realpath, stat, opening a file to read,
// link, …) answer from the kernel's caches in microseconds, so there they run synchronously; on
// anything else (NFS, SMB, FUSE and unknown kinds) a call is a network round trip and they stay in
// the pool, so a slow mount never stalls the worker's event loop. A synchronous call that still takes
// longer than SLOW_CALL_MS (a folder on another mount below the root, a disk in trouble) switches
// that connector to the pool for good. Creating a file (which waits for the file system's journal,
// 0.4 ms on average and often more than 1 ms in benchmark 1), reads, writes of data and fsyncs always
// go through the pool.
import fs, { promises as fsp, type Stats } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

export interface FsCalls {
  realpath(path: string): Promise<string>;
  stat(path: string): Promise<Stats>;
  lstat(path: string): Promise<Stats>;
  fstat(fd: number): Promise<Stats>;
  /** Opens an existing file or folder (`flags` as for open(2), without O_CREAT); answers the descriptor. */
  open(path: string, flags: number): Promise<number>;
  /** Creates a file that must not exist yet (O_CREAT | O_EXCL) and opens it for writing (and reading back). */
  create(path: string): Promise<number>;
  close(fd: number): Promise<void>;
  futimes(fd: number, atime: Date, mtime: Date): Promise<void>;
  link(existing: string, created: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Writes a small buffer (into the page cache) at the descriptor's position. */
  writeSmall(fd: number, data: Buffer): Promise<void>;
  /** Reads back up to `length` bytes of a file just written (from the page cache) from `position`. */
  readSmall(fd: number, length: number, position: number): Promise<Buffer>;
}

/** A synchronous call slower than this means the file system is not answering from memory. */
const SLOW_CALL_MS = 20;

const writeAsync = promisify(fs.write);
const closeAsync = promisify(fs.close);
const fstatAsync = promisify(fs.fstat);
const futimesAsync = promisify(fs.futimes);
const openAsync = promisify(fs.open);
const readAsync = promisify(fs.read);

/** Data calls: always through the thread pool (they may wait for the disk). */
export async function writeAll(fd: number, data: Buffer): Promise<void> {
  for (let offset = 0; offset < data.length;) {
    offset += (await writeAsync(fd, data, offset, data.length - offset)).bytesWritten;
  }
}
/**
 * Writes all of `data` at `position`. Through `fs.write` as it is at call time (tests spy on it), with
 * a callback rather than a promise: one hop through the pool per MiB, nothing else.
 */
export function writeAt(fd: number, data: Buffer, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = (offset: number) =>
      fs.write(fd, data, offset, data.length - offset, position + offset, (err, written) => {
        if (err) return reject(err);
        if (written === 0) return reject(new Error(`write(2) took nothing at byte ${position + offset}`));
        if (offset + written < data.length) return next(offset + written);
        resolve();
      });
    if (data.length > 0) next(0);
    else resolve();
  });
}
export const fsyncFd = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));
/** Reads up to `length` bytes from `position` (the source may be cold on disk); answers what was read. */
export async function readAt(fd: number, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await readAsync(fd, buffer, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buffer : buffer.subarray(0, got);
}

export const pooledCalls: FsCalls = {
  realpath: (p) => fsp.realpath(p),
  stat: (p) => fsp.stat(p),
  lstat: (p) => fsp.lstat(p),
  fstat: (fd) => fstatAsync(fd),
  open: (p, flags) => openAsync(p, flags),
  create: (p) => openAsync(p, 'wx+'),
  close: (fd) => closeAsync(fd),
  futimes: (fd, atime, mtime) => futimesAsync(fd, atime, mtime),
  link: (a, b) => fsp.link(a, b),
  rename: (a, b) => fsp.rename(a, b),
  unlink: (p) => fsp.unlink(p),
  mkdir: (p) => fsp.mkdir(p),
  readdir: (p) => fsp.readdir(p),
  writeSmall: writeAll,
  readSmall: readAt,
};

/**
 * Calls made synchronously while they stay fast; after one slow call, `pooledCalls` from then on.
 * One per connector, so one slow mount affects only the connections that use it.
 */
export function directCalls(): FsCalls {
  let pooled = false;
  const direct =
    <A extends unknown[], R>(call: (...args: A) => R, fallback: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (pooled) return fallback(...args);
      const started = performance.now();
      try {
        return Promise.resolve(call(...args));
      } catch (err) {
        return Promise.reject(err);
      } finally {
        if (performance.now() - started > SLOW_CALL_MS) pooled = true;
      }
    };
  return {
    realpath: direct((p: string) => fs.realpathSync.native(p), pooledCalls.realpath),
    stat: direct((p: string) => fs.statSync(p), pooledCalls.stat),
    lstat: direct((p: string) => fs.lstatSync(p), pooledCalls.lstat),
    fstat: direct((fd: number) => fs.fstatSync(fd), pooledCalls.fstat),
    open: direct((p: string, flags: number) => fs.openSync(p, flags), pooledCalls.open),
    create: pooledCalls.create,
    close: direct((fd: number) => fs.closeSync(fd), pooledCalls.close),
    futimes: direct((fd: number, a: Date, m: Date) => fs.futimesSync(fd, a, m), pooledCalls.futimes),
    link: direct((a: string, b: string) => fs.linkSync(a, b), pooledCalls.link),
    rename: direct((a: string, b: string) => fs.renameSync(a, b), pooledCalls.rename),
    unlink: direct((p: string) => fs.unlinkSync(p), pooledCalls.unlink),
    mkdir: direct((p: string) => void fs.mkdirSync(p), pooledCalls.mkdir),
    readdir: direct((p: string) => fs.readdirSync(p), pooledCalls.readdir),
    writeSmall: direct((fd: number, data: Buffer) => {
      for (let offset = 0; offset < data.length;) offset += fs.writeSync(fd, data, offset);
    }, pooledCalls.writeSmall),
    readSmall: direct((fd: number, length: number, position: number) => {
      const buffer = Buffer.allocUnsafe(length);
      let got = 0;
      for (let n = -1; got < length && n !== 0; got += n) {
        n = fs.readSync(fd, buffer, got, length - got, position + got);
      }
      return got === length ? buffer : buffer.subarray(0, got);
    }, pooledCalls.readSmall),
  };
}

// statfs(2) magic numbers of file systems kept on a local device (Linux). Others count as remote.
const LOCAL_FILE_SYSTEMS = new Set([
  0xef53, // ext2, ext3, ext4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0x01021994, // tmpfs
  0x2fc12fc1, // zfs
  0x794c7630, // overlayfs
  0xf2f52010, // f2fs
]);

/** The calls suited to the file system holding `folder` (see the top of this file). */
export async function callsFor(folder: string): Promise<FsCalls> {
  const info = await fsp.statfs(folder).catch(() => undefined);
  return info && LOCAL_FILE_SYSTEMS.has(Number(info.type)) ? directCalls() : pooledCalls;
}
