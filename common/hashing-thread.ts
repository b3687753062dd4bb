// Hashes a file as it grows, on a thread of its own: a writer says how far its writes have reached,
// and the thread reads those bytes back from the file (the page cache) into one reused buffer and
// hashes them, beside the writes and off the event loop. What it hashes is what the file holds, not
// what was handed to write(2). One thread serves every file of the process; it holds the process
// open only while it has work.
import { Worker } from 'node:worker_threads';

/** Bytes read back per read(2) on the hashing thread. */
const READ_BYTES = 1024 * 1024;

// Plain JavaScript (it runs as is, from the build and under ts-jest alike). Messages: start {id,
// path, ino, algorithm}, upTo {id, end}, finish {id, end} (answered with {id, digest} or {id,
// error}), abort {id}. Every message of a job is handled in order.
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const jobs = new Map();
const buffer = Buffer.allocUnsafe(${READ_BYTES});
function open(m) {
  const fd = fs.openSync(m.path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  if (fs.fstatSync(fd).ino !== m.ino) {
    fs.closeSync(fd);
    throw new Error('the file was replaced while it was written');
  }
  return { fd, hash: createHash(m.algorithm), at: 0, error: null };
}
function advance(job, end) {
  while (job.at < end) {
    const n = fs.readSync(job.fd, buffer, 0, Math.min(buffer.length, end - job.at), job.at);
    if (n === 0) throw new Error('the file ends at byte ' + job.at + ', ' + end + ' were written');
    job.hash.update(buffer.subarray(0, n));
    job.at += n;
  }
}
parentPort.on('message', (m) => {
  if (m.type === 'start') {
    try { jobs.set(m.id, open(m)); } catch (err) { jobs.set(m.id, { fd: -1, error: err.message }); }
    return;
  }
  const job = jobs.get(m.id);
  if (!job) return;
  if (m.type !== 'abort' && !job.error) {
    try { advance(job, m.end); } catch (err) { job.error = err.message; }
  }
  if (m.type === 'upTo') return;
  jobs.delete(m.id);
  if (job.fd >= 0) fs.closeSync(job.fd);
  if (m.type === 'finish') {
    parentPort.postMessage(job.error ? { id: m.id, error: job.error } : { id: m.id, digest: job.hash.digest('hex') });
  }
});
`;

type Answer = { id: number; digest: string } | { id: number; error: string };

/** One file being hashed as it is written. */
export interface GrowingFileHash {
  /** The file holds its bytes up to `end` (exclusive): they may be hashed now. */
  upTo(end: number): void;
  /** The file is complete at `end` bytes: answers the hex digest of bytes 0…end as the file holds them. */
  finish(end: number): Promise<string>;
  /** Drops the job (the write failed). */
  abort(): void;
}

let thread: Worker | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve(digest: string): void; reject(err: Error): void }>();
let active = 0;

function hashingThread(): Worker {
  if (thread) return thread;
  // It allocates next to nothing: a small heap keeps its memory small too.
  const worker = new Worker(THREAD_SOURCE, {
    eval: true,
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
  });
  worker.on('message', (answer: Answer) => {
    const wait = waiting.get(answer.id);
    waiting.delete(answer.id);
    if ('digest' in answer) wait?.resolve(answer.digest);
    else wait?.reject(new Error(answer.error));
  });
  const fail = (err: Error) => {
    if (thread === worker) thread = undefined;
    for (const wait of waiting.values()) wait.reject(err);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`The hashing thread exited (${code})`)));
  worker.unref();
  return (thread = worker);
}

/**
 * Starts hashing the file at `path` (which must still be inode `ino`: the thread opens it itself)
 * in `algorithm` (a Node hash name: sha256, md5…), from byte 0, as far as `upTo` says.
 */
export function hashGrowingFile(path: string, ino: number, algorithm: string): GrowingFileHash {
  const worker = hashingThread();
  const id = nextId++;
  let done = false;
  // The process stays up while a job runs; an idle thread never holds it open.
  if (active++ === 0) worker.ref();
  const end = () => {
    if (done) return;
    done = true;
    if (--active === 0) worker.unref();
  };
  worker.postMessage({ type: 'start', id, path, ino, algorithm });
  return {
    upTo(at) {
      if (!done) worker.postMessage({ type: 'upTo', id, end: at });
    },
    finish(at) {
      if (done) return Promise.reject(new Error('The hash job has ended'));
      const digest = new Promise<string>((resolve, reject) => waiting.set(id, { resolve, reject }));
      worker.postMessage({ type: 'finish', id, end: at });
      return digest.finally(end);
    },
    abort() {
      if (done) return;
      worker.postMessage({ type: 'abort', id });
      end();
    },
  };
}
