// LOCAL_FSYNC modes of the local connector on real temp folders: every mode writes atomically;
// `file` and `batch` fsync a file's data before it takes its name; `file` fsyncs the folder with
// each write, `batch` once per folder at flush(), `off` never.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createLocalConnector, LOCAL_FSYNC_MODES, type LocalFsync } from '../../connectors/local';
import { expectKind, makeSandbox, partialFiles, type Sandbox } from './local-helpers';

let box: Sandbox;
beforeEach(() => {
  box = makeSandbox('mc-durable-');
  fs.mkdirSync(path.join(box.root, 'a'));
  fs.mkdirSync(path.join(box.root, 'b'));
});
afterEach(() => {
  jest.restoreAllMocks();
  box.cleanup();
});

const bytes = (s: string) => Readable.from([Buffer.from(s)]);

/** Records, in order, fsyncs of written files, fsyncs of folders and names given to files. */
function recordSyncs() {
  const events: string[] = [];
  const folderOf = new Map<number, string>();
  const realFsync = fs.fsync;
  jest.spyOn(fs, 'fsync').mockImplementation(((fd: number, cb: (err: Error | null) => void) => {
    events.push(`fsync ${folderOf.get(fd) ?? 'file'}`);
    realFsync(fd, cb);
  }) as typeof fs.fsync);
  // Folders are synced through a FileHandle (durability.ts).
  const realOpen = fs.promises.open;
  jest.spyOn(fs.promises, 'open').mockImplementation(async (p, flags, mode) => {
    const handle = await realOpen(p, flags, mode);
    if (fs.statSync(p).isDirectory()) {
      const realSync = handle.sync.bind(handle);
      handle.sync = async () => {
        events.push(`fsync folder ${path.basename(String(p))}`);
        return realSync();
      };
    }
    return handle;
  });
  for (const name of ['linkSync', 'renameSync'] as const) {
    const real = fs[name] as (a: fs.PathLike, b: fs.PathLike) => void;
    jest.spyOn(fs, name).mockImplementation((a, b) => {
      events.push(`name ${path.basename(String(b))}`);
      real(a, b);
    });
  }
  for (const name of ['link', 'rename'] as const) {
    const real = fs.promises[name];
    jest.spyOn(fs.promises, name).mockImplementation(async (a, b) => {
      events.push(`name ${path.basename(String(b))}`);
      return real(a, b);
    });
  }
  return events;
}

describe.each(LOCAL_FSYNC_MODES)('LOCAL_FSYNC=%s', (mode: LocalFsync) => {
  it('writes atomically: a failed stream leaves neither the file nor a partial one', async () => {
    const conn = createLocalConnector(box.root, [box.allowed], { fsync: mode });
    const failing = Readable.from(
      (async function* () {
        yield Buffer.alloc(1024);
        throw new Error('connection reset by peer');
      })(),
    );
    await expectKind(conn.write('/a/broken.bin', failing, { overwrite: false }), 'retryable');
    fs.writeFileSync(path.join(box.root, 'a/kept.txt'), 'original');
    await expectKind(
      conn.write('/a/kept.txt', bytes('new but short'), { overwrite: true, size: 99 }),
      'fatal_file',
    );
    await conn.flush?.();
    expect(fs.readdirSync(path.join(box.root, 'a'))).toEqual(['kept.txt']);
    expect(fs.readFileSync(path.join(box.root, 'a/kept.txt'), 'utf8')).toBe('original');
    expect(partialFiles(box.root)).toEqual([]);
  });

  it('syncs data before the name appears, and folders as the mode says', async () => {
    const conn = createLocalConnector(box.root, [box.allowed], { fsync: mode });
    const events = recordSyncs();
    await conn.write('/a/one.txt', bytes('one'), { overwrite: false, size: 3 });
    await conn.write('/a/two.txt', bytes('two'), { overwrite: false, size: 3 });
    await conn.write('/b/three.txt', bytes('three'), { overwrite: true, size: 5 });
    const beforeFlush = events.length;
    await conn.flush?.();
    const after = events.slice(beforeFlush);

    // Every file is whole at its name.
    expect(fs.readFileSync(path.join(box.root, 'a/one.txt'), 'utf8')).toBe('one');
    expect(fs.readFileSync(path.join(box.root, 'b/three.txt'), 'utf8')).toBe('three');
    const names = events.filter((e) => e.startsWith('name '));
    expect(names).toEqual(['name one.txt', 'name two.txt', 'name three.txt']);
    const folderSyncs = events.filter((e) => e.startsWith('fsync folder'));
    if (mode === 'off') {
      expect(events.filter((e) => e.startsWith('fsync'))).toEqual([]);
      return;
    }
    // A file's data is synced before it takes its name.
    for (const name of names) {
      const at = events.indexOf(name);
      expect(events[at - 1]).toBe('fsync file');
    }
    if (mode === 'file') {
      // Each write syncs its folder before it returns: nothing is left for flush().
      expect(folderSyncs).toEqual(['fsync folder a', 'fsync folder a', 'fsync folder b']);
      expect(after).toEqual([]);
    } else {
      // batch: no folder sync until flush(), then one per folder for all the writes before it.
      expect(events.slice(0, beforeFlush).filter((e) => e.startsWith('fsync folder'))).toEqual([]);
      expect([...after].sort()).toEqual(['fsync folder a', 'fsync folder b']);
      // A second flush with nothing new written syncs nothing.
      await conn.flush?.();
      expect(events.length).toBe(beforeFlush + after.length);
    }
  });
});

it('defaults to batch, and a connector nobody flushes still syncs its folders past a bound', async () => {
  const conn = createLocalConnector(box.root, [box.allowed]);
  const events = recordSyncs();
  await conn.write('/a/x.txt', bytes('x'), { overwrite: false });
  expect(events).toEqual(['fsync file', 'name x.txt']);
  // 256 folders written to without a flush: the 256th write syncs them all.
  for (let i = 0; i < 256; i++) {
    fs.mkdirSync(path.join(box.root, `d${i}`));
    await conn.write(`/d${i}/f.txt`, bytes('f'), { overwrite: false });
  }
  expect(events.filter((e) => e.startsWith('fsync folder'))).toHaveLength(256);
});
