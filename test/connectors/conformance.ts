// The conformance suite every connector passes: one contract, checked the same way for the local
// folder and for each cloud service against its emulator — and, for the cloud ones, again under
// injected faults (conformance-faults.ts). targets.ts runs it for every registered service, each with a
// factory for a fresh, empty connection.
import { randomBytes } from 'node:crypto';
import type { UploadSession } from '../../connectors/cloud';
import { serviceDefinition } from '../../connectors';
import type { Connector } from '../../connectors/types';
import type { ServiceName } from '../../contract';
import type { FaultSettings } from '../../emulators/common/faults';
import { FaultRun } from './conformance-faults';
import type { EmulatorControl } from './fault-helpers';
import { expectKind } from './local-helpers';
import { failingStreamOf, hashOf, readAll, streamOf } from './streams';

export interface ConformanceTarget {
  /** A connector on an empty root, and how to dispose of it. */
  connector: Connector;
  cleanup(): Promise<void> | void;
  /**
   * Whether the connector resumes an upload from a reported session (`WriteOptions.session`).
   * Without, it reports none and an interrupted write starts over from byte 0.
   */
  resumableUploads: boolean;
  /** Cloud targets: the emulator's control API (byte counters, fault injection). */
  emulator?: EmulatorControl;
  /** Cloud targets: the token refreshes the connector reported through onTokens. */
  tokenRefreshes?(): number;
}

export interface ConformanceOptions {
  largeBytes?: number;
  /** Run every test under these emulator faults, through a retrying connector (cloud targets). */
  faults?: Partial<FaultSettings>;
}

async function listAll(c: Connector, path: string, recursive = false, pageSize = 1000) {
  const names: string[] = [];
  let pageToken: string | null = null;
  let pages = 0;
  do {
    const page = await c.list(path, { recursive, pageSize, pageToken });
    names.push(...page.entries.map((e) => e.path));
    pageToken = page.nextPageToken;
    pages++;
  } while (pageToken);
  return { names, pages };
}

