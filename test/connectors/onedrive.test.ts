// The onedrive connector against the Graph emulator: seeded listing, Range reads, chunked session
// writes with quickXorHash, resuming an interrupted upload, mkdir -p and error classification.
import { Readable } from 'node:stream';
import type { UploadSession } from '../../connectors/cloud';
import type { Connector } from '../../connectors/types';
import { seedContent } from '../../emulators/common/seed';
import type { OneDriveEmulator } from '../../emulators/onedrive';
import { connect, ONEDRIVE, useEmulator } from './cloud-targets';
import { expectKind } from './local-helpers';
import { hashOf, readAll as readFrom } from './streams';

const KiB = 1024;
const h = useEmulator(ONEDRIVE);
let emu: OneDriveEmulator;
let c: Connector;
const qxh = (b: Buffer) => hashOf('quickxor', b);
const pattern = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + (i >> 9)) % 256));
const readAll = (path: string, start?: number) => readFrom(c, path, start);

beforeEach(() => {
  emu = h.emu;
  c = connect(ONEDRIVE, emu).c;
});

describe('onedrive connector', () => {
  it('lists a seeded tree in pages, recursively, and reads files whole and from an offset', async () => {
    const { entries } = emu.seed({ seed: 7, files: 60, folders: 6, awkwardNames: true, maxSize: 4096 });
    const below = (p: string) => entries.filter((e) => e.path.startsWith('/') && e.path !== p);
    const all: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page = await c.list('/', { recursive: true, pageSize: 9, pageToken: token });
      expect(page.entries.length).toBeLessThanOrEqual(9);
      all.push(...page.entries.map((e) => e.path));
      token = page.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(entries.length / 9));
    expect(all.sort()).toEqual(
      below('/')
        .map((e) => e.path)
        .sort(),
    );
    expect(emu.counters.snapshot().requests['GET /v1.0/me/drive/items/{id}/children']).toBeGreaterThan(6);
    const file = entries.find((e) => e.type === 'file' && e.size > 100)!;
    const bytes = seedContent(file.path, file.size);
    const stat = await c.stat(file.path.toUpperCase());
    expect(stat).toMatchObject({
      type: 'file',
      size: file.size,
      checksum: { algorithm: 'quickxor', value: qxh(bytes) },
    });
    expect((await readAll(file.path)).equals(bytes)).toBe(true);
    expect((await readAll(file.path, 100)).equals(bytes.subarray(100))).toBe(true);
    expect(emu.counters.snapshot().requests['GET /_download/{id}']).toBe(2);
  });

  it('writes small files in one PUT and large ones in 320 KiB fragments with a matching hash', async () => {
    await c.mkdir('/up');
    const small = await c.write('/up/s.txt', Readable.from([Buffer.from('small')]), {
      overwrite: false,
      size: 5,
    });
    expect(small.checksum).toEqual({ algorithm: 'quickxor', value: qxh(Buffer.from('small')) });
    const data = pattern(3 * 1024 * KiB);
    const sessions: UploadSession[] = [];
    const big = await c.write('/up/big.bin', Readable.from([data]), {
      overwrite: false,
      size: data.length,
      onSession: (s) => sessions.push(s),
    });
    const stored = emu.store.walk(emu.store.get('root')!, ['up', 'big.bin'])!;
    expect(stored.content!.equals(data)).toBe(true);
    expect(big.checksum).toEqual({ algorithm: 'quickxor', value: qxh(data) });
    expect(big.checksum!.value).toBe(stored.quickXorHash);
    const fragments = Math.ceil(data.length / (320 * KiB));
    expect(emu.counters.snapshot().requests['PUT /_upload/{id}']).toBe(fragments);
    expect(sessions.map((s) => s.offset)).toEqual(Array.from({ length: fragments }, (_, i) => i * 320 * KiB));
    expect(emu.counters.snapshot().requests['PUT /v1.0/me/drive/items/{id}:{path}:/content']).toBe(1);
  });

  it('uploads a large stream of unknown size (a Google Doc export) through a session after spooling it', async () => {
    await c.mkdir('/up');
    const data = pattern(2 * 1024 * KiB + 7);
    const chunks = Array.from({ length: Math.ceil(data.length / (100 * KiB)) }, (_, i) =>
      data.subarray(i * 100 * KiB, (i + 1) * 100 * KiB),
    );
    const written = await c.write('/up/export.docx', Readable.from(chunks), { overwrite: false });
    expect(written.size).toBe(data.length);
    const stored = emu.store.walk(emu.store.get('root')!, ['up', 'export.docx'])!;
    expect(stored.content!.equals(data)).toBe(true);
    expect(emu.counters.snapshot().requests['PUT /_upload/{id}']).toBe(Math.ceil(data.length / (320 * KiB)));
  });

  it('resumes an interrupted upload, sending only the remainder', async () => {
    const data = pattern(2 * 1024 * KiB + 5);
    let last: UploadSession | null = null;
    const broken = Readable.from(
      (async function* () {
        yield data.subarray(0, 700 * KiB);
        throw new Error('source went away');
      })(),
    );
    await expect(
      c.write('/r.bin', broken, { overwrite: false, size: data.length, onSession: (s) => (last = s) }),
    ).rejects.toThrow('source went away');
    const session = last as UploadSession | null;
    expect(session?.offset).toBe(640 * KiB);
    expect(emu.store.child(emu.store.rootId, 'r.bin')).toBeUndefined();
    emu.counters.reset();
    const done = await c.write('/r.bin', Readable.from([data.subarray(session!.offset)]), {
      overwrite: false,
      size: data.length,
      session,
    });
    expect(done.checksum!.value).toBe(qxh(data));
    const sent = emu.counters.snapshot();
    expect(sent.bytes_in).toBe(data.length - 640 * KiB);
    expect(sent.requests['GET /_upload/{id}']).toBe(1);
  });

  it('makes folders with mkdir -p idempotently and classifies missing items, conflicts and bad names', async () => {
    const made = await c.mkdir('/a/b/c');
    expect(made).toMatchObject({ path: '/a/b/c', type: 'folder' });
    expect((await c.mkdir('/A/B/c')).id).toBe(made.id);
    await expectKind(c.stat('/a/nope'), 'not_found');
    await expectKind(c.list('/missing'), 'not_found');
    await c.write('/a/x.txt', Readable.from([Buffer.from('1')]), { overwrite: false });
    await expectKind(
      c.write('/a/X.TXT', Readable.from([Buffer.from('2')]), { overwrite: false }),
      'already_exists',
    );
    await expectKind(c.mkdir('/a/x.txt'), 'wrong_type');
    const bad = await expectKind(
      c.write('/a/what?.txt', Readable.from([Buffer.from('3')]), { overwrite: false }),
      'fatal_file',
    );
    expect(bad.message).toContain('"what?.txt"');
    await expectKind(c.mkdir('/a/x:y'), 'fatal_file');
    await c.write('/a/X.txt', Readable.from([Buffer.from('22')]), { overwrite: true });
    expect((await readAll('/a/x.txt')).toString()).toBe('22');
    expect((await c.list('/a')).entries.map((e) => e.name)).toEqual(['b', 'x.txt']);
  });
});
