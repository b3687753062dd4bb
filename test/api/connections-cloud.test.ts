// Cloud connections from a refresh token: POST /v1/connections checks the token with the service
// (each through its official SDK at its emulator), seals it, and /v1/files browses through it. Secrets
// never come back; refused tokens, unconfigured services, failing services and revoked authorizations
// each answer a clear error.
import { newId } from '../../common/ids';
import { serviceDefinition, servicesWith } from '../../connectors';

const OAUTH_SERVICES = servicesWith('oauth').map((s) => s.name);
import {
  grantRefreshToken,
  revokeAndExpire,
  SAMPLE_TREE,
  startCloudEmulators,
  type CloudEmulators,
} from './cloud-emulators';
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

beforeAll(async () => {
  emus = await startCloudEmulators();
  for (const emu of emus.list) emu.seed({ files: 0, tree: SAMPLE_TREE });
  api = await createTestApi({ env: emus.env });
  alice = await api.account('pro', 'Alice');
  bob = await api.account('pro', 'Bob');
});
afterAll(async () => {
  await api?.close();
  await emus?.close();
  await closeTemporal();
});

interface FileBody {
  path: string;
  type: string;
  size: number | null;
}

const connect = (who: TestAccount, body: Record<string, unknown>) =>
  request(api.app).post('/v1/connections').set(who.auth).send(body);

const listPaths = async (who: TestAccount, query: Record<string, unknown>) => {
  const res = await request(api.app).get('/v1/files/list').query(query).set(who.auth);
  expect(res.status).toBe(200);
  return (res.body.data.files as FileBody[]).map((f) => f.path).sort();
};

describe.each(OAUTH_SERVICES)('a %s connection from a refresh token', (service) => {
  it('is checked, sealed, and browsable; the token never comes back', async () => {
    const emu = emus.byService[service];
    const refreshToken = await grantRefreshToken(emu);
    const created = await connect(alice, { service, refresh_token: refreshToken });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    expect(created.headers.location).toBe(`/v1/connections/${id}`);
    expect(created.body.data).toMatchObject({
      service,
      name: serviceDefinition(service).label,
      config: {},
      status: 'active',
    });
    expect(id).toMatch(/^conn_/);

    // Stored sealed (AES-GCM, bound to the id), never in clear.
    const sealed = await api.store.connections.readSecrets(alice.id, id);
    expect(sealed).toMatch(/^v2\.[0-9a-f]{8}\./);
    expect(sealed).not.toContain(refreshToken);

    expect(await listPaths(alice, { connection_id: id, path: '/' })).toEqual(['/Docs', '/photo.jpg']);
    expect(await listPaths(alice, { service, path: '/', recursive: true })).toEqual([
      '/Docs',
      '/Docs/notes.txt',
      '/Docs/report.pdf',
      '/photo.jpg',
    ]);
    const meta = await request(api.app)
      .get('/v1/files/metadata')
      .set(alice.auth)
      .send({ connection_id: id, path: '/Docs/report.pdf' });
    expect(meta.status).toBe(200);
    expect(meta.body.data).toMatchObject({
      name: 'report.pdf',
      path: '/Docs/report.pdf',
      type: 'file',
      size: 2048,
    });

    const one = await request(api.app).get(`/v1/connections/${id}`).set(alice.auth);
    const all = await request(api.app).get('/v1/connections').set(alice.auth);
    for (const res of [created, meta, one, all]) {
      expect(JSON.stringify(res.body)).not.toContain(refreshToken);
      expect(JSON.stringify(res.body)).not.toMatch(/secret|refresh_token|access_token/);
    }
    expect(one.body.data).toEqual(created.body.data);
  });

  it('refuses a token the service does not know, naming refresh_token and not echoing it', async () => {
    const bogus = 'rt.not-a-token-the-provider-issued';
    const res = await connect(alice, { service, name: 'Bogus', refresh_token: bogus });
    const err = expectError(
      res,
      400,
      'invalid_parameter',
      `Invalid parameter 'refresh_token': ${serviceDefinition(service).label} refused it`,
    );
    expect(err.details).toMatch(/authorize/);
    expect(JSON.stringify(res.body)).not.toContain(bogus);
    const list = await request(api.app).get('/v1/connections').set(alice.auth);
    expect((list.body.data.connections as { name: string }[]).map((c) => c.name)).not.toContain('Bogus');
  });
});

