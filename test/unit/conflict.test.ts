// The conflict policies rename and newer: numbered names, the "newer" rule, and the copies they make
// through the copy code the activities run — into a local folder and into the Dropbox emulator (whose
// content_hash tells an identical file without reading it back). A copy repeated (a retried attempt
// whose outcome was lost, or a re-run) never adds a second numbered file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { newerVerdict, numberedPath, planWrite } from '../../activities/copy/conflict';
import type { CopyContext } from '../../activities/copy/context';
import { copyFileWithRetries } from '../../activities/copy/file';
import { createLocalConnector } from '../../connectors/local';
import type { Connector } from '../../connectors/types';
import { connect, DROPBOX, useEmulator } from '../connectors/cloud-targets';
import type { FileTask, ConflictPolicy } from '../../contract';

describe('numberedPath', () => {
  it.each([
    ['/a/x.txt', 1, '/a/x (1).txt'],
    ['/x.txt', 12, '/x (12).txt'],
    ['/a/archive.tar.gz', 2, '/a/archive.tar (2).gz'],
    ['/a/.bashrc', 1, '/a/.bashrc (1)'],
    ['/a/README', 3, '/a/README (3)'],
    ['/a.b/c', 1, '/a.b/c (1)'],
  ])('%s, %d → %s', (p, n, expected) => expect(numberedPath(p, n)).toBe(expected));
});

describe('newerVerdict', () => {
  const at = (modifiedAt: string | null, size: number | null = 10) => ({ modifiedAt, size });
  it('replaces when the source is later by a second or more', () => {
    expect(newerVerdict(at('2024-01-01T00:00:01Z'), at('2024-01-01T00:00:00Z'))).toBeNull();
  });
  it('keeps a destination file that is newer', () => {
    expect(newerVerdict(at('2023-01-01T00:00:00Z'), at('2024-01-01T00:00:00Z'))).toBe(
      'The destination\'s file is newer (modified 2024-01-01T00:00:00Z, the source 2023-01-01T00:00:00Z) (conflict: "newer")',
    );
  });
  it('compares to the second (Dropbox keeps no fractions)', () => {
    expect(newerVerdict(at('2024-01-01T00:00:00.900Z'), at('2024-01-01T00:00:00Z'))).toBe(
      'The destination\'s file has the same modification time and size (conflict: "newer")',
    );
  });
  it('replaces at equal or unknown times only when the sizes differ', () => {
    expect(newerVerdict(at('2024-01-01T00:00:00Z', 11), at('2024-01-01T00:00:00Z', 10))).toBeNull();
    expect(newerVerdict(at(null, 11), at('2024-01-01T00:00:00Z', 10))).toBeNull();
    expect(newerVerdict(at(null, 10), at(null, 10))).toBe(
      'The destination\'s file has the same size and the modification times are unknown (conflict: "newer")',
    );
    expect(newerVerdict(at(null, null), at(null, 10))).not.toBeNull();
  });
});

let tmp: string;
let source: Connector;

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-conflict-')));
  fs.mkdirSync(path.join(tmp, 'src'));
  fs.mkdirSync(path.join(tmp, 'dst'));
  source = createLocalConnector(path.join(tmp, 'src'), [tmp]);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sourceFile(name: string, content: string, modifiedAt: string | null = null): FileTask {
  const file = path.join(tmp, 'src', name);
  fs.writeFileSync(file, content);
  if (modifiedAt) fs.utimesSync(file, new Date(modifiedAt), new Date(modifiedAt));
  return {
    sourcePath: `/${name}`,
    destinationPath: `/${name}`,
    size: Buffer.byteLength(content),
    modifiedAt,
  };
}

const context = (destination: Connector, conflict: ConflictPolicy): CopyContext => ({
  source,
  destination,
  conflict,
  verify: 'checksum',
  signal: new AbortController().signal,
  sleep: () => Promise.resolve(),
});

const put = (c: Connector, p: string, content: string, modifiedAt: string | null = null) =>
  c.write(p, Readable.from([Buffer.from(content)]), {
    overwrite: true,
    size: Buffer.byteLength(content),
    modifiedAt,
  });

