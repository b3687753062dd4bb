// The Graph (OneDrive) emulator spoken to over plain HTTP, as a client of the real service would.
import { createHash } from 'node:crypto';
import { createHasher } from '../../common/hashing';
import { type OneDriveEmulator, startOneDriveEmulator } from '../../emulators/onedrive';

const KiB = 1024;
let emu: OneDriveEmulator;
let token: string;
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${emu.url}/v1.0/me/drive${path}`, {
    ...init,
    redirect: init.redirect ?? 'follow',
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });
const json = async (res: Response) => (await res.json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const qxh = (b: Buffer) => {
  const h = createHasher('quickxor');
  h.update(b);
  return h.digest();
};

beforeAll(async () => {
  emu = await startOneDriveEmulator();
});
afterAll(async () => emu.close());
beforeEach(() => {
  emu.store.clear();
  emu.faults.reset();
  emu.counters.reset();
  token = emu.tokens.grant(emu.defaultClient.clientId).access_token;
});

describe('OneDrive emulator', () => {
  it('runs the OAuth code flow and answers Graph 401 bodies for bad tokens', async () => {
    const auth = await fetch(
      `${emu.url}/common/oauth2/v2.0/authorize?client_id=${emu.defaultClient.clientId}&redirect_uri=http://localhost/cb&state=s1`,
      { redirect: 'manual' },
    );
    expect(auth.status).toBe(302);
    const back = new URL(auth.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('s1');
    const tok = await fetch(`${emu.url}/common/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code')!,
        redirect_uri: 'http://localhost/cb',
        client_id: emu.defaultClient.clientId,
        client_secret: emu.defaultClient.clientSecret,
      }),
    });
    expect(tok.status).toBe(200);
    expect(await json(tok)).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String) });
    token = 'at.unknown';
    const res = await api('/root');
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('InvalidAuthenticationToken');
  });

  it('addresses items by path case-insensitively and pages children with @odata.nextLink', async () => {
    const made = await api('/root/children', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Docs', folder: {} }),
    });
    expect(made.status).toBe(201);
    const docs = await json(made);
    for (let i = 0; i < 5; i++) {
      const put = await api(`/items/${docs.id}:/f${i}.txt:/content`, { method: 'PUT', body: `file ${i}` });
      expect(put.status).toBe(201);
    }
    const dup = await api('/root/children', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'DOCS', folder: {}, '@microsoft.graph.conflictBehavior': 'fail' }),
    });
    expect(dup.status).toBe(409);
    expect((await json(dup)).error.code).toBe('nameAlreadyExists');
    const byPath = await json(await api('/root:/docs/F3.TXT:'));
    expect(byPath).toMatchObject({ name: 'f3.txt', size: 6, parentReference: { path: '/drive/root:/Docs' } });
    expect(byPath.file.hashes.quickXorHash).toBe(qxh(Buffer.from('file 3')));
    const names: string[] = [];
    let next: string | undefined = `${emu.url}/v1.0/me/drive/root:/Docs:/children?$top=2`;
    let pages = 0;
    while (next) {
      const page = await json(await fetch(next, { headers: { authorization: `Bearer ${token}` } }));
      names.push(...page.value.map((i: { name: string }) => i.name));
      next = page['@odata.nextLink'];
      pages++;
    }
    expect(pages).toBe(3);
    expect(names).toEqual(['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt']);
    expect((await api('/root:/nope:')).status).toBe(404);
    const bad = await api('/root:/what%3F.txt:/content', { method: 'PUT', body: 'x' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.code).toBe('invalidRequest');
  });

  it('downloads through /content (302 to the download URL) with Range, and computes quickXorHash', async () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    const item = await json(await api('/root:/r.bin:/content', { method: 'PUT', body: data }));
    const redirect = await api(`/items/${item.id}/content`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(item['@microsoft.graph.downloadUrl']);
    const part = await fetch(item['@microsoft.graph.downloadUrl'], { headers: { range: 'bytes=990-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect(Buffer.from(await part.arrayBuffer()).equals(data.subarray(990))).toBe(true);
    const whole = await api(`/items/${item.id}/content`);
    expect(Buffer.from(await whole.arrayBuffer()).equals(data)).toBe(true);
    // The published test vector: 20,000,000 zero bytes.
    const zeros = emu.store.createFile(emu.store.rootId, 'zeros', Buffer.alloc(20_000_000));
    expect(zeros.quickXorHash).toBe('AAAAAAAAAAAAAAAAAC0xAQAAAAA=');
    expect(zeros.sha1Hash).toBe(
      createHash('sha1').update(Buffer.alloc(20_000_000)).digest('hex').toUpperCase(),
    );
  });

  it('runs upload sessions by Graph rules: 320 KiB fragments, order, status, cancel, conflicts', async () => {
    const data = Buffer.from(Array.from({ length: 700 * KiB }, (_, i) => (i * 7) % 256));
    const start = async (name: string, behavior = 'fail') =>
      json(
        await api(`/root:/${name}:/createUploadSession`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': behavior } }),
        }),
      );
    const put = (url: string, from: number, to: number, headers: Record<string, string> = {}) =>
      fetch(url, {
        method: 'PUT',
        headers: { 'content-range': `bytes ${from}-${to - 1}/${data.length}`, ...headers },
        body: data.subarray(from, to),
      });
    const s = await start('big.bin');
    expect(s.nextExpectedRanges).toEqual(['0-']);
    expect((await put(s.uploadUrl, 0, 100 * KiB)).status).toBe(400); // not a multiple of 320 KiB
    expect((await put(s.uploadUrl, 0, 320 * KiB, { authorization: `Bearer ${token}` })).status).toBe(401);
    const first = await put(s.uploadUrl, 0, 320 * KiB);
    expect(first.status).toBe(202);
    expect((await json(first)).nextExpectedRanges).toEqual([`${320 * KiB}-${data.length - 1}`]);
    expect((await put(s.uploadUrl, 0, 320 * KiB)).status).toBe(416);
    expect((await json(await fetch(s.uploadUrl))).nextExpectedRanges[0]).toBe(
      `${320 * KiB}-${data.length - 1}`,
    );
    expect((await put(s.uploadUrl, 320 * KiB, 640 * KiB)).status).toBe(202);
    const last = await put(s.uploadUrl, 640 * KiB, data.length);
    expect(last.status).toBe(201);
    expect(await json(last)).toMatchObject({
      name: 'big.bin',
      size: data.length,
      file: { hashes: { quickXorHash: qxh(data) } },
    });
    expect((await fetch(s.uploadUrl)).status).toBe(404);
    // conflictBehavior fail on an existing name: 409 nameAlreadyExists.
    const conflict = await api('/root:/BIG.bin:/createUploadSession', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: { '@microsoft.graph.conflictBehavior': 'fail' } }),
    });
    expect(conflict.status).toBe(409);
    const cancel = await start('other.bin');
    expect((await fetch(cancel.uploadUrl, { method: 'DELETE' })).status).toBe(204);
    expect((await put(cancel.uploadUrl, 0, 320 * KiB)).status).toBe(404);
    const replace = await start('big.bin', 'replace');
    const replaced = await put(replace.uploadUrl, 0, data.length);
    expect(replaced.status).toBe(200);
    expect(emu.counters.snapshot().requests['PUT /_upload/{id}']).toBe(8);
  });

  it('throttles with 429 + Retry-After and Graph bodies, fails with 5xx, and feeds delta', async () => {
    emu.faults.update({ rateLimitPerSecond: 1, retryAfterSeconds: 3 });
    await api('/root');
    const throttled = await api('/root');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect((await json(throttled)).error.code).toBe('TooManyRequests');
    emu.throttleStyle = 'activityLimitReached';
    expect((await json(await api('/root'))).error.code).toBe('activityLimitReached');
    emu.faults.reset();
    emu.faults.update({ failNext: 1 });
    const failed = await api('/root');
    expect(failed.status).toBe(500);
    expect((await json(failed)).error.code).toBe('generalException');
    const latest = await json(await api('/root/delta?token=latest'));
    expect(latest.value).toEqual([]);
    await api('/root:/d.txt:/content', { method: 'PUT', body: 'd' });
    const delta = await json(
      await fetch(latest['@odata.deltaLink'], { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(delta.value.map((i: { name: string }) => i.name)).toEqual(['d.txt']);
    expect(delta['@odata.deltaLink']).toMatch(/token=\d+$/);
  });
});
