// The copy threads' queue (connectors/local/copy-threads.ts): tenants take turns, so one account's many
// queued chunks do not hold another's back, and each tenant keeps at most its share of the threads busy
// (the worker's fair share sets it). Real threads copying real files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  busyCopyThreads,
  closeCopyThreads,
  runOnCopyThread,
  shareCopyThreads,
} from '../../connectors/local/copy-threads';

let tmp: string;
beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-threads-')));
});
afterAll(async () => {
  await closeCopyThreads();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A chunk of `files` files of 4 KB from a fresh folder to another. */
function chunk(name: string, files: number) {
  const [src, dst] = [path.join(tmp, `${name}-src`), path.join(tmp, `${name}-dst`)];
  fs.mkdirSync(src);
  fs.mkdirSync(dst);
  const fields: (string | number | null)[] = [];
  for (let i = 0; i < files; i++) {
    fs.writeFileSync(path.join(src, `f${i}`), Buffer.alloc(4096, i));
    fields.push(0, `f${i}`, 1, `f${i}`, `.partial-f${i}`, 4096, null);
  }
  return {
    flag: new Int32Array(new SharedArrayBuffer(4)),
    verify: 'checksum',
    syncData: false,
    folders: [src, dst],
    files: fields,
  };
}

it('takes turns between tenants: a late tenant waits for one chunk of each other, not for all', async () => {
  const done: string[] = [];
  const run = (tenant: string, name: string) =>
    runOnCopyThread(chunk(name, 50), 1, tenant).then((results) => {
      expect(results).toEqual(Array(50).fill('ok'));
      done.push(name);
    });
  const big = Array.from({ length: 8 }, (_, i) => run('tenant-a', `a${i}`));
  const small = run('tenant-b', 'b0');
  await Promise.all([...big, small]);
  // a0 went to the thread at once; then it was B's turn.
  expect(done.indexOf('b0')).toBeLessThanOrEqual(2);
  expect(done.filter((n) => n.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
});

it('keeps each tenant to its share of the threads, and gives one all of them once it may', async () => {
  let shared = true;
  shareCopyThreads((_tenant, threads) => (shared ? 1 : threads));
  const run = (tenant: string, name: string) =>
    runOnCopyThread(chunk(name, 100), 2, tenant).then((results) => {
      expect(results).toEqual(Array(100).fill('ok'));
    });
  try {
    // Two threads, A's share one: its four chunks go one at a time, the second thread waits for B.
    const a = ['s0', 's1', 's2', 's3'].map((n) => run('tenant-a', n));
    expect(busyCopyThreads()).toEqual({ 'tenant-a': 1 });
    const b = run('tenant-b', 't0');
    expect(busyCopyThreads()).toEqual({ 'tenant-a': 1, 'tenant-b': 1 });
    await Promise.all([...a, b]);

    shared = false;
    const alone = ['u0', 'u1'].map((n) => run('tenant-a', n));
    expect(busyCopyThreads()).toEqual({ 'tenant-a': 2 });
    await Promise.all(alone);
    expect(busyCopyThreads()).toEqual({});
  } finally {
    shareCopyThreads((_tenant, threads) => threads);
  }
});
