// Verified copies (the `verify` option) and large-file upload sessions, through the copy code the
// activities run, from a local folder into the Drive and OneDrive emulators: a destination that
// corrupts what it stores is written again and then failed with the hashes in the reason; a large
// upload interrupted mid-file resumes its session; a cancelled one gives the session up.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CopyContext, SessionHooks } from '../../activities/copy/context';
import { copyFileWithRetries } from '../../activities/copy/file';
import type { RequestGate, UploadSession } from '../../connectors/cloud';
import { createGoogleDriveConnector } from '../../connectors/google-drive';
import { createLocalConnector } from '../../connectors/local';
import type { Connector } from '../../connectors/types';
import { connect, GOOGLE_DRIVE, ONEDRIVE, useEmulator } from '../connectors/cloud-targets';
import type { FileTask, VerifyPolicy } from '../../contract';

const KiB = 1024;
let tmp: string;
let source: Connector;

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-verify-')));
  source = createLocalConnector(tmp, [tmp]);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function sourceFile(name: string, size: number): { task: FileTask; bytes: Buffer } {
  const bytes = randomBytes(size);
  fs.writeFileSync(path.join(tmp, name), bytes);
  return { task: { sourcePath: `/${name}`, destinationPath: `/${name}`, size, modifiedAt: null }, bytes };
}

function context(
  destination: Connector,
  verify: VerifyPolicy,
  extra: Partial<CopyContext> = {},
): CopyContext {
  return {
    source,
    destination,
    conflict: 'skip',
    verify,
    signal: new AbortController().signal,
    sleep: () => new Promise((r) => setTimeout(r, 5)),
    ...extra,
  };
}

/**
 * Session hooks as the batch activity keeps them, with a spy on each saved session; `cancelled` says
 * whether an abort of the copy is the user's cancel (otherwise: a worker shutting down).
 */
function hooks(
  onSave: (s: UploadSession | null) => void = () => undefined,
  cancelled: () => boolean = () => false,
): SessionHooks & {
  saved: (UploadSession | null)[];
} {
  let current: UploadSession | null = null;
  const saved: (UploadSession | null)[] = [];
  return {
    saved,
    cancelRequested: cancelled,
    get current() {
      return current;
    },
    save(s) {
      current = s;
      saved.push(s);
      onSave(s);
    },
  };
}

