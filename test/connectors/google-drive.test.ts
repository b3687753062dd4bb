// google_drive specifics against the emulator: paging and recursion over a seeded tree, hashes, large
// chunked writes, resuming an interrupted upload, idempotent creates, duplicate names, native documents.
import { Readable } from 'node:stream';
import type { UploadSession } from '../../connectors/cloud';
import type { Connector } from '../../connectors/types';
import { seedContent } from '../../emulators/common/seed';
import { exportContent, type GoogleDriveEmulator } from '../../emulators/google-drive';
import { connect, GOOGLE_DRIVE, useEmulator } from './cloud-targets';
import { expectKind } from './local-helpers';
import { hashOf, readAll as readFrom, streamOf } from './streams';

const KiB = 1024;
const h = useEmulator(GOOGLE_DRIVE);
let emu: GoogleDriveEmulator;
let c: Connector;
const md5 = (b: Buffer) => hashOf('md5', b);
const readAll = (path: string, start?: number) => readFrom(c, path, start);

beforeEach(() => {
  emu = h.emu;
  c = connect(GOOGLE_DRIVE, emu).c;
});

describe('google_drive connector', () => {
  it('resolves the folders of a path once per connector, not once per file', async () => {
    await c.mkdir('/a/b/c');
    for (let i = 0; i < 10; i++) {
      await c.write(`/a/b/c/f${i}.txt`, streamOf(Buffer.from(`#${i}`)), { overwrite: false });
    }
    const reader = connect(GOOGLE_DRIVE, emu).c;
    emu.counters.reset();
    for (let i = 0; i < 10; i++)
      expect((await readFrom(reader, `/a/b/c/f${i}.txt`)).toString()).toBe(`#${i}`);
    // Three folder look-ups, then one look-up of each file: not 4 per file.
    expect(emu.counters.snapshot().requests['GET /drive/v3/files']).toBe(3 + 10);
  });

  it('pages a folder and walks a seeded tree recursively, with md5 checksums and Range reads', async () => {
    const { entries } = emu.seed({ seed: 7, files: 40, folders: 6, maxDepth: 3, maxSize: 4000 });
    const paths: string[] = [];
    let pageToken: string | null = null;
    let pages = 0;
    do {
      const page = await c.list('/', { recursive: true, pageSize: 9, pageToken });
      expect(page.entries.length).toBeLessThanOrEqual(9);
      paths.push(...page.entries.map((e) => e.path));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(pages).toBeGreaterThanOrEqual(5);
    expect(paths.sort()).toEqual(entries.map((e) => e.path).sort());
    const file = entries.find((e) => e.type === 'file' && e.size > 100)!;
    const content = seedContent(file.path, file.size);
    const stat = await c.stat(file.path);
    expect(stat).toMatchObject({
      type: 'file',
      size: file.size,
      checksum: { algorithm: 'md5', value: md5(content) },
    });
    expect((await readAll(file.path)).equals(content)).toBe(true);
    expect((await readAll(file.path, 100)).equals(content.subarray(100))).toBe(true);
    expect(emu.counters.snapshot().requests['GET /drive/v3/files/{id}']).toBe(2);
  });

  it('writes 3 MiB in 256 KiB chunks; hashes agree with the emulator and an independent md5', async () => {
    await c.mkdir('/up');
    const data = Buffer.alloc(3 * 1024 * KiB + 5);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 256;
    const sessions: UploadSession[] = [];
    const written = await c.write('/up/big.bin', streamOf(data), {
      overwrite: false,
      size: data.length,
      onSession: (s) => sessions.push(s),
    });
    const stored = [...emu.store.files.values()].find((f) => f.name === 'big.bin')!;
    expect(stored.content!.equals(data)).toBe(true);
    expect(written.checksum).toEqual({ algorithm: 'md5', value: md5(data) });
    expect(stored.md5Checksum).toBe(md5(data));
    expect(emu.counters.snapshot().requests['PUT /upload/drive/v3/files']).toBe(13);
    expect(sessions.map((s) => s.offset)).toEqual(Array.from({ length: 13 }, (_, i) => i * 256 * KiB));
    expect(sessions[0]).toMatchObject({ service: 'google_drive', id: stored.id, size: data.length });
  });

  it('resumes an interrupted upload, sending only the remaining bytes', async () => {
    const data = Buffer.from(Array.from({ length: 2 * 1024 * KiB }, (_, i) => (i * 7) % 256));
    let last: UploadSession | null = null;
    const broken = Readable.from(
      (async function* () {
        for (let i = 0; i < 1024 * KiB; i += 64 * KiB) yield data.subarray(i, i + 64 * KiB);
        throw new Error('source went away');
      })(),
    );
    await expect(
      c.write('/resume.bin', broken, { overwrite: false, size: data.length, onSession: (s) => (last = s) }),
    ).rejects.toThrow('source went away');
    const session = last as UploadSession | null;
    expect(session?.offset).toBe(1024 * KiB);
    expect([...emu.store.files.values()].some((f) => f.name === 'resume.bin')).toBe(false);
    emu.counters.reset();
    const rest = data.subarray(session!.offset);
    const entry = await c.write('/resume.bin', streamOf(rest), {
      overwrite: false,
      size: data.length,
      session,
    });
    expect(entry.size).toBe(data.length);
    expect((await readAll('/resume.bin')).equals(data)).toBe(true);
    const { bytes_in } = emu.counters.snapshot();
    expect(bytes_in).toBe(rest.length);
  });

  it('makes creates idempotent: a retried write with its session finds the file it made', async () => {
    let session: UploadSession | null = null;
    const first = await c.write('/once.txt', streamOf(Buffer.from('once')), {
      overwrite: false,
      onSession: (s) => (session = s),
    });
    const again = await c.write('/once.txt', streamOf(Buffer.from('once')), { overwrite: false, session });
    expect(again.id).toBe(first.id);
    expect([...emu.store.files.values()].filter((f) => f.name === 'once.txt')).toHaveLength(1);
    await c.mkdir('/p/q');
    await c.mkdir('/p/q');
    expect([...emu.store.files.values()].filter((f) => f.name === 'q')).toHaveLength(1);
  });

  it('resolves duplicate names to the oldest and overwrites that one', async () => {
    const root = emu.store.rootId;
    const older = emu.store.create({
      name: 'dup.txt',
      mimeType: 'text/plain',
      parents: [root],
      content: Buffer.from('old'),
    });
    emu.store.create({
      name: 'dup.txt',
      mimeType: 'text/plain',
      parents: [root],
      content: Buffer.from('newer'),
    });
    expect((await c.stat('/dup.txt')).id).toBe(older.id);
    expect((await readAll('/dup.txt')).toString()).toBe('old');
    await c.write('/dup.txt', streamOf(Buffer.from('replaced')), { overwrite: true });
    expect(emu.store.files.get(older.id)!.content!.toString()).toBe('replaced');
    expect((await c.list('/')).entries.map((e) => e.name)).toEqual(['dup.txt', 'dup.txt']);
  });

  it('classifies missing paths, conflicts and wrong types', async () => {
    await expectKind(c.stat('/missing/x'), 'not_found');
    await expectKind(c.write('/missing/x', streamOf(Buffer.from('x')), { overwrite: false }), 'not_found');
    await c.write('/f.txt', streamOf(Buffer.from('f')), { overwrite: false });
    await expectKind(c.write('/f.txt', streamOf(Buffer.from('g')), { overwrite: false }), 'already_exists');
    await expectKind(c.mkdir('/f.txt/sub'), 'wrong_type');
    await expectKind(c.list('/f.txt'), 'wrong_type');
  });

  it('exports natives to Office formats; an export over 10 MB is fatal for that file', async () => {
    const natives = emu.seedNatives();
    const listed = await c.list('/Google Docs');
    expect(listed.entries.map((e) => [e.name, e.size, e.checksum])).toEqual(
      ['Budget', 'Huge report', 'Meeting notes', 'Roadmap'].map((n) => [n, null, null]),
    );
    const doc = natives.find((n) => n.path === '/Google Docs/Meeting notes')!;
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const expected = exportContent(emu.store.get(doc.id)!, docx);
    expect((await readAll(doc.path)).equals(expected)).toBe(true);
    expect((await readAll(doc.path, 1000)).equals(expected.subarray(1000))).toBe(true);
    const err = await expectKind(c.openRead('/Google Docs/Huge report'), 'fatal_file');
    expect(err.message).toContain('exportSizeLimitExceeded');
  });
});
