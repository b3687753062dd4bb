// Page tokens of GET /v1/files/list are sealed: opaque, bound to the account, connection, path and
// recursive flag they were issued for, and expiring. A crafted, altered, expired or foreign token is a
// 400 naming page_token that never reaches a connector — the attack it stops: an unsealed OneDrive token
// carried a Graph address, and the SDK sent the connection's bearer token wherever it pointed.
import fs from 'node:fs';
import path from 'node:path';
import { servicesWith } from '../../connectors';
import { EmulatorControl } from '../connectors/fault-helpers';
import { type ForeignHost, startForeignHost } from '../helpers/foreign-host';
import { grantRefreshToken, SAMPLE_TREE, startCloudEmulators, type CloudEmulators } from './cloud-emulators';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from './helpers';

let emus: CloudEmulators;
let api: TestApi;
let alice: TestAccount;
let bob: TestAccount;
let foreign: ForeignHost;
/** Alice's connection of each service, local included. */
const conn: Record<string, string> = {};

const OAUTH_SERVICES = servicesWith('oauth').map((s) => s.name);

beforeAll(async () => {
  emus = await startCloudEmulators();
  for (const emu of emus.list) emu.seed({ files: 0, tree: SAMPLE_TREE });
  api = await createTestApi({ env: emus.env });
  alice = await api.account('pro', 'Alice');
  bob = await api.account('pro', 'Bob');
  foreign = await startForeignHost();
  for (const service of OAUTH_SERVICES) {
    const res = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service, refresh_token: await grantRefreshToken(emus.byService[service]!) });
    expect(res.status).toBe(201);
    conn[service] = res.body.data.id as string;
  }
  const local = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'local', config: { root: api.root } });
  conn.local = local.body.data.id as string;
  for (const name of ['a.txt', 'b.txt', 'c.txt']) fs.writeFileSync(path.join(api.root, name), name);
});
afterAll(async () => {
  await foreign?.close();
  await api?.close();
  await emus?.close();
  await closeTemporal();
});

const list = (who: TestAccount, query: Record<string, unknown>) =>
  request(api.app).get('/v1/files/list').query(query).set(who.auth);

async function firstToken(query: Record<string, unknown>): Promise<string> {
  const res = await list(alice, { page_size: 1, ...query });
  expect(res.status).toBe(200);
  const token = res.body.data.next_page_token as string;
  expect(typeof token).toBe('string');
  return token;
}

/** Requests the emulator of `service` answered (its control API aside). */
async function servedBy(service: string): Promise<number> {
  const counters = await new EmulatorControl(emus.byService[service]!.url).counters();
  return Object.values(counters.requests).reduce((a, b) => a + b, 0);
}

const unsealed = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('a crafted OneDrive page token', () => {
  it('cannot send the connection’s bearer token to another host', async () => {
    // The unsealed format the API used to hand out, with a Graph address on the attacker's host.
    const address = `https://${foreign.host}/v1.0/me/drive/root/children`;
    const crafted = unsealed({ v: 1, p: '/', r: false, s: [{ id: 'root', path: '/', c: address, k: 0 }] });
    const before = await servedBy('onedrive');
    const res = await list(alice, { connection_id: conn.onedrive, path: '/', page_token: crafted });
    expectError(res, 400, 'invalid_parameter', "Invalid parameter 'page_token': is malformed");
    expect(foreign.connections).toBe(0);
    expect(foreign.requests).toEqual([]);
    expect(await servedBy('onedrive')).toBe(before);
  });
});