async function readAll(c: Connector, p: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await c.openRead(p)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

const requestsMatching = (requests: Record<string, number>, re: RegExp): number =>
  Object.entries(requests).reduce((n, [k, v]) => n + (re.test(k) ? v : 0), 0);

describe('to Google Drive (md5)', () => {
  const h = useEmulator(GOOGLE_DRIVE);
  const uploads = () => requestsMatching(h.emu.counters.snapshot().requests, /^(POST|PUT|PATCH) \/upload\//);

  it('writes a corrupted file again and keeps the good copy', async () => {
    const { task, bytes } = sourceFile('once.bin', 200 * KiB);
    h.emu.faults.update({ corruptNext: 1 });
    const outcome = await copyFileWithRetries(context(connect(GOOGLE_DRIVE, h.emu).c, 'checksum'), task);
    expect(outcome).toEqual({ status: 'copied', bytes: bytes.length });
    expect(uploads()).toBe(2);
    expect((await readAll(connect(GOOGLE_DRIVE, h.emu).c, task.destinationPath)).equals(bytes)).toBe(true);
    // The second write replaced the first: one file of that name.
    expect([...h.emu.store.files.values()].filter((f) => f.name === 'once.bin')).toHaveLength(1);
  });

  it('fails a file that never verifies, naming both hashes', async () => {
    const { task } = sourceFile('always.bin', 100 * KiB);
    h.emu.faults.update({ corruptNext: 100 });
    const outcome = await copyFileWithRetries(context(connect(GOOGLE_DRIVE, h.emu).c, 'checksum'), task);
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && outcome.reason).toMatch(
      /^checksum mismatch: destination md5 [0-9a-f]{32}, read [0-9a-f]{32} \(written 3 times; the copy was removed\)$/,
    );
    expect(uploads()).toBe(3);
    // The corrupt copy does not pass for the file.
    await expect(connect(GOOGLE_DRIVE, h.emu).c.stat(task.destinationPath)).rejects.toMatchObject({
      kind: 'not_found',
    });
  });

  it.each(['size', 'none'] as const)(
    'with verify=%s a same-size corruption goes unnoticed',
    async (verify) => {
      const { task, bytes } = sourceFile(`${verify}.bin`, 50 * KiB);
      h.emu.faults.update({ corruptNext: 1 });
      const outcome = await copyFileWithRetries(context(connect(GOOGLE_DRIVE, h.emu).c, verify), task);
      expect(outcome).toEqual({ status: 'copied', bytes: bytes.length });
      expect(uploads()).toBe(1);
      expect((await readAll(connect(GOOGLE_DRIVE, h.emu).c, task.destinationPath)).equals(bytes)).toBe(false);
    },
  );

  it('a cancelled large copy deletes its upload session', async () => {
    const { task } = sourceFile('cancel-drive.bin', 3 * 1024 * KiB);
    const controller = new AbortController();
    const session = hooks(
      (s) => {
        if (s && s.offset > 0) controller.abort(new Error('cancelled by the test'));
      },
      () => controller.signal.aborted,
    );
    // As the request budget does: once the activity is cancelled, its waits for the budget end.
    const gate: RequestGate = (request) => {
      controller.signal.throwIfAborted();
      return request();
    };
    const grant = h.emu.tokens.grant(h.emu.defaultClient.clientId);
    const destination = createGoogleDriveConnector({
      baseUrl: h.emu.url,
      oauth: { ...h.emu.defaultClient, tokenUrl: `${h.emu.url}/token` },
      tokens: { accessToken: grant.access_token, refreshToken: grant.refresh_token, expiresAt: null },
      chunkSize: 256 * KiB,
      resumableThreshold: 1024 * KiB,
      gate,
    });
    const ctx = context(destination, 'checksum', { session, signal: controller.signal });
    await expect(copyFileWithRetries(ctx, task)).rejects.toThrow();
    // The clean-up goes out although the budget refuses the cancelled copy anything else.
    expect(h.emu.counters.snapshot().requests['DELETE /upload/drive/v3/files']).toBe(1);
    expect(h.emu.uploadSessions.size).toBe(0);
    expect(session.current).toBeNull();
    expect([...h.emu.store.files.values()].some((f) => f.name === 'cancel-drive.bin')).toBe(false);
  });
});

describe('to OneDrive (quickXorHash), large files through upload sessions', () => {
  const h = useEmulator(ONEDRIVE);
  beforeEach(() => h.emu.uploadSessions.clear());
  const sessionsCreated = () => requestsMatching(h.emu.counters.snapshot().requests, /createUploadSession/);

  it('a corrupted large file is uploaded again in a new session', async () => {
    const { task, bytes } = sourceFile('large.bin', 2 * 1024 * KiB);
    h.emu.faults.update({ corruptNext: 1 });
    const session = hooks();
    const ctx = context(connect(ONEDRIVE, h.emu).c, 'checksum', { session });
    expect(await copyFileWithRetries(ctx, task)).toEqual({ status: 'copied', bytes: bytes.length });
    expect(sessionsCreated()).toBe(2);
    expect((await readAll(connect(ONEDRIVE, h.emu).c, task.destinationPath)).equals(bytes)).toBe(true);
    expect(session.current).toBeNull();
  });

  it('resumes an interrupted upload from its committed offset and still verifies the whole file', async () => {
    const size = 3 * 1024 * KiB;
    const { task, bytes } = sourceFile('resume.bin', size);
    let failed = false;
    const session = hooks((s) => {
      // After a few fragments are committed, the next request fails: the copy retries in-process.
      if (!failed && s && s.offset >= 1024 * KiB) {
        failed = true;
        h.emu.faults.update({ failNext: 1 });
      }
    });
    const ctx = context(connect(ONEDRIVE, h.emu).c, 'checksum', { session });
    expect(await copyFileWithRetries(ctx, task)).toEqual({ status: 'copied', bytes: size });
    const counters = h.emu.counters.snapshot();
    expect(counters.server_errors).toBe(1);
    expect(sessionsCreated()).toBe(1);
    expect(counters.requests['GET /_upload/{id}']).toBe(1);
    // Nothing already committed was sent twice: at most the refused fragment on top of the file.
    expect(counters.bytes_in).toBeLessThanOrEqual(size + 320 * KiB + 64 * KiB);
    expect((await readAll(connect(ONEDRIVE, h.emu).c, task.destinationPath)).equals(bytes)).toBe(true);
  });

  it('starts over when the session is gone', async () => {
    const size = 2 * 1024 * KiB;
    const { task, bytes } = sourceFile('gone.bin', size);
    const session = hooks();
    // A session the service no longer knows, as left by an attempt long ago.
    session.save({ service: 'onedrive', url: `${h.emu.url}/_upload/expired`, offset: 640 * KiB, size });
    const ctx = context(connect(ONEDRIVE, h.emu).c, 'checksum', { session });
    expect(await copyFileWithRetries(ctx, task)).toEqual({ status: 'copied', bytes: size });
    expect(sessionsCreated()).toBe(1);
    expect((await readAll(connect(ONEDRIVE, h.emu).c, task.destinationPath)).equals(bytes)).toBe(true);
  });

  it('a cancelled large copy deletes its upload session', async () => {
    const { task } = sourceFile('cancel.bin', 3 * 1024 * KiB);
    const controller = new AbortController();
    const session = hooks(
      (s) => {
        if (s && s.offset > 0) controller.abort(new Error('cancelled by the test'));
      },
      () => controller.signal.aborted,
    );
    const ctx = context(connect(ONEDRIVE, h.emu).c, 'checksum', { session, signal: controller.signal });
    await expect(copyFileWithRetries(ctx, task)).rejects.toThrow();
    expect(h.emu.counters.snapshot().requests['DELETE /_upload/{id}']).toBe(1);
    expect(h.emu.uploadSessions.size).toBe(0);
    expect(session.current).toBeNull();
  });

  it('a copy stopped by a worker shutdown keeps its session, and the next attempt resumes it', async () => {
    const size = 3 * 1024 * KiB;
    const { task, bytes } = sourceFile('shutdown.bin', size);
    const controller = new AbortController();
    const session = hooks((s) => {
      if (s && s.offset > 0) controller.abort(new Error('WORKER_SHUTDOWN'));
    });
    const ctx = context(connect(ONEDRIVE, h.emu).c, 'checksum', { session, signal: controller.signal });
    await expect(copyFileWithRetries(ctx, task)).rejects.toThrow();
    expect(h.emu.counters.snapshot().requests['DELETE /_upload/{id}']).toBeUndefined();
    expect(h.emu.uploadSessions.size).toBe(1);
    const kept = session.current!;
    expect(kept.offset).toBeGreaterThan(0);

    // The next attempt (another worker) starts from the heartbeated session.
    const next = hooks();
    next.save(kept);
    const before = h.emu.counters.snapshot().bytes_in;
    expect(
      await copyFileWithRetries(context(connect(ONEDRIVE, h.emu).c, 'checksum', { session: next }), task),
    ).toEqual({ status: 'copied', bytes: size });
    expect(h.emu.counters.snapshot().bytes_in - before).toBeLessThanOrEqual(size - kept.offset + 320 * KiB);
    expect(sessionsCreated()).toBe(1);
    expect((await readAll(connect(ONEDRIVE, h.emu).c, task.destinationPath)).equals(bytes)).toBe(true);
  });
});

describe('to a local folder (no hash reported)', () => {
  it('verifies by size', async () => {
    const dst = fs.mkdtempSync(path.join(tmp, 'dst-'));
    const destination = createLocalConnector(dst, [dst]);
    const { task, bytes } = sourceFile('local.bin', 10 * KiB);
    expect(await copyFileWithRetries(context(destination, 'checksum'), task)).toEqual({
      status: 'copied',
      bytes: bytes.length,
    });
    expect(fs.readFileSync(path.join(dst, 'local.bin')).equals(bytes)).toBe(true);
  });
});
