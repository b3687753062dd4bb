// WriteOptions.modifiedAt (preserve_modified_time): every connector that declares setModifiedTime
// gives the file it writes that modification time — small and large (upload session) files, new ones
// and replaced ones — and without it the file gets the time of the write.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createLocalConnector } from '../../connectors/local';
import type { Connector } from '../../connectors/types';
import {
  connect,
  DROPBOX,
  GOOGLE_DRIVE,
  ONEDRIVE,
  useEmulator,
  type CloudSpec,
  type CloudEmulator,
} from '../connectors/cloud-targets';

const KiB = 1024;
const THEN = '2021-03-04T05:06:07.000Z';
const SIZES = { small: 10 * KiB, large: 1536 * KiB };

const bytes = (size: number, fill: number) => Buffer.alloc(size, fill);
const seconds = (iso: string | null) => Math.floor(Date.parse(iso ?? '') / 1000);

async function checkModifiedTimes(c: Connector): Promise<void> {
  expect(c.features.setModifiedTime).toBe(true);
  const started = Date.now() - 60_000;
  for (const [kind, size] of Object.entries(SIZES)) {
    const file = `/${kind}.bin`;
    const created = await c.write(file, Readable.from([bytes(size, 1)]), {
      overwrite: false,
      size,
      modifiedAt: THEN,
    });
    expect({ kind, at: seconds(created.modifiedAt) }).toEqual({ kind, at: seconds(THEN) });
    expect(seconds((await c.stat(file)).modifiedAt)).toBe(seconds(THEN));

    // Replaced without a time: the time of the write.
    await c.write(file, Readable.from([bytes(size, 2)]), { overwrite: true, size, modifiedAt: null });
    expect(Date.parse((await c.stat(file)).modifiedAt!)).toBeGreaterThan(started);

    // Replaced with one: that time again.
    const later = '2022-11-12T13:14:15.000Z';
    await c.write(file, Readable.from([bytes(size, 3)]), { overwrite: true, size, modifiedAt: later });
    expect({ kind, at: seconds((await c.stat(file)).modifiedAt) }).toEqual({ kind, at: seconds(later) });
  }
}

describe('local', () => {
  let root: string;
  beforeAll(() => (root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-mtime-')))));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('sets the modification time it is given', async () => {
    await checkModifiedTimes(createLocalConnector(root, [root]));
  });
});

function describeCloud<E extends CloudEmulator>(spec: CloudSpec<E>) {
  describe(spec.service, () => {
    const h = useEmulator(spec);
    it('sets the modification time it is given', async () => {
      await checkModifiedTimes(connect(spec, h.emu).c);
    });
  });
}

describeCloud(GOOGLE_DRIVE);
describeCloud(DROPBOX);

describe('onedrive', () => {
  const h = useEmulator(ONEDRIVE);
  it('does not claim to set modification times', () => {
    expect(connect(ONEDRIVE, h.emu).c.features.setModifiedTime).toBe(false);
  });
});
