// The Dropbox emulator speaks the protocol a Dropbox client relies on: OAuth with query-string refresh,
// 409 tagged-union errors, case-insensitive paths, cursor paging and change feed, Range downloads with
// Dropbox-API-Result, upload sessions with incorrect_offset, real content_hash, and 429 throttling.
import { createHasher } from '../../common/hashing';
import { type DropboxEmulator, startDropboxEmulator } from '../../emulators/dropbox';

let emu: DropboxEmulator;
let auth: Record<string, string>;
const hashOf = (b: Buffer) => {
  const h = createHasher('dropbox_content_hash');
  h.update(b);
  return h.digest();
};

beforeAll(async () => {
  emu = await startDropboxEmulator();
});
afterAll(async () => emu.close());
beforeEach(() => {
  emu.store.clear();
  emu.faults.reset();
  emu.counters.reset();
  auth = { authorization: `Bearer ${emu.tokens.grant(emu.defaultClient.clientId).access_token}` };
});

type Json = Record<string, unknown> & { error?: Record<string, unknown>; error_summary?: string };
async function rpc(path: string, args: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${emu.url}/2/files/${path}`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return { status: res.status, body: (await res.json()) as Json };
}
const safeJson = (v: unknown) =>
  JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const content = (path: string, args: unknown, body?: Buffer, headers: Record<string, string> = {}) =>
  fetch(`${emu.url}/2/files/${path}`, {
    method: 'POST',
    headers: {
      ...auth,
      ...headers,
      'Dropbox-API-Arg': safeJson(args),
      'content-type': 'application/octet-stream',
    },
    body,
  });

describe('Dropbox emulator', () => {
  it('answers 401 expired_access_token, and refreshes with parameters in the query string', async () => {
    const grant = emu.tokens.grant(emu.defaultClient.clientId);
    emu.tokens.expireAll();
    const res = await fetch(`${emu.url}/2/files/list_folder`, {
      method: 'POST',
      headers: { authorization: `Bearer ${grant.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ path: '' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error_summary: 'expired_access_token/..',
      error: { '.tag': 'expired_access_token' },
    });
    const q = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: grant.refresh_token,
      client_id: emu.defaultClient.clientId,
      client_secret: emu.defaultClient.clientSecret,
    });
    const tok = await fetch(`${emu.url}/oauth2/token?${q}`, { method: 'POST' });
    expect(tok.status).toBe(200);
    expect(((await tok.json()) as { token_type: string }).token_type).toBe('Bearer');
  });

  it('redirects the consent stand-in back with code and state', async () => {
    const q = new URLSearchParams({
      client_id: emu.defaultClient.clientId,
      redirect_uri: 'http://127.0.0.1:9/cb',
      state: 's1',
      response_type: 'code',
    });
    const res = await fetch(`${emu.url}/oauth2/authorize?${q}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const target = new URL(res.headers.get('location')!);
    expect(target.searchParams.get('state')).toBe('s1');
    expect(target.searchParams.get('code')).toMatch(/^code\./);
  });

  it('creates folders with parents, case-insensitively, and answers conflicts as tagged unions', async () => {
    const made = await rpc('create_folder_v2', { path: '/Photos/2024' });
    expect(made.body.metadata).toMatchObject({
      path_lower: '/photos/2024',
      path_display: '/Photos/2024',
    });
    const again = await rpc('create_folder_v2', { path: '/photos/2024' });
    expect(again).toEqual({
      status: 409,
      body: {
        error_summary: 'path/conflict/folder/..',
        error: { '.tag': 'path', path: { '.tag': 'conflict', conflict: { '.tag': 'folder' } } },
      },
    });
    expect((await rpc('get_metadata', { path: '/PHOTOS' })).body).toMatchObject({ name: 'Photos' });
    const missing = await rpc('get_metadata', { path: '/nope' });
    expect(missing.status).toBe(409);
    expect(missing.body.error_summary).toBe('path/not_found/..');
    const gone = await rpc('delete_v2', { path: '/nope' });
    expect(gone.body.error_summary).toBe('path_lookup/not_found/..');
    expect((await rpc('delete_v2', { path: '/photos' })).status).toBe(200);
    expect(emu.store.nodes.size).toBe(0);
  });

  it('uploads, reports a real content_hash, conflicts in add mode and downloads with Range', async () => {
    const data = Buffer.from('grüße aus dem emulator');
    const up = await content('upload', { path: '/Dir/Grüße.txt', mode: 'add' }, data);
    expect(up.status).toBe(200);
    const meta = (await up.json()) as Json;
    expect(meta['.tag']).toBeUndefined(); // FileMetadata is a struct here, not the Metadata union
    expect(meta).toMatchObject({
      size: data.length,
      content_hash: hashOf(data),
      path_lower: '/dir/grüße.txt',
    });
    const unescaped = await fetch(`${emu.url}/2/files/upload`, {
      method: 'POST',
      headers: { ...auth, 'Dropbox-API-Arg': JSON.stringify({ path: '/dir/x-ü.txt' }) },
      body: Buffer.from('x'),
    });
    expect(unescaped.status).toBe(400); // non-ASCII must be escaped in the header
    const escaped = safeJson({ path: '/dir/GRÜßE.txt', mode: 'add' });
    const conflict = await fetch(`${emu.url}/2/files/upload`, {
      method: 'POST',
      headers: { ...auth, 'Dropbox-API-Arg': escaped, 'content-type': 'application/octet-stream' },
      body: Buffer.from('other'),
    });
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as Json).error_summary).toBe('path/conflict/file/..');
    const dl = await fetch(`${emu.url}/2/files/download`, {
      method: 'POST',
      headers: { ...auth, 'Dropbox-API-Arg': escaped, Range: 'bytes=7-' },
    });
    expect(dl.status).toBe(206);
    expect(dl.headers.get('content-range')).toBe(`bytes 7-${data.length - 1}/${data.length}`);
    expect(Buffer.from(await dl.arrayBuffer()).equals(data.subarray(7))).toBe(true);
    const result = dl.headers.get('dropbox-api-result')!;
    expect(result).not.toMatch(/[^\x20-\x7e]/);
    expect(JSON.parse(result)).toMatchObject({ name: 'Grüße.txt', content_hash: hashOf(data) });
  });

  it('pages list_folder with cursors, then follows changes from the cursor', async () => {
    for (let i = 0; i < 5; i++) await content('upload', { path: `/f/${i}.txt` }, Buffer.from(String(i)));
    let page = await rpc('list_folder', { path: '/F', limit: 2 });
    const names: string[] = [];
    for (;;) {
      names.push(...(page.body.entries as Json[]).map((e) => String(e.name)));
      if (!page.body.has_more) break;
      page = await rpc('list_folder/continue', { cursor: page.body.cursor });
    }
    expect(names).toEqual(['0.txt', '1.txt', '2.txt', '3.txt', '4.txt']);
    await rpc('delete_v2', { path: '/f/1.txt' });
    await content('upload', { path: '/f/9.txt' }, Buffer.from('9'));
    const changes = await rpc('list_folder/continue', { cursor: page.body.cursor });
    expect((changes.body.entries as Json[]).map((e) => [e['.tag'], e.name])).toEqual([
      ['deleted', '1.txt'],
      ['file', '9.txt'],
    ]);
    const latest = await rpc('list_folder/get_latest_cursor', { path: '/f' });
    expect((await rpc('list_folder/continue', { cursor: latest.body.cursor })).body.entries).toEqual([]);
  });

  it('runs upload sessions with offsets and answers incorrect_offset with correct_offset', async () => {
    const data = Buffer.alloc(3000, 7);
    const start = await content('upload_session/start', {}, data.subarray(0, 1000));
    const { session_id } = (await start.json()) as { session_id: string };
    const wrong = await content(
      'upload_session/append_v2',
      { cursor: { session_id, offset: 0 } },
      data.subarray(1000, 2000),
    );
    expect(wrong.status).toBe(409);
    expect(await wrong.json()).toEqual({
      error_summary: 'incorrect_offset/..',
      error: { '.tag': 'incorrect_offset', correct_offset: 1000 },
    });
    expect(
      (
        await content(
          'upload_session/append_v2',
          { cursor: { session_id, offset: 1000 } },
          data.subarray(1000, 2000),
        )
      ).status,
    ).toBe(200);
    const done = await content(
      'upload_session/finish',
      { cursor: { session_id, offset: 2000 }, commit: { path: '/big.bin', mode: 'add' } },
      data.subarray(2000),
    );
    expect(((await done.json()) as Json).content_hash).toBe(hashOf(data));
    expect(emu.store.get('/BIG.bin')!.content!.equals(data)).toBe(true);
  });

  it('throttles with 429, Retry-After and retry_after, and fails with 500 on request', async () => {
    emu.faults.update({ rateLimitPerSecond: 1, retryAfterSeconds: 3 });
    await rpc('list_folder', { path: '' });
    const res = await fetch(`${emu.url}/2/files/list_folder`, {
      method: 'POST',
      headers: auth,
      body: '{"path":""}',
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.json()).toEqual({
      error_summary: 'too_many_requests/..',
      error: { reason: { '.tag': 'too_many_requests' }, retry_after: 3 },
    });
    emu.faults.update({ rateLimitPerSecond: 0, failNext: 1 });
    expect((await rpc('list_folder', { path: '' }).catch(() => ({ status: 500 }))).status).toBe(500);
    expect(emu.counters.snapshot().requests['POST /2/files/list_folder']).toBe(3);
  });
});