describe('POST /v1/connections validation', () => {
  it('names the parameter at fault for each kind of service', async () => {
    expectError(
      await connect(alice, { service: 'dropbox' }),
      400,
      'invalid_parameter',
      "Invalid parameter 'refresh_token': is required for google_drive, onedrive and dropbox connections",
    );
    expectError(
      await connect(alice, { service: 'dropbox', config: { root: api.root } }),
      400,
      'invalid_parameter',
      /^Invalid parameter 'refresh_token': is required/,
    );
    expectError(
      await connect(alice, { service: 'onedrive', refresh_token: 'x', config: {} }),
      400,
      'invalid_parameter',
      "Invalid parameter 'config': is not a known field",
    );
    expectError(
      await connect(alice, { service: 'local', refresh_token: 'x', config: { root: api.root } }),
      400,
      'invalid_parameter',
      "Invalid parameter 'refresh_token': is not a known field",
    );
    expectError(
      await connect(alice, { service: 'local' }),
      400,
      'invalid_parameter',
      "Invalid parameter 'config': is required",
    );
    expectError(
      await connect(alice, {}),
      400,
      'invalid_parameter',
      "Invalid parameter 'service': is required",
    );
    expectError(
      await connect(alice, { service: 'ftp', refresh_token: 'x' }),
      400,
      'invalid_parameter',
      "Invalid parameter 'service': must be one of: local, google_drive, onedrive, dropbox",
    );
    expectError(
      await connect(alice, { service: 'google_drive', refresh_token: '' }),
      400,
      'invalid_parameter',
      "Invalid parameter 'refresh_token': must not be empty",
    );
  });

  it('says which settings an unconfigured service needs', async () => {
    const bare = await createTestApi();
    const carol = await bare.account();
    try {
      const res = await request(bare.app)
        .post('/v1/connections')
        .set(carol.auth)
        .send({ service: 'google_drive', refresh_token: 'rt.x' });
      const err = expectError(
        res,
        400,
        'invalid_parameter',
        "Invalid parameter 'service': google_drive is not configured on this server",
      );
      expect(err.details).toContain(
        'GOOGLE_DRIVE_CLIENT_ID, GOOGLE_DRIVE_CLIENT_SECRET, MIGRATECLOUDS_ENCRYPTION_KEY',
      );
    } finally {
      await bare.close();
    }
    const keyless = await createTestApi({
      env: { ...emus.env, MIGRATECLOUDS_ENCRYPTION_KEY: '' },
    });
    const dave = await keyless.account();
    try {
      const res = await request(keyless.app)
        .post('/v1/connections')
        .set(dave.auth)
        .send({ service: 'dropbox', refresh_token: 'rt.x' });
      const err = expectError(
        res,
        400,
        'invalid_parameter',
        /^Invalid parameter 'service': dropbox is not configured/,
      );
      expect(err.details).toMatch(/set MIGRATECLOUDS_ENCRYPTION_KEY \(/);
    } finally {
      await keyless.close();
    }
  });

  it('answers service_error with the reason when the service fails', async () => {
    const emu = emus.byService.onedrive;
    const refreshToken = await grantRefreshToken(emu);
    const faults = (settings: object) =>
      fetch(`${emu.url}/_emulator/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(settings),
      });
    await faults({ errorRate: 1 });
    try {
      const res = await connect(bob, { service: 'onedrive', refresh_token: refreshToken });
      const err = expectError(res, 502, 'service_error', 'OneDrive is not answering right now');
      expect(err.details).toMatch(/5\d\d/);
      expect(JSON.stringify(res.body)).not.toContain(refreshToken);
    } finally {
      await faults({ errorRate: 0 });
    }
  });
});

describe('browsing cloud connections', () => {
  it('finds no connection of a service the account has not connected', async () => {
    const res = await request(api.app)
      .get('/v1/files/list')
      .query({ service: 'google_drive', path: '/' })
      .set(bob.auth);
    expectError(res, 404, 'resource_not_found', 'You have no google_drive connection');
  });

  it('keeps connections to their account', async () => {
    const refreshToken = await grantRefreshToken(emus.byService.dropbox);
    const created = await connect(alice, {
      service: 'dropbox',
      name: 'Alice box',
      refresh_token: refreshToken,
    });
    const id = created.body.data.id as string;
    const list = await request(api.app)
      .get('/v1/files/list')
      .query({ connection_id: id, path: '/' })
      .set(bob.auth);
    expectError(list, 404, 'resource_not_found', `Connection '${id}' was not found`);
    const meta = await request(api.app)
      .get('/v1/files/metadata')
      .query({ connection_id: id, path: '/photo.jpg' })
      .set(bob.auth);
    expectError(meta, 404, 'resource_not_found');
    expectError(await request(api.app).get(`/v1/connections/${id}`).set(bob.auth), 404, 'resource_not_found');
  });

  it.each(OAUTH_SERVICES)(
    'marks a %s connection needs_reauth when the service refuses its refresh token, then answers 403',
    async (service) => {
      const emu = emus.byService[service];
      const carol = await api.account('pro', `Carol ${service}`);
      const refreshToken = await grantRefreshToken(emu);
      const id = (await connect(carol, { service, refresh_token: refreshToken })).body.data.id as string;
      expect(await listPaths(carol, { connection_id: id, path: '/Docs' })).toEqual([
        '/Docs/notes.txt',
        '/Docs/report.pdf',
      ]);
      // An endpoint subscribed to the event (written to the store: its URL is never called here).
      const webhook = await api.store.webhooks.create({
        id: newId('wh'),
        accountId: carol.id,
        url: 'https://hooks.example.com/mc',
        events: ['connection.needs_reauth'],
        description: null,
        secret: 'sealed',
      });
      await revokeAndExpire(emu, refreshToken);

      for (const endpoint of ['/v1/files/list', '/v1/files/metadata', '/v1/files/list']) {
        const res = await request(api.app)
          .get(endpoint)
          .query({ connection_id: id, path: '/Docs' })
          .set(carol.auth);
        const err = expectError(
          res,
          403,
          'permission_denied',
          `Connection ${id} needs to be authorized again`,
        );
        expect(err.details).toContain(`GET /v1/connections/oauth/${service}/authorize?connection_id=${id}`);
      }
      const shown = await request(api.app).get(`/v1/connections/${id}`).set(carol.auth);
      expect(shown.body.data.status).toBe('needs_reauth');
      // The API published connection.needs_reauth, once.
      const { items } = await api.store.webhooks.listDeliveries(carol.id, webhook.id, { pageSize: 10 });
      expect(items.map((d) => d.eventType)).toEqual(['connection.needs_reauth']);
    },
  );
});
