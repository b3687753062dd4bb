// The code of a copy thread (copy-threads.ts): plain JavaScript, run as is from the build and under
// ts-jest alike (as common/hashing-thread.ts). Per file, synchronously, into one reused buffer:
//   open the source (O_NOFOLLOW: a symlink is left to the usual path; O_NONBLOCK: a FIFO put in a
//   file's place never blocks), read it whole (one byte more than listed shows a grown file), create
//   the partial file beside the target (O_EXCL), write, set the modification time, verify, close.
// Then, unless LOCAL_FSYNC=off, the data (what the name must never show without) is made durable for
// the whole message at once: one syncfs(2) per file system (libc's, through koffi) instead of one
// fdatasync per file, which on disks whose every flush empties their cache costs ~0.4 ms a file
// (docs/development/benchmarks.md). Where syncfs cannot be called, each file is fdatasynced before it
// is closed, as before. Last, each file is link(2)ed to the target's name (EEXIST: the name is taken)
// and its partial file unlinked. Any failure removes the partial file, so a cancel (a flag checked
// between files; the files written before it are still synced and named) or an error never leaves one.
// Verification compares what the file holds with what was read: `checksum` reads the file back (the
// page cache) and compares every byte with the source's — no weaker than the usual path, which
// compares the SHA-256 of the bytes read with that of the bytes read back; `size` checks the file's
// size; `none` nothing.
// Message: {id, flag (Int32Array on shared memory), verify, syncData, folders, files: flat
// [source folder index, source name, destination folder index, target name, partial name, size,
// mtime ms or null]}; answer: {id, results: 'ok' | 'cancelled' | 'moved' | 'size' | 'mismatch' |
// '<code> at <step>', sync: how the data was made durable}. Folders whose realpath changed since the batch checked them (a symlink put in
// their place) are not touched: 'moved'.

/** Fields per file in a message. */
const FILE_FIELDS = 7;

/** `koffi`: the module's resolved path, or null to fdatasync each file. */
export const copyThreadSource = (maxBytes: number, koffi: string | null) => `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { O_RDONLY, O_NOFOLLOW, O_NONBLOCK, O_CREAT, O_EXCL, O_RDWR, O_DIRECTORY } = fs.constants;
const ffi = (() => {
  try {
    const koffi = require(${JSON.stringify(koffi)});
    const names = new Map(Object.entries(koffi.os.errno).map(([name, code]) => [code, name]));
    return { syncfs: koffi.load('libc.so.6').func('int syncfs(int fd)'), error: () => names.get(koffi.errno()) };
  } catch { return null; }
})();
// Named for ps and the benchmarks' CPU per thread (Linux; best effort).
try { fs.writeFileSync('/proc/thread-self/comm', 'mc-copy'); } catch {}
const data = Buffer.allocUnsafeSlow(${maxBytes} + 1);
const back = Buffer.allocUnsafeSlow(${maxBytes});

function readFrom(fd, buffer, want) {
  let got = 0;
  for (let n = -1; got < want && n !== 0; got += n) n = fs.readSync(fd, buffer, got, want - got, got);
  return got;
}

function verified(fd, size, verify) {
  if (verify === 'checksum') return readFrom(fd, back, size) === size && data.compare(back, 0, size, 0, size) === 0;
  return verify !== 'size' || fs.fstatSync(fd).size === size;
}

// Answers 'ok' once the file is named, null when it waits (written and closed) for the group's sync.
function copy(m, f, at, grouped) {
  const dir = m.folders[f[at + 2]];
  const partial = dir + '/' + f[at + 4];
  const size = f[at + 5], mtime = f[at + 6];
  let step = 'open', fd = -1, out = -1, made = false;
  try {
    fd = fs.openSync(m.folders[f[at]] + '/' + f[at + 1], O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    step = 'read';
    const got = readFrom(fd, data, size + 1);
    fs.closeSync(fd);
    fd = -1;
    if (got !== size) return 'size';
    step = 'create';
    out = fs.openSync(partial, O_CREAT | O_EXCL | O_RDWR, 0o666);
    made = true;
    step = 'write';
    for (let w = 0, n; w < size; w += n) {
      if ((n = fs.writeSync(out, data, w, size - w, w)) === 0) return 'ENOSPC at write';
    }
    if (mtime !== null) fs.futimesSync(out, Date.now() / 1000, mtime / 1000);
    if (!verified(out, size, m.verify)) return 'mismatch';
    if (m.syncData && !grouped) fs.fdatasyncSync(out);
    fs.closeSync(out);
    out = -1;
    if (grouped) {
      made = false;
      return null;
    }
    return named(dir, partial, f[at + 3]);
  } catch (err) {
    return (err && err.code || 'error') + ' at ' + step;
  } finally {
    if (fd >= 0) try { fs.closeSync(fd); } catch {}
    if (out >= 0) try { fs.closeSync(out); } catch {}
    if (made) try { fs.unlinkSync(partial); } catch {}
  }
}

/** Gives the durable partial file its target's name. */
function named(dir, partial, target) {
  try {
    fs.linkSync(partial, dir + '/' + target);
    return 'ok';
  } catch (err) {
    return (err && err.code || 'error') + ' at link';
  } finally {
    try { fs.unlinkSync(partial); } catch {}
  }
}

/** One syncfs per file system the folders are on; answers null, or the error as a result. */
function syncAll(folders) {
  const seen = new Set();
  for (const folder of folders) {
    let fd = -1;
    try {
      fd = fs.openSync(folder, O_RDONLY | O_DIRECTORY);
      const dev = fs.fstatSync(fd).dev;
      if (seen.has(dev)) continue;
      seen.add(dev);
      if (ffi.syncfs(fd) !== 0) return (ffi.error() || 'EIO') + ' at sync';
    } catch (err) {
      return (err && err.code || 'error') + ' at sync';
    } finally {
      if (fd >= 0) try { fs.closeSync(fd); } catch {}
    }
  }
  return null;
}

parentPort.on('message', (m) => {
  const f = m.files;
  const moved = m.folders.map((d) => { try { return fs.realpathSync.native(d) !== d; } catch { return true; } });
  const grouped = m.syncData && ffi !== null;
  const results = [];
  const waiting = [];
  for (let at = 0; at < f.length; at += ${FILE_FIELDS}) {
    if (Atomics.load(m.flag, 0) !== 0) results.push('cancelled');
    else if (moved[f[at]] || moved[f[at + 2]]) results.push('moved');
    else {
      const result = copy(m, f, at, grouped);
      if (result === null) waiting.push(at);
      results.push(result);
    }
  }
  if (waiting.length > 0) {
    const failed = syncAll([...new Set(waiting.map((at) => m.folders[f[at + 2]]))]);
    for (const at of waiting) {
      const dir = m.folders[f[at + 2]];
      const partial = dir + '/' + f[at + 4];
      if (failed) try { fs.unlinkSync(partial); } catch {}
      results[at / ${FILE_FIELDS}] = failed || named(dir, partial, f[at + 3]);
    }
  }
  parentPort.postMessage({ id: m.id, results, sync: m.syncData ? (grouped ? 'syncfs' : 'fdatasync') : 'off' });
});
`;
