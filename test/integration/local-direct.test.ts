// Small files between two local connections are copied on the connector's copy threads
// (connectors/local/direct.ts). Each case runs the copy activity on real files twice — with the
// threads, and with LOCAL_COPY_THREADS=0 (every file streamed through `write`) — and expects the same
// outcomes, items and destination; the cases the threads hand back must show it. Real store, real
// files, the activity in Temporal's activity environment (its cancellation included).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { closeCopyThreads, createLocalConnector, type Connector } from '../../connectors';
import { lastDataSync, PARTIAL_PREFIX, type LocalFsync } from '../../connectors/local';
import { createStore } from '../../store';
import type { Account, Store } from '../../store/types';
import {
  completeOptions,
  type CopyRequest,
  type CopyResult,
  type FileTask,
  type MigrationOptions,
} from '../../contract';

const MTIME = '2021-03-04T05:06:07.089Z';

let tmp: string;
let store: Store;
let account: Account;
let cases = 0;

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-direct-')));
  store = await createStore(`sqlite:${path.join(tmp, 'store.db')}`);
  account = await store.accounts.create({ name: 'direct', plan: 'pro' });
});

afterAll(async () => {
  await closeCopyThreads();
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface RunOptions {
  threads: number;
  options?: Partial<MigrationOptions>;
  attempt?: number;
  fsync?: LocalFsync;
  /** Cancels the activity once the destination holds this many files. */
  cancelAt?: number;
}

/** `setup` fills a fresh source and destination and answers the batch's tasks. */
type Setup = (src: string, dst: string) => FileTask[];

async function run(setup: Setup, opts: RunOptions) {
  const dir = path.join(tmp, `case-${++cases}`);
  const roots = { src: path.join(dir, 'src'), dst: path.join(dir, 'dst') };
  Object.values(roots).forEach((r) => fs.mkdirSync(r, { recursive: true }));
  const files = setup(roots.src, roots.dst);
  let writes = 0;
  const activities = createActivities({
    store,
    connectorFactory: (c) => {
      const inner = createLocalConnector(String(c.config.root), [dir], {
        fsync: opts.fsync ?? 'batch',
        copyThreads: opts.threads,
      });
      if (c.name !== 'dst') return inner;
      return { ...inner, write: (p, d, o) => (writes++, inner.write(p, d, o)) } satisfies Connector;
    },
    fileConcurrency: 4,
  });
  const [src, dst] = await Promise.all(
    (['src', 'dst'] as const).map((name) =>
      store.connections.create({
        accountId: account.id,
        service: 'local',
        name,
        config: { root: roots[name] },
      }),
    ),
  );
  const options = completeOptions({ conflict: 'skip', ...opts.options });
  const endpoint = (connectionId: string) => ({ connectionId, service: 'local' as const, path: '/' });
  const migration = await store.migrations.create({
    accountId: account.id,
    source: endpoint(src.id),
    destination: endpoint(dst.id),
    options,
  });
  const request: CopyRequest = {
    migrationId: migration.id,
    source: { accountId: account.id, connectionId: src.id },
    destination: { accountId: account.id, connectionId: dst.id },
    files,
    options,
  };
  const env = new MockActivityEnvironment({ attempt: opts.attempt ?? 1 });
  let watching: NodeJS.Timeout | undefined;
  if (opts.cancelAt !== undefined) {
    watching = setInterval(() => {
      if (fs.readdirSync(roots.dst).length >= opts.cancelAt!) env.cancel();
    }, 2);
  }
  const result = await env
    .run<[CopyRequest], CopyResult, typeof activities.copyFiles>(activities.copyFiles, request)
    .finally(() => clearInterval(watching));
  const items = await store.items.list(account.id, migration.id, {}, { pageSize: 1000 });
  const outcomes = Object.fromEntries(items.items.map((i) => [i.sourcePath, `${i.status}: ${i.reason}`]));
  return { result, outcomes, held: held(roots.dst), writes, roots };
}

/** What a folder holds: each name with its bytes (as latin1), partial files included. */
function held(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(root).sort()) {
    const p = path.join(root, name);
    out[name] = fs.lstatSync(p).isFile() ? fs.readFileSync(p, 'latin1') : 'not a file';
  }
  return out;
}

const task = (name: string, size: number | null, extra: Partial<FileTask> = {}): FileTask => ({
  sourcePath: `/${name}`,
  sourceId: `/${name}`,
  destinationPath: `/${name}`,
  size,
  modifiedAt: MTIME,
  found: null,
  ...extra,
});

/** Writes `name` in `root` with `text` and answers its task. */
function file(root: string, name: string, text: string, extra: Partial<FileTask> = {}): FileTask {
  fs.writeFileSync(path.join(root, name), text);
  return task(name, Buffer.byteLength(text), extra);
}

/** Runs `setup` with the threads and without; expects the same outcomes and destination. */
async function sameAsUsual(setup: Setup, opts: Omit<RunOptions, 'threads'> = {}) {
  const direct = await run(setup, { ...opts, threads: 2 });
  const usual = await run(setup, { ...opts, threads: 0 });
  expect(direct.result).toEqual(usual.result);
  expect(direct.outcomes).toEqual(usual.outcomes);
  expect(direct.held).toEqual(usual.held);
  return { direct, usual };
}

it('copies small files on the threads: same bytes, times and items as the usual path', async () => {
  const { direct, usual } = await sameAsUsual((src) =>
    Array.from({ length: 150 }, (_, i) => file(src, `f${i}.txt`, `file ${i} `.repeat(i))),
  );
  expect(direct.result.filesCopied).toBe(150);
  expect(direct.writes).toBe(0);
  expect(usual.writes).toBe(150);
  expect(fs.statSync(path.join(direct.roots.dst, 'f7.txt')).mtime.toISOString()).toBe(MTIME);
  expect(Object.keys(direct.held).filter((n) => n.startsWith(PARTIAL_PREFIX))).toEqual([]);
});

it('hands a name taken since listing to the usual path, which keeps it under conflict "skip"', async () => {
  const { direct } = await sameAsUsual((src, dst) => {
    fs.writeFileSync(path.join(dst, 'taken.txt'), 'there before');
    return [file(src, 'taken.txt', 'the source'), file(src, 'free.txt', 'free')];
  });
  expect(direct.held['taken.txt']).toBe('there before');
  expect(direct.outcomes['/taken.txt']).toMatch(/^skipped: /);
  expect(direct.outcomes['/free.txt']).toBe('copied: null');
  expect(direct.writes).toBe(0);
});

it('leaves symlinks, vanished and changed files to the usual path, with its outcomes', async () => {
  const outside = path.join(tmp, 'outside.txt');
  fs.writeFileSync(outside, 'outside the root');
  const { direct } = await sameAsUsual((src) => {
    const inside = file(src, 'real.txt', 'real bytes');
    fs.symlinkSync(path.join(src, 'real.txt'), path.join(src, 'link-in.txt'));
    fs.symlinkSync(outside, path.join(src, 'link-out.txt'));
    return [
      inside,
      task('link-in.txt', 10),
      task('link-out.txt', 16),
      task('vanished.txt', 5),
      file(src, 'grown.txt', 'longer than listed', { size: 4 }),
      file(src, 'shrunk.txt', 'short', { size: 50 }),
    ];
  });
  expect(direct.outcomes['/link-out.txt']).toMatch(/^failed: Permission denied/);
  expect(direct.outcomes['/vanished.txt']).toBe(
    'failed: The source file no longer exists: /vanished.txt does not exist',
  );
  expect(direct.outcomes['/grown.txt']).toMatch(/^failed: .*expected 4 bytes/);
  expect(direct.outcomes['/shrunk.txt']).toMatch(/^failed: .*expected 50 bytes/);
  // Handed back and written the usual way: the symlink inside the root (which that path follows) and
  // the two files of another size; the others fail before any write.
  expect(direct.writes).toBe(3);
});

it('writes nothing outside the root through a destination folder that is a symlink', async () => {
  const elsewhere = fs.mkdtempSync(path.join(tmp, 'elsewhere-'));
  const { direct } = await sameAsUsual((src, dst) => {
    fs.symlinkSync(elsewhere, path.join(dst, 'out'));
    fs.mkdirSync(path.join(src, 'out'));
    return [file(src, 'out/a.txt', 'a')];
  });
  expect(direct.outcomes['/out/a.txt']).toMatch(/^failed: Permission denied/);
  expect(fs.readdirSync(elsewhere)).toEqual([]);
});

it('makes the data of each message durable with one syncfs, not an fdatasync per file (Linux)', async () => {
  const { direct } = await sameAsUsual((src) =>
    Array.from({ length: 20 }, (_, i) => file(src, `f${i}`, `${i}`.repeat(i * 100))),
  );
  expect(direct.writes).toBe(0);
  expect(lastDataSync()).toBe(process.platform === 'linux' ? 'syncfs' : 'fdatasync');
});

it.each(['file', 'off'] as const)('copies with LOCAL_FSYNC=%s', async (fsync) => {
  const { direct } = await sameAsUsual(
    (src) => Array.from({ length: 20 }, (_, i) => file(src, `f${i}`, `${i}`.repeat(i * 100))),
    { fsync },
  );
  expect(direct.writes).toBe(0);
  expect(lastDataSync()).toBe(
    fsync === 'off' ? 'off' : process.platform === 'linux' ? 'syncfs' : 'fdatasync',
  );
});

it.each(['size', 'none'] as const)('copies with verify: %s', async (verify) => {
  const { direct } = await sameAsUsual(
    (src) => Array.from({ length: 20 }, (_, i) => file(src, `f${i}`, `${i}`.repeat(i * 100))),
    { options: { verify } },
  );
  expect(direct.writes).toBe(0);
});

it('streams what the threads do not take: a listed name, files of 1 MiB', async () => {
  const big = 'x'.repeat(1024 * 1024);
  const setup: Setup = (src) => [
    file(src, 'just-under', big.slice(1)),
    file(src, 'limit', big),
    file(src, 'unlisted', 'u', { found: undefined }),
  ];
  const first = await run(setup, { threads: 2 });
  expect(first.result.filesCopied).toBe(3);
  expect(first.writes).toBe(2);
});

it('copies a retried batch on the threads; a file the earlier try wrote counts as copied, not skipped', async () => {
  const { direct } = await sameAsUsual(
    (src, dst) => {
      // The earlier try wrote `done` and died before reporting it: exploring had listed nothing there.
      fs.writeFileSync(path.join(dst, 'done'), 'same bytes');
      return [file(src, 'done', 'same bytes'), file(src, 'new', 'new bytes')];
    },
    { attempt: 2 },
  );
  expect(direct.outcomes).toEqual({ '/done': 'copied: null', '/new': 'copied: null' });
  expect(direct.result.filesCopied).toBe(2);
  expect(direct.writes).toBe(0);
  expect(direct.held).toEqual({ done: 'same bytes', new: 'new bytes' });
});

it('stops at a cancel between two files and leaves no partial file', async () => {
  const count = 5000;
  const setup: Setup = (src) => Array.from({ length: count }, (_, i) => file(src, `f${i}`, 'y'.repeat(4096)));
  const started = Date.now();
  const cancelled = await run(setup, { threads: 2, cancelAt: 100, fsync: 'file' }).catch((e: unknown) => e);
  expect(cancelled).toBeInstanceOf(CancelledFailure);
  const dst = path.join(tmp, `case-${cases}`, 'dst');
  const names = fs.readdirSync(dst);
  expect(names.filter((n) => n.startsWith(PARTIAL_PREFIX))).toEqual([]);
  expect(names.length).toBeGreaterThanOrEqual(100);
  expect(names.length).toBeLessThan(count);
  for (const n of names) expect(fs.readFileSync(path.join(dst, n), 'latin1')).toBe('y'.repeat(4096));
  expect(Date.now() - started).toBeLessThan(30_000);
});
