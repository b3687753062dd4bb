// Browsing a local connection: paged listing, metadata, GET parameters from a JSON body, and how
// `service` picks the connection.
import fs from 'node:fs';
import path from 'node:path';
import {
  closeTemporal,
  createTestApi,
  expectError,
  request,
  type TestAccount,
  type TestApi,
} from './helpers';

let api: TestApi;
let alice: TestAccount;
let connectionId: string;

interface FileBody {
  path: string;
  type: string;
}

beforeAll(async () => {
  api = await createTestApi();
  alice = await api.account();
  const root = path.join(api.root, 'alice');
  fs.mkdirSync(path.join(root, 'docs/deep'), { recursive: true });
  for (const name of ['a.txt', 'b.txt', 'c.txt'])
    fs.writeFileSync(path.join(root, name), `content of ${name}`);
  fs.writeFileSync(path.join(root, 'docs/report.pdf'), Buffer.alloc(2048, 7));
  fs.writeFileSync(path.join(root, 'docs/deep/z.txt'), 'z');
  const res = await request(api.app)
    .post('/v1/connections')
    .set(alice.auth)
    .send({ service: 'local', config: { root } });
  connectionId = res.body.data.id as string;
});
afterAll(async () => {
  await api.close();
  await closeTemporal();
});

async function listAll(query: Record<string, unknown>): Promise<{ paths: string[]; pages: number }> {
  const paths: string[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const res = await request(api.app)
      .get('/v1/files/list')
      .query({ ...query, ...(token ? { page_token: token } : {}) })
      .set(alice.auth);
    expect(res.status).toBe(200);
    paths.push(...(res.body.data.files as FileBody[]).map((f) => f.path));
    token = res.body.data.next_page_token as string | null;
    pages++;
  } while (token);
  return { paths, pages };
}

describe('GET /v1/files/list', () => {
  it('lists a folder’s children in pages', async () => {
    const { paths, pages } = await listAll({ service: 'local', path: '/', page_size: 2 });
    expect(paths).toEqual(['/a.txt', '/b.txt', '/c.txt', '/docs']);
    expect(pages).toBe(2);
  });

  it('lists all descendants with recursive=true', async () => {
    const { paths } = await listAll({
      connection_id: connectionId,
      path: '/',
      recursive: 'true',
      page_size: 3,
    });
    expect(paths).toEqual([
      '/a.txt',
      '/b.txt',
      '/c.txt',
      '/docs',
      '/docs/deep',
      '/docs/deep/z.txt',
      '/docs/report.pdf',
    ]);
  });

  it('reads the same parameters from a JSON body as from the query string', async () => {
    const params = { service: 'local', path: '/docs', recursive: true, page_size: 2 };
    const viaQuery = await request(api.app).get('/v1/files/list').query(params).set(alice.auth);
    const viaBody = await request(api.app).get('/v1/files/list').set(alice.auth).send(params);
    // curl -d sends JSON as form data unless told otherwise.
    const viaCurl = await request(api.app)
      .get('/v1/files/list')
      .set(alice.auth)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(JSON.stringify(params));
    expect(viaQuery.status).toBe(200);
    // Page tokens are sealed afresh each time (a new IV): compare what they lead to instead.
    const next = async (res: typeof viaQuery) => {
      const { files, next_page_token: token } = res.body.data as {
        files: FileBody[];
        next_page_token: string;
      };
      const after = await request(api.app)
        .get('/v1/files/list')
        .query({ ...params, page_token: token })
        .set(alice.auth);
      return { files, next: after.body.data.files as FileBody[] };
    };
    expect(await next(viaBody)).toEqual(await next(viaQuery));
    expect(await next(viaCurl)).toEqual(await next(viaQuery));
    expect((viaQuery.body.data.files as FileBody[]).map((f) => f.path)).toEqual([
      '/docs/deep',
      '/docs/deep/z.txt',
    ]);
  });

  it('rejects bad paging and paths', async () => {
    const big = await request(api.app)
      .get('/v1/files/list')
      .query({ service: 'local', path: '/', page_size: 1001 })
      .set(alice.auth);
    expectError(big, 400, 'invalid_parameter', "Invalid parameter 'page_size': must be at most 1000");
    const recursive = await request(api.app)
      .get('/v1/files/list')
      .query({ service: 'local', path: '/', recursive: 'yes' })
      .set(alice.auth);
    expectError(recursive, 400, 'invalid_parameter', "Invalid parameter 'recursive': must be a boolean");
    const token = await request(api.app)
      .get('/v1/files/list')
      .query({ service: 'local', path: '/', page_token: 'zzz' })
      .set(alice.auth);
    expectError(token, 400, 'invalid_parameter', "Invalid parameter 'page_token': is malformed");
    const missingPath = await request(api.app)
      .get('/v1/files/list')
      .query({ service: 'local' })
      .set(alice.auth);
    expectError(missingPath, 400, 'invalid_parameter', "Invalid parameter 'path': is required");
    const missing = await request(api.app)
      .get('/v1/files/list')
      .query({ service: 'local', path: '/nope' })
      .set(alice.auth);
    expectError(missing, 404, 'resource_not_found');
    const escape = await request(api.app)
      .get('/v1/files/list')
      .query({ service: 'local', path: '/../..' })
      .set(alice.auth);
    expectError(escape, 403, 'permission_denied');
  });
});