async function read(c: Connector, p: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await c.openRead(p)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

async function names(c: Connector): Promise<string[]> {
  return (await c.list('/')).entries.map((e) => e.name).sort();
}

/** The rename and newer behaviours against one destination, emptied by `reset` between cases. */
function describeConflicts(make: () => Connector, reset: () => void | Promise<void>) {
  let dst: Connector;
  beforeEach(async () => {
    await reset();
    dst = make();
  });

  it('rename copies beside a different file, at the first free number', async () => {
    const task = sourceFile('x.txt', 'from the source');
    await put(dst, '/x.txt', 'already there');
    await put(dst, '/x (1).txt', 'also there');
    const outcome = await copyFileWithRetries(context(dst, 'rename'), task);
    expect(outcome).toEqual({ status: 'copied', bytes: 15, path: '/x (2).txt' });
    expect(await names(dst)).toEqual(['x (1).txt', 'x (2).txt', 'x.txt']);
    expect(await read(dst, '/x.txt')).toBe('already there');
    expect(await read(dst, '/x (1).txt')).toBe('also there');
    expect(await read(dst, '/x (2).txt')).toBe('from the source');
  });

  it('rename repeated (a retry whose outcome was lost) finds its own copy instead of adding one', async () => {
    const task = sourceFile('y.txt', 'mine');
    await put(dst, '/y.txt', 'theirs');
    expect(await copyFileWithRetries(context(dst, 'rename'), task)).toEqual({
      status: 'copied',
      bytes: 4,
      path: '/y (1).txt',
    });
    expect(await copyFileWithRetries(context(dst, 'rename'), task)).toEqual({
      status: 'skipped',
      bytes: 4,
      reason: 'An identical file is already at the destination: /y (1).txt (conflict: "rename")',
    });
    expect(await names(dst)).toEqual(['y (1).txt', 'y.txt']);
    // Same size, other bytes: not this file.
    await put(dst, '/y (1).txt', 'MINE');
    expect(await planWrite(context(dst, 'rename'), task, await dst.stat('/y.txt'))).toEqual({
      path: '/y (2).txt',
      overwrite: false,
    });
  });

  it('rename leaves an identical file at the name alone', async () => {
    const task = sourceFile('z.txt', 'same bytes');
    await put(dst, '/z.txt', 'same bytes');
    const outcome = await copyFileWithRetries(context(dst, 'rename'), task);
    expect(outcome).toMatchObject({ status: 'skipped', reason: expect.stringContaining('/z.txt') });
    expect(await names(dst)).toEqual(['z.txt']);
  });

  it('newer replaces only an older destination file', async () => {
    const older = sourceFile('old.txt', 'old source', '2020-01-01T00:00:00Z');
    const newer = sourceFile('new.txt', 'new source', '2024-06-01T00:00:00Z');
    await put(dst, '/old.txt', 'newer destination', '2022-01-01T00:00:00Z');
    await put(dst, '/new.txt', 'older destination', '2022-01-01T00:00:00Z');
    const ctx = context(dst, 'newer');
    expect(await copyFileWithRetries(ctx, older)).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/^The destination's file is newer/),
    });
    expect(await copyFileWithRetries(ctx, newer)).toEqual({ status: 'copied', bytes: 10 });
    expect(await read(dst, '/old.txt')).toBe('newer destination');
    expect(await read(dst, '/new.txt')).toBe('new source');
    // With the source's time preserved, the same copy again finds nothing newer.
    expect(await copyFileWithRetries(ctx, newer)).toMatchObject({ status: 'skipped' });
  });
}

describe('local destination', () => {
  const dstRoot = () => path.join(tmp, 'dst');
  describeConflicts(
    () => createLocalConnector(dstRoot(), [tmp]),
    () => {
      fs.rmSync(dstRoot(), { recursive: true, force: true });
      fs.mkdirSync(dstRoot());
    },
  );
});

describe('Dropbox destination', () => {
  const h = useEmulator(DROPBOX);
  describeConflicts(
    () => connect(DROPBOX, h.emu).c,
    () => undefined,
  );
});
