// The conformance suite every connector passes: one contract, checked the same way for the local
// folder and for each cloud service against its emulator. A connector's own suite calls
// `describeConformance` with a factory for a fresh, empty connection.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { createHasher } from '../../connectors/hashing';
import type { Connector } from '../../connectors/types';
import { expectKind } from './local-helpers';

export interface ConformanceTarget {
  /** A connector on an empty root, and how to dispose of it. */
  connector: Connector;
  cleanup(): Promise<void> | void;
}

const streamOf = (data: Buffer, chunk = 64 * 1024) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    })(),
  );

async function readAll(c: Connector, path: string, start?: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await c.openRead(path, { start })) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
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
  name: string,
  make: () => Promise<ConformanceTarget>,
  opts = { largeBytes: 3 * 1024 * 1024 + 17 },
) {
  describe(`${name} connector conformance`, () => {
    let t: ConformanceTarget;
    let c: Connector;
    beforeEach(async () => {
      t = await make();
      c = t.connector;
    });
    afterEach(async () => {
      await t.cleanup();
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
      const data = randomBytes(opts.largeBytes);
      await c.write('/big/blob.bin', streamOf(data), { overwrite: false, size: data.length });
      expect((await readAll(c, '/big/blob.bin')).equals(data)).toBe(true);
      const stat = await c.stat('/big/blob.bin');
      expect(stat.size).toBe(data.length);
      const [algorithm] = c.features.hashes;
      if (algorithm) {
        const h = createHasher(algorithm);
        h.update(data);
        expect(stat.checksum).toEqual({ algorithm, value: h.digest() });
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
  });
}
