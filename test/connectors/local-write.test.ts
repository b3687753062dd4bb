// Atomic, verified writes of the local connector on real temp folders.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createLocalConnector } from '../../connectors';
import type { UploadSession } from '../../connectors/cloud';
import type { Connector } from '../../connectors/types';
import { expectKind, makeSandbox, partialFiles, type Sandbox } from './local-helpers';
import { failingStreamOf, streamOf } from './streams';

let box: Sandbox;
let conn: Connector;

beforeEach(() => {
  box = makeSandbox('mc-write-');
  conn = createLocalConnector(box.root, [box.allowed]);
});
afterEach(() => box.cleanup());

const bytes = (s: string) => Readable.from([Buffer.from(s)]);
const read = (rel: string) => fs.readFileSync(path.join(box.root, rel), 'utf8');

/** Yields `good` chunks, then fails as a broken network read would. */
function failingStream(good: number): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < good; i++) yield randomBytes(64 * 1024);
      throw new Error('connection reset by peer');
    })(),
  );
}

describe('write', () => {
  it('writes a file and returns its metadata', async () => {
    const entry = await conn.write('/notes.md', bytes('# hi\n'), { overwrite: false, size: 5 });
    expect(entry).toMatchObject({
      id: '/notes.md',
      name: 'notes.md',
      path: '/notes.md',
      type: 'file',
      size: 5,
    });
    expect(entry.mimeType).toBe('text/markdown');
    expect(read('notes.md')).toBe('# hi\n');
    expect(partialFiles(box.root)).toEqual([]);
  });

  it('leaves neither the file nor a temp file when the stream fails midway', async () => {
    await expectKind(conn.write('/broken.bin', failingStream(5), { overwrite: false }), 'retryable');
    expect(fs.readdirSync(box.root)).toEqual([]);
    // Over an existing file, the old contents survive.
    fs.writeFileSync(path.join(box.root, 'kept.txt'), 'original');
    await expectKind(conn.write('/kept.txt', failingStream(3), { overwrite: true }), 'retryable');
    expect(read('kept.txt')).toBe('original');
    expect(partialFiles(box.root)).toEqual([]);
  });

  it('refuses to replace an existing file unless asked to', async () => {
    fs.writeFileSync(path.join(box.root, 'a.txt'), 'first');
    const err = await expectKind(
      conn.write('/a.txt', bytes('second'), { overwrite: false }),
      'already_exists',
    );
    expect(err.message).toContain('/a.txt');
    expect(err.message).not.toContain(box.root); // host paths stay private
    expect(read('a.txt')).toBe('first');
    const replaced = await conn.write('/a.txt', bytes('second'), { overwrite: true });
    expect(replaced.size).toBe(6);
    expect(read('a.txt')).toBe('second');
    expect(partialFiles(box.root)).toEqual([]);
  });

  it('lets exactly one of two concurrent non-overwriting writers win', async () => {
    const results = await Promise.allSettled([
      conn.write('/race.txt', bytes('one'), { overwrite: false }),
      conn.write('/race.txt', bytes('two'), { overwrite: false }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    // The loser either finds the target taken or the winner's write still in progress (retry later).
    expect(rejected).toHaveLength(1);
    expect(['already_exists', 'retryable']).toContain((rejected[0].reason as { kind: string }).kind);
    expect(['one', 'two']).toContain(read('race.txt'));
    expect(partialFiles(box.root)).toEqual([]);
  });

  it('takes over the partial file a killed writer left behind, but not a live one', async () => {
    // What a SIGKILLed write of /crashed.bin leaves: its partial file, no longer growing.
    const hash = createHash('sha256').update('crashed.bin').digest('hex').slice(0, 16);
    const partial = path.join(box.root, `.mc-partial-${hash}`);
    fs.writeFileSync(partial, 'half of it');
    // Still fresh: another write may be running, so this one is told to retry.
    await expectKind(conn.write('/crashed.bin', bytes('whole file'), { overwrite: false }), 'retryable');
    expect(fs.readFileSync(partial, 'utf8')).toBe('half of it');

    const stale = new Date(Date.now() - 60_000);
    fs.utimesSync(partial, stale, stale);
    await conn.write('/crashed.bin', bytes('whole file'), { overwrite: false });
    expect(read('crashed.bin')).toBe('whole file');
    expect(partialFiles(box.root)).toEqual([]);
  });

  it('fails with fatal_file when the byte count differs from the declared size', async () => {
    await expectKind(conn.write('/short.bin', bytes('12345'), { overwrite: false, size: 6 }), 'fatal_file');
    await expectKind(conn.write('/long.bin', bytes('1234567'), { overwrite: false, size: 6 }), 'fatal_file');
    expect(fs.readdirSync(box.root)).toEqual([]);
  });

  it('sets the modification time when given', async () => {
    const modifiedAt = '2020-01-02T03:04:05.678Z';
    const entry = await conn.write('/old.txt', bytes('x'), { overwrite: false, modifiedAt });
    expect(entry.modifiedAt).toBe(modifiedAt);
    expect(fs.statSync(path.join(box.root, 'old.txt')).mtime.toISOString()).toBe(modifiedAt);
    expect((await conn.stat('/old.txt')).modifiedAt).toBe(modifiedAt);
  });

  it('needs an existing parent folder, and will not write over a folder', async () => {
    await expectKind(conn.write('/no/such/dir.txt', bytes('x'), { overwrite: true }), 'not_found');
    fs.writeFileSync(path.join(box.root, 'file'), '');
    await expectKind(conn.write('/file/child.txt', bytes('x'), { overwrite: true }), 'wrong_type');
    fs.mkdirSync(path.join(box.root, 'folder'));
    await expectKind(conn.write('/folder', bytes('x'), { overwrite: true }), 'wrong_type');
    await expectKind(conn.write('/', bytes('x'), { overwrite: true }), 'wrong_type');
    await expectKind(conn.write('/.mc-partial-x', bytes('x'), { overwrite: true }), 'invalid_path');
    expect(partialFiles(box.root)).toEqual([]);
  });

  it('handles unicode and space names end to end', async () => {
    const folder = await conn.mkdir('/Mes documents/データ 2024');
    const p = `${folder.path}/résumé final 😀.txt`;
    await conn.write(p, bytes('ça marche'), { overwrite: false });
    expect(
      fs.readFileSync(path.join(box.root, 'Mes documents/データ 2024/résumé final 😀.txt'), 'utf8'),
    ).toBe('ça marche');
    const listed = await conn.list('/Mes documents', { recursive: true });
    expect(listed.entries.map((e) => e.path)).toEqual(['/Mes documents/データ 2024', p]);
    expect((await conn.stat(p)).name).toBe('résumé final 😀.txt');
  });

  it('streams a 50 MB file through without corrupting a byte', async () => {
    const size = 50 * 1024 * 1024;
    const sourceHash = createHash('sha256');
    const source = Readable.from(
      (async function* () {
        for (let left = size; left > 0; left -= 1024 * 1024) {
          const chunk = randomBytes(Math.min(1024 * 1024, left));
          sourceHash.update(chunk);
          yield chunk;
        }
      })(),
    );
    const entry = await conn.write('/big.bin', source, { overwrite: false, size });
    expect(entry.size).toBe(size);
    const written = createHash('sha256');
    await pipeline(await conn.openRead('/big.bin'), written);
    expect(written.digest('hex')).toBe(sourceHash.digest('hex'));
  });
});

describe('resumable writes (a large file whose caller keeps upload sessions)', () => {
  const MiB = 1024 * 1024;

  /** A write of `data` that fails at byte `cut`, keeping its sessions; answers the last one. */
  async function interrupted(target: string, data: Buffer, cut: number): Promise<UploadSession> {
    const sessions: UploadSession[] = [];
    await expectKind(
      conn.write(target, failingStreamOf(data, cut), {
        overwrite: false,
        size: data.length,
        onSession: (s) => void sessions.push(s),
      }),
      'retryable',
    );
    return sessions.at(-1)!;
  }

  it('reports its progress every few MiB and resumes from the partial file it kept', async () => {
    const data = randomBytes(20 * MiB);
    const session = await interrupted('/big.bin', data, 19 * MiB);
    // 8 MiB, 16 MiB, then the failure point.
    expect(session).toMatchObject({
      service: 'local',
      path: '/big.bin',
      offset: 19 * MiB,
      size: data.length,
    });
    const [partial] = partialFiles(box.root);
    expect(fs.statSync(path.join(box.root, partial!)).size).toBe(19 * MiB);
    // Hidden from listings, and no file under the real name yet.
    expect((await conn.list('/')).entries).toEqual([]);

    // The next attempt sends only the rest (no waiting for the partial file to go stale).
    const entry = await conn.write('/big.bin', streamOf(data.subarray(session.offset)), {
      overwrite: false,
      size: data.length,
      session,
    });
    expect(entry.size).toBe(data.length);
    expect(fs.readFileSync(path.join(box.root, 'big.bin')).equals(data)).toBe(true);
    expect(partialFiles(box.root)).toEqual([]);
  });

  it('cuts the partial file back to the committed offset before appending', async () => {
    const data = randomBytes(3 * MiB);
    const session = await interrupted('/cut.bin', data, 2 * MiB);
    // A killed writer got further than its last report: the extra bytes are written again.
    const earlier = { ...session, offset: MiB };
    await conn.write('/cut.bin', streamOf(data.subarray(MiB)), {
      overwrite: false,
      size: data.length,
      session: earlier,
    });
    expect(fs.readFileSync(path.join(box.root, 'cut.bin')).equals(data)).toBe(true);
  });

  it('answers not_found for a session whose partial file is gone, replaced or too short', async () => {
    const data = randomBytes(2 * MiB);
    const session = await interrupted('/gone.bin', data, MiB);
    const partial = path.join(box.root, partialFiles(box.root)[0]!);
    const resume = (s: UploadSession) =>
      conn.write('/gone.bin', streamOf(data.subarray(s.offset)), {
        overwrite: false,
        size: data.length,
        session: s,
      });

    await expectKind(resume({ ...session, offset: 2 * MiB - 1 }), 'not_found');
    await expectKind(resume({ ...session, id: '1' }), 'not_found');
    fs.unlinkSync(partial);
    await expectKind(resume(session), 'not_found');
    expect(fs.readdirSync(box.root)).toEqual([]);
  });

  it('gives its partial file up when the upload is aborted', async () => {
    const data = randomBytes(MiB);
    const session = await interrupted('/dir-less.bin', data, MiB / 2);
    expect(partialFiles(box.root)).toHaveLength(1);
    // A session naming another file removes nothing; the right one removes its partial file.
    await conn.abortUpload!({ ...session, id: '1' });
    expect(partialFiles(box.root)).toHaveLength(1);
    await conn.abortUpload!(session);
    expect(partialFiles(box.root)).toEqual([]);
    // Paths outside the root are refused like any other path (and answer nothing).
    await conn.abortUpload!({ ...session, path: '/../../etc/passwd' });
  });

  it('removes the partial file when the size is wrong (nothing to resume)', async () => {
    const data = randomBytes(MiB);
    await expectKind(
      conn.write('/short.bin', streamOf(data), {
        overwrite: false,
        size: 2 * MiB,
        onSession: () => undefined,
      }),
      'fatal_file',
    );
    expect(partialFiles(box.root)).toEqual([]);
  });
});