describe('GET /v1/files/metadata', () => {
  it('describes one file', async () => {
    const res = await request(api.app)
      .get('/v1/files/metadata')
      .query({ service: 'local', path: '/docs/report.pdf' })
      .set(alice.auth);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: '/docs/report.pdf',
      name: 'report.pdf',
      path: '/docs/report.pdf',
      type: 'file',
      mime_type: 'application/pdf',
      size: 2048,
      created_at: expect.stringMatching(/Z$/),
      modified_at: expect.stringMatching(/Z$/),
      checksum: null,
    });
  });

  it('describes a folder', async () => {
    const res = await request(api.app)
      .get('/v1/files/metadata')
      .set(alice.auth)
      .send({ connection_id: connectionId, path: '/docs' });
    expect(res.body.data).toMatchObject({ name: 'docs', path: '/docs', type: 'folder', size: null });
  });
});

describe('choosing the connection', () => {
  it('needs service or connection_id', async () => {
    const res = await request(api.app).get('/v1/files/metadata').query({ path: '/' }).set(alice.auth);
    expectError(
      res,
      400,
      'invalid_parameter',
      "Invalid parameter 'connection_id': is required when service is not given",
    );
  });

  it('answers 404 when the account has no connection of the service', async () => {
    const bob = await api.account();
    const res = await request(api.app)
      .get('/v1/files/list')
      .query({ service: 'local', path: '/' })
      .set(bob.auth);
    expectError(res, 404, 'resource_not_found', 'You have no local connection');
  });

  it('asks for connection_id when several connections match, and checks they agree', async () => {
    const carol = await api.account();
    const ids: string[] = [];
    for (const name of ['one', 'two']) {
      const res = await request(api.app)
        .post('/v1/connections')
        .set(carol.auth)
        .send({ service: 'local', name, config: { root: api.root } });
      ids.push(res.body.data.id as string);
    }
    const several = await request(api.app)
      .get('/v1/files/list')
      .query({ service: 'local', path: '/' })
      .set(carol.auth);
    expectError(
      several,
      400,
      'invalid_parameter',
      "Invalid parameter 'connection_id': you have several local connections; pass connection_id",
    );
    const chosen = await request(api.app)
      .get('/v1/files/list')
      .query({ connection_id: ids[1], path: '/' })
      .set(carol.auth);
    expect(chosen.status).toBe(200);
    const mismatch = await request(api.app)
      .get('/v1/files/list')
      .query({ connection_id: ids[0], service: 'dropbox', path: '/' })
      .set(carol.auth);
    expectError(
      mismatch,
      400,
      'invalid_parameter',
      `Invalid parameter 'service': connection ${ids[0]} is a local connection, not dropbox`,
    );
  });
});
