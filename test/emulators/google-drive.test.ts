// The Drive emulator speaks the protocol a Drive client relies on: OAuth, paging, Range, resumable
// sessions with 256 KiB chunks, export limits and Drive's error bodies.
import { createHash } from 'node:crypto';
import { type GoogleDriveEmulator, startGoogleDriveEmulator } from '../../emulators/google-drive';

let emu: GoogleDriveEmulator;
let auth: Record<string, string>;
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

beforeAll(async () => {
  emu = await startGoogleDriveEmulator();
});
afterAll(async () => emu.close());
beforeEach(() => {
  emu.store.clear();
  emu.faults.reset();
  emu.counters.reset();
  auth = { authorization: `Bearer ${emu.tokens.grant(emu.defaultClient.clientId).access_token}` };
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${emu.url}${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string>) } });
const inRoot = encodeURIComponent("'root' in parents and trashed = false");

async function generateId(): Promise<string> {
  const res = await api('/drive/v3/files/generateIds?count=1');
  return ((await res.json()) as { ids: string[] }).ids[0]!;
}

describe('Google Drive emulator', () => {
  it('answers 401 with Google’s body without a valid token, and exchanges refresh tokens', async () => {
    const res = await fetch(`${emu.url}/drive/v3/files`);
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { errors: Array<{ reason: string }>; status: string } };
    expect(body.error.status).toBe('UNAUTHENTICATED');
    expect(body.error.errors[0]!.reason).toBe('authError');
    const grant = emu.tokens.grant(emu.defaultClient.clientId);
    const tok = await fetch(`${emu.url}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: grant.refresh_token,
        client_id: emu.defaultClient.clientId,
        client_secret: emu.defaultClient.clientSecret,
      }),
    });
    expect(tok.status).toBe(200);
    const access = ((await tok.json()) as { access_token: string }).access_token;
    const ok = await fetch(`${emu.url}/drive/v3/files`, { headers: { authorization: `Bearer ${access}` } });
    expect(ok.status).toBe(200);
  });

  it('redirects the consent stand-in back with code and state', async () => {
    const q = new URLSearchParams({
      client_id: emu.defaultClient.clientId,
      redirect_uri: 'http://127.0.0.1:9/cb',
      state: 's1',
      response_type: 'code',
    });
    const res = await fetch(`${emu.url}/o/oauth2/v2/auth?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('state')).toBe('s1');
    expect(loc.searchParams.get('code')).toMatch(/^code\./);
  });

  it('pages a folder with nextPageToken and selects fields', async () => {
    const { entries } = emu.seed({ files: 7, folders: 0 });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await api(
        `/drive/v3/files?q=${inRoot}&pageSize=3&fields=nextPageToken,files(id,name,size,md5Checksum)` +
          (token ? `&pageToken=${token}` : ''),
      );
      const body = (await res.json()) as { nextPageToken?: string; files: Array<Record<string, string>> };
      for (const f of body.files) {
        expect(Object.keys(f).sort()).toEqual(['id', 'md5Checksum', 'name', 'size']);
        seen.push(f.name!);
      }
      token = body.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(entries.map((e) => e.path.slice(1)).sort());
  });

  it('allows duplicate names and orders them by creation', async () => {
    for (const body of ['first', 'second']) {
      const boundary = 'b0undary';
      const mp =
        `--${boundary}\r\nContent-Type: application/json\r\n\r\n{"name":"same.txt"}\r\n` +
        `--${boundary}\r\nContent-Type: text/plain\r\n\r\n${body}\r\n--${boundary}--`;
      const res = await api('/upload/drive/v3/files?uploadType=multipart', {
        method: 'POST',
        headers: { 'content-type': `multipart/related; boundary=${boundary}` },
        body: mp,
      });
      expect(res.status).toBe(200);
    }
    const q = encodeURIComponent("name = 'same.txt' and 'root' in parents");
    const res = await api(`/drive/v3/files?q=${q}&orderBy=createdTime&fields=files(id,size)`);
    const files = ((await res.json()) as { files: Array<{ id: string; size: string }> }).files;
    expect(files.map((f) => f.size)).toEqual(['5', '6']);
  });

  it('runs a resumable session: 308 + Range, status query, chunk rule, completion and Range download', async () => {
    const data = Buffer.alloc(300_000);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    const id = await generateId();
    const start = await api('/upload/drive/v3/files?uploadType=resumable&fields=id,size,md5Checksum', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-upload-content-length': String(data.length) },
      body: JSON.stringify({ id, name: 'big.bin' }),
    });
    const loc = start.headers.get('location')!;
    const put = (range: string, body?: Buffer) =>
      fetch(loc, { method: 'PUT', headers: { 'content-range': range }, body });
    const bad = await put(`bytes 0-99999/${data.length}`, data.subarray(0, 100_000));
    expect(bad.status).toBe(400);
    const first = await put(`bytes 0-262143/${data.length}`, data.subarray(0, 262_144));
    expect(first.status).toBe(308);
    expect(first.headers.get('range')).toBe('bytes=0-262143');
    const status = await put(`bytes */${data.length}`);
    expect(status.status).toBe(308);
    expect(status.headers.get('range')).toBe('bytes=0-262143');
    const last = await put(`bytes 262144-299999/${data.length}`, data.subarray(262_144));
    expect(last.status).toBe(200);
    expect(await last.json()).toEqual({ id, size: '300000', md5Checksum: md5(data) });
    const dup = await api('/upload/drive/v3/files?uploadType=resumable', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id, name: 'again.bin' }),
    });
    expect(dup.status).toBe(409);
    const part = await api(`/drive/v3/files/${id}?alt=media`, { headers: { range: 'bytes=262140-262150' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 262140-262150/300000');
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(262_140, 262_151))).toBe(true);
  });

  it('exports natives to Office formats, refuses media downloads and exports over 10 MB', async () => {
    const natives = emu.seedNatives();
    const doc = natives.find((n) => n.path.endsWith('Meeting notes'))!;
    const huge = natives.find((n) => n.path.endsWith('Huge report'))!;
    const meta = await api(`/drive/v3/files/${doc.id}?fields=id,mimeType,size,md5Checksum`);
    expect(await meta.json()).toEqual({ id: doc.id, mimeType: 'application/vnd.google-apps.document' });
    const media = await api(`/drive/v3/files/${doc.id}?alt=media`);
    expect(media.status).toBe(403);
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const exp = await api(`/drive/v3/files/${doc.id}/export?mimeType=${encodeURIComponent(docx)}`);
    expect(exp.status).toBe(200);
    expect((await exp.arrayBuffer()).byteLength).toBe(doc.exportSize);
    const over = await api(`/drive/v3/files/${huge.id}/export?mimeType=${encodeURIComponent(docx)}`);
    expect(over.status).toBe(403);
    const body = (await over.json()) as { error: { errors: Array<{ reason: string }> } };
    expect(body.error.errors[0]!.reason).toBe('exportSizeLimitExceeded');
  });

  it('throttles with 403 userRateLimitExceeded or 429, fails with 5xx, and 404s unknown ids', async () => {
    emu.faults.update({ rateLimitPerSecond: 1, retryAfterSeconds: 2 });
    await api('/drive/v3/files');
    const t = await api('/drive/v3/files');
    expect(t.status).toBe(403);
    expect(t.headers.get('retry-after')).toBe('2');
    const body = (await t.json()) as { error: { errors: Array<{ reason: string; domain: string }> } };
    expect(body.error.errors[0]).toMatchObject({ reason: 'userRateLimitExceeded', domain: 'usageLimits' });
    emu.throttleStyle = '429';
    expect((await api('/drive/v3/files')).status).toBe(429);
    emu.throttleStyle = '403';
    emu.faults.update({ rateLimitPerSecond: 0, failNext: 1 });
    expect((await api('/drive/v3/files')).status).toBe(500);
    const missing = await api('/drive/v3/files/nope');
    expect(missing.status).toBe(404);
    expect(emu.counters.snapshot().requests['GET /drive/v3/files/{id}']).toBe(1);
    expect(emu.counters.snapshot().throttled).toBe(2);
  });

  it('reports changes from a start page token onwards', async () => {
    const start = await api('/drive/v3/changes/startPageToken');
    const { startPageToken } = (await start.json()) as { startPageToken: string };
    const made = await api('/drive/v3/files', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'folder', mimeType: 'application/vnd.google-apps.folder' }),
    });
    const { id } = (await made.json()) as { id: string };
    expect((await api(`/drive/v3/files/${id}`, { method: 'DELETE' })).status).toBe(204);
    const res = await api(`/drive/v3/changes?pageToken=${startPageToken}`);
    const body = (await res.json()) as {
      changes: Array<{ fileId: string; removed: boolean }>;
      newStartPageToken: string;
    };
    expect(body.changes.map((ch) => [ch.fileId, ch.removed])).toEqual([[id, true]]);
    expect(Number(body.newStartPageToken)).toBe(Number(startPageToken) + 2);
  });
});