describe.each([...OAUTH_SERVICES, 'local'])('%s page tokens', (service) => {
  it('page through a recursive listing and say nothing of what they hold', async () => {
    const paths: string[] = [];
    let token: string | null = null;
    do {
      const res = await list(alice, {
        connection_id: conn[service],
        path: '/',
        recursive: true,
        page_size: 1,
        ...(token ? { page_token: token } : {}),
      });
      expect(res.status).toBe(200);
      paths.push(...(res.body.data.files as { path: string }[]).map((f) => f.path));
      token = res.body.data.next_page_token as string | null;
      if (token) {
        const inside = Buffer.from(token, 'base64url').toString('latin1');
        for (const clear of ['Docs', 'me/drive', '"p":', 'photo', 'a.txt'])
          expect(inside).not.toContain(clear);
      }
    } while (token && paths.length < 20);
    expect(token).toBeNull();
    expect(paths.length).toBeGreaterThanOrEqual(3);
  });

  it('answer 400 when altered, and never reach the service', async () => {
    const token = await firstToken({ connection_id: conn[service], path: '/' });
    const flip = (i: number) => token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    const before = service === 'local' ? 0 : await servedBy(service);
    for (const bad of [
      flip(0),
      flip(20),
      flip(token.length - 2),
      token.slice(0, -4),
      `${token}AAAA`,
      'zzz',
      '!!!',
      unsealed({ v: 1, p: '/', r: false, s: [{ id: 'root', path: '/', c: null, k: 0 }] }),
    ]) {
      const res = await list(alice, { connection_id: conn[service], path: '/', page_token: bad });
      expectError(res, 400, 'invalid_parameter', "Invalid parameter 'page_token': is malformed");
    }
    if (service !== 'local') expect(await servedBy(service)).toBe(before);
  });

  it('answer 400 on another path, recursive value or connection', async () => {
    const token = await firstToken({ connection_id: conn[service], path: '/' });
    const other = service === 'local' ? conn.dropbox : conn.local;
    for (const query of [
      { connection_id: conn[service], path: '/Docs' },
      { connection_id: conn[service], path: '/', recursive: true },
      { connection_id: other, path: '/' },
    ]) {
      const res = await list(alice, { ...query, page_token: token });
      const error = expectError(res, 400, 'invalid_parameter');
      expect(error.message).toBe("Invalid parameter 'page_token': belongs to another listing");
    }
  });
});

describe('page tokens of another account', () => {
  it('answer 400 with its own connection of the same service', async () => {
    const token = await firstToken({ connection_id: conn.onedrive, path: '/' });
    const created = await request(api.app)
      .post('/v1/connections')
      .set(bob.auth)
      .send({ service: 'onedrive', refresh_token: await grantRefreshToken(emus.byService.onedrive!) });
    const res = await list(bob, { connection_id: created.body.data.id, path: '/', page_token: token });
    expectError(res, 400, 'invalid_parameter', "Invalid parameter 'page_token': belongs to another listing");
    // And Alice's connection is not Bob's to name.
    const theirs = await list(bob, { connection_id: conn.onedrive, path: '/', page_token: token });
    expectError(theirs, 404, 'resource_not_found');
  });
});

describe('an expired page token', () => {
  it('answers 400 after an hour', async () => {
    const token = await firstToken({ connection_id: conn.onedrive, path: '/' });
    const issued = Date.now();
    const before = await servedBy('onedrive');
    const clock = jest.spyOn(Date, 'now').mockReturnValue(issued + 3601_000);
    let res;
    try {
      res = await list(alice, { connection_id: conn.onedrive, path: '/', page_token: token });
    } finally {
      clock.mockRestore();
    }
    const error = expectError(res, 400, 'invalid_parameter', "Invalid parameter 'page_token': has expired");
    expect(error.details).toContain('60 minutes');
    expect(await servedBy('onedrive')).toBe(before);
  });
});

describe('the store’s page tokens', () => {
  it('answer 400 naming page_token when tampered, never 500', async () => {
    const hostile = [
      'garbage!',
      '%00',
      unsealed(['2024-01-01T00:00:00.000Z', 'mig_\u0000']),
      unsealed(['9999-99-99T99:99:99.999Z', 'conn_x'.padEnd(200, 'x')]),
      unsealed({ createdAt: '2024-01-01T00:00:00.000Z' }),
      'A'.repeat(1000),
    ];
    for (const route of ['/v1/connections', '/v1/migrations', '/v1/syncs', '/v1/webhooks']) {
      for (const token of hostile) {
        const res = await request(api.app).get(route).query({ page_token: token }).set(alice.auth);
        expectError(res, 400, 'invalid_parameter', /^Invalid parameter 'page_token'/);
      }
    }
  });
});
