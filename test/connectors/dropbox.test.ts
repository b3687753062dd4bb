// The dropbox connector against the emulator: seeded paging and recursion, case-insensitive paths,
// Range reads, simple and chunked uploads with content_hash checked three ways, a resumed upload that
// sends only the remainder, mkdir -p, and error classification.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { UploadSession } from '../../connectors/cloud';
import type { Connector } from '../../connectors/types';
import { seedContent } from '../../emulators/common/seed';
import type { DropboxEmulator } from '../../emulators/dropbox';
import { connect, DROPBOX, useEmulator } from './cloud-targets';
import { expectKind } from './local-helpers';
import { hashOf, readAll, streamOf } from './streams';

const h = useEmulator(DROPBOX);
let emu: DropboxEmulator;
let c: Connector;
const contentHashOf = (data: Buffer) => hashOf('dropbox_content_hash', data);
beforeEach(() => {
  emu = h.emu;
  c = connect(DROPBOX, emu).c;
});

describe('dropbox connector', () => {
  it('pages a seeded tree with list_folder cursors, and lists it recursively', async () => {
    const { entries } = emu.seed({ seed: 7, files: 60, folders: 6, awkwardNames: true, maxSize: 2048 });
    const topLevel = entries.filter((e) => e.path.lastIndexOf('/') === 0).map((e) => e.path);
    const names: string[] = [];
    let pageToken: string | null = null;
    let pages = 0;
    do {
      const page = await c.list('/', { pageSize: 5, pageToken });
      expect(page.entries.length).toBeLessThanOrEqual(5);
      names.push(...page.entries.map((e) => e.path));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(topLevel.length / 5));
    expect(names.sort()).toEqual([...topLevel].sort());
    const all: string[] = [];
    pageToken = null;
    do {
      const page = await c.list('/', { recursive: true, pageSize: 13, pageToken });
      all.push(...page.entries.map((e) => e.path));
      pageToken = page.nextPageToken;
    } while (pageToken);
    expect(all.sort()).toEqual(entries.map((e) => e.path).sort());
    const file = entries.find((e) => e.type === 'file' && e.size > 100)!;
    const data = seedContent(file.path, file.size);
    const stat = await c.stat(file.path.toUpperCase());
    expect(stat).toMatchObject({ type: 'file', size: file.size, path: file.path });
    expect(stat.checksum).toEqual({ algorithm: 'dropbox_content_hash', value: contentHashOf(data) });
    expect((await readAll(c, file.path)).equals(data)).toBe(true);
    expect((await readAll(c, file.path, 100)).equals(data.subarray(100))).toBe(true);
    expect((await readAll(c, file.path, file.size)).length).toBe(0);
    await expectKind(c.openRead(file.path, { start: file.size + 1 }), 'fatal_file');
  });

  it('writes small files with one upload and large ones in chunks, hashes matching three ways', async () => {
    await c.mkdir('/Up');
    const small = Buffer.from('ünïcödé ✓ small');
    const s = await c.write('/up/Small ✓.txt', streamOf(small), {
      overwrite: false,
      size: small.length,
      modifiedAt: '2024-05-01T10:20:30.456Z',
    });
    expect(s).toMatchObject({ name: 'Small ✓.txt', size: small.length, modifiedAt: '2024-05-01T10:20:30Z' });
    expect(emu.counters.snapshot().requests['POST /2/files/upload']).toBe(1);
    const big = randomBytes(3 * 1024 * 1024 + 5);
    const sessions: UploadSession[] = [];
    const b = await c.write('/up/big.bin', streamOf(big), {
      overwrite: false,
      size: big.length,
      onSession: (x) => sessions.push(x),
    });
    const counts = emu.counters.snapshot().requests;
    expect(counts['POST /2/files/upload_session/start']).toBe(1);
    expect(counts['POST /2/files/upload_session/append_v2']).toBe(12);
    expect(counts['POST /2/files/upload_session/finish']).toBe(1);
    expect(sessions.map((x) => x.offset)).toEqual(
      Array.from({ length: 13 }, (_, i) => Math.min((i + 1) * 256 * 1024, big.length)),
    );
    const stored = emu.store.get('/UP/BIG.BIN')!;
    expect(stored.content!.equals(big)).toBe(true);
    expect(b.checksum!.value).toBe(stored.contentHash);
    expect(b.checksum!.value).toBe(contentHashOf(big));
    // Independent computation: SHA-256 over the SHA-256 of each 4 MiB block.
    const blocks = [big.subarray(0, 4 * 1024 * 1024)].map((x) => createHash('sha256').update(x).digest());
    expect(createHash('sha256').update(Buffer.concat(blocks)).digest('hex')).toBe(b.checksum!.value);
    expect((await readAll(c, '/up/big.bin', 1_000_000)).equals(big.subarray(1_000_000))).toBe(true);
  });

  it('resumes an interrupted upload from the last reported session, sending only the remainder', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    let last: UploadSession | null = null;
    const failing = Readable.from(
      (async function* () {
        for (let i = 0; i < data.length; i += 64 * 1024) {
          if (i >= 1_500_000) throw new Error('source went away');
          yield data.subarray(i, i + 64 * 1024);
        }
      })(),
    );
    await expect(
      c.write('/r.bin', failing, { overwrite: false, size: data.length, onSession: (s) => (last = s) }),
    ).rejects.toThrow('source went away');
    const session = last as UploadSession | null;
    expect(session).toMatchObject({ service: 'dropbox', size: data.length });
    expect(session!.offset).toBeGreaterThan(1_000_000);
    expect(emu.store.get('/r.bin')).toBeUndefined();
    emu.counters.reset();
    const done = await c.write('/r.bin', streamOf(data.subarray(session!.offset)), {
      overwrite: false,
      size: data.length,
      session,
    });
    expect(emu.counters.snapshot().bytes_in).toBe(data.length - session!.offset);
    expect(emu.counters.snapshot().requests['POST /2/files/upload_session/start']).toBeUndefined();
    expect(done.checksum!.value).toBe(contentHashOf(data));
    expect(emu.store.get('/r.bin')!.content!.equals(data)).toBe(true);
  });

  it('skips bytes the service already has when the session offset is behind (incorrect_offset)', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    let last: UploadSession | null = null;
    await c.write('/tmp.bin', streamOf(data), {
      overwrite: false,
      size: data.length,
      onSession: (s) => (last = s),
    });
    const start = await fetch(`${emu.url}/2/files/upload_session/start`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${emu.tokens.grant(emu.defaultClient.clientId).access_token}`,
        'Dropbox-API-Arg': '{}',
      },
      body: data.subarray(0, 700_000),
    });
    const { session_id } = (await start.json()) as { session_id: string };
    // The caller only heard of 300,000 bytes; the service holds 700,000.
    const stale: UploadSession = { ...(last as unknown as UploadSession), id: session_id, offset: 300_000 };
    const done = await c.write('/late.bin', streamOf(data.subarray(300_000)), {
      overwrite: false,
      size: data.length,
      session: stale,
    });
    expect(done.size).toBe(data.length);
    expect(emu.store.get('/late.bin')!.content!.equals(data)).toBe(true);
  });

  it('makes folders with parents idempotently, and classifies missing items, conflicts and types', async () => {
    const made = await c.mkdir('/A/b c/D');
    expect(made).toMatchObject({ type: 'folder', path: '/A/b c/D', name: 'D' });
    expect(await c.mkdir('/a/B C/d')).toMatchObject({ type: 'folder', path: '/A/b c/D' });
    expect((await c.stat('/')).type).toBe('folder');
    await expectKind(c.stat('/a/none'), 'not_found');
    await expectKind(c.list('/a/none'), 'not_found');
    await expectKind(c.openRead('/a/none.txt'), 'not_found');
    await c.write('/a/f.txt', streamOf(Buffer.from('one')), { overwrite: false });
    await expectKind(
      c.write('/A/F.TXT', streamOf(Buffer.from('two')), { overwrite: false }),
      'already_exists',
    );
    // Identical content is no conflict on Dropbox: a retried write succeeds.
    expect((await c.write('/a/f.txt', streamOf(Buffer.from('one')), { overwrite: false })).size).toBe(3);
    await expectKind(c.write('/a/b c', streamOf(Buffer.from('x')), { overwrite: true }), 'already_exists');
    await expectKind(c.write('/a/f.txt/x', streamOf(Buffer.from('x')), { overwrite: false }), 'wrong_type');
    await expectKind(c.mkdir('/a/f.txt'), 'wrong_type');
    await expectKind(c.list('/a/f.txt'), 'wrong_type');
    await expectKind(c.openRead('/a'), 'wrong_type');
    const big = randomBytes(1024 * 1024 + 1);
    await expectKind(
      c.write('/a/f.txt', streamOf(big), { overwrite: false, size: big.length }),
      'already_exists',
    );
    expect(emu.counters.snapshot().requests['POST /2/files/upload_session/start']).toBeUndefined();
    await expectKind(
      c.write('/a/f.txt', streamOf(Buffer.from('abc')), { overwrite: false, size: 5 }),
      'fatal_file',
    );
  });
});
