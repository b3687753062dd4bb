// The threads that copy small local files (copy-thread.ts holds their code): one pool per process,
// started on first use, shared by every copy, grown to the largest size asked. A chunk of files goes
// to the first free thread; the rest wait, in order within each tenant, and the tenants take turns, so
// one account's thousands of queued files do not hold another's few back. An idle thread never holds the process open, and
// threads idle for IDLE_MS end (a worker copying between clouds keeps no isolate for nothing);
// closeCopyThreads ends them at once (the worker's shutdown, a test's end).
import { Worker } from 'node:worker_threads';
import { copyThreadSource } from './copy-thread';

/** One message to a copy thread (see copy-thread.ts for the fields). */
export interface CopyChunk {
  flag: Int32Array;
  verify: string;
  syncData: boolean;
  folders: string[];
  files: (string | number | null)[];
}

/** Files smaller than this are copied by the threads: each thread holds two buffers of this size. */
export const COPY_THREAD_MAX_BYTES = 1024 * 1024;
const IDLE_MS = 10_000;

interface Waiting {
  chunk: CopyChunk;
  resolve(results: string[]): void;
  reject(err: Error): void;
}

interface Thread {
  worker: Worker;
  /** The chunk it works on, and whose it is. */
  busy?: Waiting & { id: number; tenant: string };
}

/** How the threads last made data durable (the benchmarks and tests show it). */
export type DataSync = 'syncfs' | 'fdatasync' | 'off';
let lastSync: DataSync | undefined;
export const lastDataSync = (): DataSync | undefined => lastSync;

const threads: Thread[] = [];
/** Chunks waiting, per tenant; a Map keeps the tenants in the order of their turns. */
const queues = new Map<string, Waiting[]>();
let size = 0;
let nextId = 1;
let idle: NodeJS.Timeout | undefined;
/** How many of `threads` one tenant may keep busy now (the worker's fair share, worker/fair-share.ts). */
let tenantThreads: (tenant: string, threads: number) => number = (_tenant, threads) => threads;

/** Caps the threads each tenant keeps busy at once (re-asked at every dispatch). */
export function shareCopyThreads(share: (tenant: string, threads: number) => number): void {
  tenantThreads = share;
}

/** Copies `chunk` on one of at most `poolSize` threads; answers a result per file. */
export function runOnCopyThread(chunk: CopyChunk, poolSize: number, tenant = ''): Promise<string[]> {
  size = Math.max(size, poolSize);
  clearTimeout(idle);
  idle = undefined;
  return new Promise((resolve, reject) => {
    const waiting = queues.get(tenant);
    if (waiting) waiting.push({ chunk, resolve, reject });
    else queues.set(tenant, [{ chunk, resolve, reject }]);
    dispatch();
  });
}

/**
 * The next chunk: the oldest of the first tenant under its share of the threads, and that tenant goes
 * to the back of the line.
 */
function nextWaiting(): (Waiting & { tenant: string }) | undefined {
  for (const [tenant, waiting] of queues) {
    const busy = threads.filter((t) => t.busy?.tenant === tenant).length;
    if (busy >= Math.max(1, tenantThreads(tenant, size))) continue;
    const next = waiting.shift();
    queues.delete(tenant);
    if (waiting.length > 0) queues.set(tenant, waiting);
    if (next) return { ...next, tenant };
  }
  return undefined;
}

/** The threads busy now, per tenant (tests; a dashboard could show it too). */
export function busyCopyThreads(): Record<string, number> {
  const busy: Record<string, number> = {};
  for (const t of threads) if (t.busy) busy[t.busy.tenant] = (busy[t.busy.tenant] ?? 0) + 1;
  return busy;
}

/** Ends every thread; chunks waiting or under way fail. */
export async function closeCopyThreads(): Promise<void> {
  clearTimeout(idle);
  idle = undefined;
  const closing = threads.splice(0);
  for (const waiting of queues.values())
    for (const w of waiting) w.reject(new Error('The copy threads were closed'));
  queues.clear();
  for (const t of closing) t.busy?.reject(new Error('The copy threads were closed'));
  await Promise.all(closing.map((t) => t.worker.terminate()));
}

function dispatch(): void {
  while (queues.size > 0) {
    const thread = threads.find((t) => !t.busy) ?? (threads.length < size ? start() : undefined);
    if (!thread) return;
    const waiting = nextWaiting();
    if (!waiting) return;
    const id = nextId++;
    thread.busy = { ...waiting, id };
    thread.worker.ref();
    thread.worker.postMessage({ id, ...thread.busy.chunk });
  }
  if (threads.every((t) => !t.busy) && threads.length > 0 && !idle) {
    idle = setTimeout(() => void closeCopyThreads(), IDLE_MS).unref();
  }
}

/** Where koffi is (it calls syncfs: copy-thread.ts); null where it is not installed (Linux only). */
function koffiPath(): string | null {
  if (process.platform !== 'linux') return null;
  try {
    return require.resolve('koffi');
  } catch {
    return null;
  }
}

function start(): Thread {
  // Paths in, short strings out: a small heap is plenty.
  const worker = new Worker(copyThreadSource(COPY_THREAD_MAX_BYTES, koffiPath()), {
    eval: true,
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 },
  });
  const thread: Thread = { worker };
  worker.on('message', (answer: { id: number; results: string[]; sync: DataSync }) => {
    const busy = thread.busy;
    if (!busy || busy.id !== answer.id) return;
    lastSync = answer.sync;
    thread.busy = undefined;
    worker.unref();
    busy.resolve(answer.results);
    dispatch();
  });
  const fail = (err: Error) => {
    const at = threads.indexOf(thread);
    if (at < 0) return;
    threads.splice(at, 1);
    thread.busy?.reject(err);
    thread.busy = undefined;
    dispatch();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`A copy thread exited (${code})`)));
  threads.push(thread);
  return thread;
}