export function describeConformance(
  name: ServiceName,
  make: () => Promise<ConformanceTarget>,
  options: ConformanceOptions = {},
) {
  const largeBytes = options.largeBytes ?? 3 * 1024 * 1024 + 17;
  const faults = options.faults ? new FaultRun(options.faults) : null;
  describe(`${name} connector conformance${faults ? ' under injected faults' : ''}`, () => {
    let t: ConformanceTarget;
    let c: Connector;
    beforeEach(async () => {
      t = await make();
      c = faults ? await faults.start(t) : t.connector;
    });
    afterEach(async () => {
      await faults?.stop(t);
      await t.cleanup();
    });

    it('declares the capabilities its service registers, and has what they need', () => {
      const registered = serviceDefinition(name).features;
      expect(c.service).toBe(name);
      expect(c.features).toEqual(registered);
      // Mirror mode deletes at every destination; a change feed is what incremental runs read.
      expect(typeof c.delete).toBe('function');
      if (c.changes) expect(typeof c.changes.list).toBe('function');
    });

    it('makes nested folders, idempotently', async () => {
      await c.mkdir('/a/b c/d');
      await c.mkdir('/a/b c/d');
      expect((await c.stat('/a/b c')).type).toBe('folder');
      expect((await c.list('/a/b c')).entries.map((e) => [e.name, e.type])).toEqual([['d', 'folder']]);
    });

    it('writes, stats and reads a small file, also from an offset', async () => {
      await c.mkdir('/docs');
      const data = Buffer.from('hello, conformance ✓');
      const written = await c.write('/docs/hello.txt', streamOf(data), {
        overwrite: false,
        size: data.length,
      });
      expect(written).toMatchObject({
        name: 'hello.txt',
        path: '/docs/hello.txt',
        type: 'file',
        size: data.length,
      });
      const stat = await c.stat('/docs/hello.txt');
      expect(stat.size).toBe(data.length);
      expect((await readAll(c, '/docs/hello.txt')).equals(data)).toBe(true);
      expect((await readAll(c, '/docs/hello.txt', 7)).equals(data.subarray(7))).toBe(true);
    });

    it('streams a large file through and reports the hash it declares', async () => {
      await c.mkdir('/big');
      const data = randomBytes(largeBytes);
      await c.write('/big/blob.bin', streamOf(data), { overwrite: false, size: data.length });
      expect((await readAll(c, '/big/blob.bin')).equals(data)).toBe(true);
      const stat = await c.stat('/big/blob.bin');
      expect(stat.size).toBe(data.length);
      const [algorithm] = c.features.hashes;
      if (algorithm) expect(stat.checksum).toEqual({ algorithm, value: hashOf(algorithm, data) });
    });

    it('resumes an interrupted upload from its session, or starts over where there are none', async () => {
      await c.mkdir('/resume');
      const data = randomBytes(largeBytes);
      // The source fails three quarters in: chunks before that are committed, the rest is not.
      const cut = Math.floor(data.length * 0.75);
      const sessions: UploadSession[] = [];
      const before = (await t.emulator?.counters())?.bytes_in ?? 0;
      await expect(
        c.write('/resume/r.bin', failingStreamOf(data, cut), {
          overwrite: false,
          size: data.length,
          onSession: (s) => void sessions.push(s),
        }),
      ).rejects.toThrow('source interrupted');
      await expectKind(c.stat('/resume/r.bin'), 'not_found');
      expect((await c.list('/resume')).entries).toEqual([]);
      const session = sessions.at(-1) ?? null;
      if (t.resumableUploads) {
        expect(session).toMatchObject({ service: c.service, size: data.length });
        // At least one chunk committed, and most of the file: a restart would send far more.
        expect(session!.offset).toBeGreaterThanOrEqual(data.length * 0.6);
        expect(session!.offset).toBeLessThanOrEqual(cut);
      } else {
        // Nothing to resume from: the second write sends the whole file again.
        expect(sessions).toEqual([]);
      }
      const from = session?.offset ?? 0;
      const written = await c.write('/resume/r.bin', streamOf(data.subarray(from)), {
        overwrite: false,
        size: data.length,
        session,
      });
      expect(written).toMatchObject({ path: '/resume/r.bin', size: data.length });
      expect((await readAll(c, '/resume/r.bin')).equals(data)).toBe(true);
      if (t.emulator) {
        // Resumed, not restarted: both attempts together sent the file about once, not 1.75 times.
        const received = (await t.emulator.counters()).bytes_in - before;
        expect(received).toBeGreaterThanOrEqual(data.length);
        expect(received).toBeLessThan(data.length * 1.5);
      }
    });

    it('pages through a folder and lists recursively', async () => {
      await c.mkdir('/many/sub');
      for (let i = 0; i < 23; i++) {
        await c.write(`/many/f${String(i).padStart(2, '0')}.txt`, streamOf(Buffer.from(`#${i}`)), {
          overwrite: false,
        });
      }
      await c.write('/many/sub/deep.txt', streamOf(Buffer.from('deep')), { overwrite: false });
      const paged = await listAll(c, '/many', false, 10);
      expect(paged.pages).toBeGreaterThanOrEqual(3);
      expect(new Set(paged.names).size).toBe(paged.names.length);
      expect(paged.names.sort()).toEqual(
        [
          ...Array.from({ length: 23 }, (_, i) => `/many/f${String(i).padStart(2, '0')}.txt`),
          '/many/sub',
        ].sort(),
      );
      const recursive = await listAll(c, '/many', true, 7);
      expect(recursive.names).toContain('/many/sub/deep.txt');
      expect(recursive.names).toHaveLength(25);
    });

    it('rejects a page token it did not make as an invalid page_token', async () => {
      await c.mkdir('/t');
      await expect(c.list('/t', { pageToken: 'bm90IGEgdG9rZW4' })).rejects.toMatchObject({
        code: 'invalid_parameter',
        message: expect.stringContaining('page_token'),
      });
    });

    it('classifies missing items and conflicts, and overwrites on request', async () => {
      await expectKind(c.stat('/nope.txt'), 'not_found');
      await expectKind(c.openRead('/nope.txt'), 'not_found');
      await c.write('/x.txt', streamOf(Buffer.from('one')), { overwrite: false });
      await expectKind(
        c.write('/x.txt', streamOf(Buffer.from('two')), { overwrite: false }),
        'already_exists',
      );
      await c.write('/x.txt', streamOf(Buffer.from('three')), { overwrite: true });
      expect((await readAll(c, '/x.txt')).toString()).toBe('three');
    });

    if (faults) {
      it('really met throttling, 5xx, resets and expired tokens, and retried each', () => {
        faults.expectEveryFaultHappened();
      });
    }
  });
}
