// A copy whose earlier try landed without its outcome (a lost answer, a killed worker) counts the
// file it finds as copied — only when it holds the source's bytes and was created since the batch
// began — and listing calls ride out retryable errors. Through the copy code the activities run,
// into a local folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { CopyContext } from '../../activities/copy/context';
import { copyFileWithRetries } from '../../activities/copy/file';
import { LISTING_TRIES, retryingListing } from '../../activities/listing/retries';
import { createLocalConnector } from '../../connectors/local';
import { ConnectorError, type Connector } from '../../connectors/types';
import type { FileTask } from '../../contract';

let tmp: string;
let source: Connector;
let destination: Connector;

beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-earlier-')));
  fs.mkdirSync(path.join(tmp, 'src'));
  fs.mkdirSync(path.join(tmp, 'dst'));
  source = createLocalConnector(path.join(tmp, 'src'), [tmp]);
  destination = createLocalConnector(path.join(tmp, 'dst'), [tmp]);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sourceFile(name: string, content: string): FileTask {
  fs.writeFileSync(path.join(tmp, 'src', name), content);
  return { sourcePath: `/${name}`, destinationPath: `/${name}`, size: content.length, modifiedAt: null };
}

const context = (dst: Connector, extra: Partial<CopyContext> = {}): CopyContext => ({
  source,
  destination: dst,
  conflict: 'skip',
  verify: 'checksum',
  signal: new AbortController().signal,
  sleep: () => Promise.resolve(),
  sinceMs: Date.now() - 1000,
  ...extra,
});

const put = (p: string, content: string) =>
  destination.write(p, Readable.from([Buffer.from(content)]), { overwrite: true, size: content.length });

it('counts a write whose answer was lost as copied, and writes nothing twice', async () => {
  const task = sourceFile('a.txt', 'hello');
  let writes = 0;
  // The write lands, then the connection resets before the answer.
  const losing: Connector = {
    ...destination,
    async write(p, data, options) {
      await destination.write(p, data, options);
      if (++writes === 1) throw new ConnectorError('retryable', 'socket hang up');
      throw new Error('written twice');
    },
  };
  expect(await copyFileWithRetries(context(losing), task)).toEqual({ status: 'copied', bytes: 5 });
  expect(writes).toBe(1);
});

it('in a retried batch, counts an identical file created since the batch began as copied', async () => {
  const task = sourceFile('b.txt', 'same bytes');
  await put('/b.txt', 'same bytes');
  expect(await copyFileWithRetries(context(destination, { retried: true }), task)).toEqual({
    status: 'copied',
    bytes: 10,
  });
});

it('leaves a conflict a conflict: other content, or a file older than the batch', async () => {
  const other = sourceFile('c.txt', 'source bytes');
  await put('/c.txt', 'other bytes!');
  expect(await copyFileWithRetries(context(destination, { retried: true }), other)).toMatchObject({
    status: 'skipped',
  });

  const old = sourceFile('d.txt', 'same bytes');
  await put('/d.txt', 'same bytes');
  const reportsOld: Connector = {
    ...destination,
    stat: async (p) => ({ ...(await destination.stat(p)), createdAt: '2020-01-01T00:00:00.000Z' }),
  };
  expect(await copyFileWithRetries(context(reportsOld, { retried: true }), old)).toMatchObject({
    status: 'skipped',
  });
  // A first try never looks (an ordinary conflict costs no read of the source).
  expect(await copyFileWithRetries(context(destination), old)).toMatchObject({ status: 'skipped' });
});

describe('retryingListing', () => {
  it('retries list, stat and mkdir through retryable errors, waiting Retry-After', async () => {
    let calls = 0;
    const flaky: Connector = {
      ...destination,
      async list(p, o) {
        if (++calls < LISTING_TRIES) throw new ConnectorError('retryable', 'throttled', 1, false, true);
        return destination.list(p, o);
      },
    };
    await expect(retryingListing(flaky).list('/')).resolves.toMatchObject({ entries: [] });
    expect(calls).toBe(LISTING_TRIES);
  });

  it('gives up after its tries, and at once on other errors', async () => {
    let calls = 0;
    const down: Connector = {
      ...destination,
      stat: async () => {
        calls++;
        throw new ConnectorError('retryable', 'down', 1);
      },
      mkdir: async () => {
        calls++;
        throw new ConnectorError('permission_denied', 'no');
      },
    };
    await expect(retryingListing(down).stat('/x')).rejects.toThrow('down');
    expect(calls).toBe(LISTING_TRIES);
    calls = 0;
    await expect(retryingListing(down).mkdir('/x')).rejects.toThrow('no');
    expect(calls).toBe(1);
  });
});
