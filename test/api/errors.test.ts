// The error envelope: every failure mode of the request pipeline answers with the documented code,
// status and a message that names the offending parameter.
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

beforeAll(async () => {
  api = await createTestApi();
  alice = await api.account();
});
afterAll(async () => {
  await api.close();
  await closeTemporal();
});

describe('request errors', () => {
  it('answers an unknown route with 404 resource_not_found', async () => {
    const res = await request(api.app).get('/v1/nothing-here').set(alice.auth);
    expectError(res, 404, 'resource_not_found', 'No route for GET /v1/nothing-here');
    const outside = await request(api.app).get('/nowhere');
    expectError(outside, 404, 'resource_not_found', 'No route for GET /nowhere');
  });

  it('says which methods a known path accepts', async () => {
    const res = await request(api.app).post('/v1/files/list').set(alice.auth).send({ path: '/' });
    const error = expectError(res, 404, 'resource_not_found', 'No route for POST /v1/files/list');
    expect(error.details).toMatch(/accepts GET/);
  });

  it('rejects a body that is not JSON instead of reading it as empty', async () => {
    const res = await request(api.app)
      .post('/v1/api-keys')
      .set(alice.auth)
      .set('Content-Type', 'text/plain')
      .send('name=ci');
    expectError(res, 400, 'invalid_parameter', "Invalid parameter 'body': must be JSON");
  });

  it('answers malformed JSON with 400 naming the body', async () => {
    const res = await request(api.app)
      .post('/v1/api-keys')
      .set(alice.auth)
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expectError(res, 400, 'invalid_parameter', "Invalid parameter 'body': is not valid JSON");
  });

  it('answers a body over 1 MB with 413 invalid_parameter', async () => {
    const res = await request(api.app)
      .post('/v1/api-keys')
      .set(alice.auth)
      .send({ name: 'x'.repeat(1024 * 1024 + 10) });
    expectError(res, 413, 'invalid_parameter', /^Invalid parameter 'body': .*larger than 1 MB/);
  });

  it('rejects unknown fields by name', async () => {
    const res = await request(api.app)
      .post('/v1/api-keys')
      .set(alice.auth)
      .send({ name: 'ok', nmae: 'typo' });
    expectError(res, 400, 'invalid_parameter', "Invalid parameter 'nmae': is not a known field");
    const nested = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'local', config: { root: api.root, rooot: 1 } });
    expectError(nested, 400, 'invalid_parameter', "Invalid parameter 'config.rooot': is not a known field");
    const query = await request(api.app).get('/v1/connections?pagesize=5').set(alice.auth);
    expectError(query, 400, 'invalid_parameter', "Invalid parameter 'pagesize': is not a known field");
  });

  it('names missing fields and wrong types', async () => {
    const missing = await request(api.app).post('/v1/api-keys').set(alice.auth).send({});
    expectError(missing, 400, 'invalid_parameter', "Invalid parameter 'name': is required");
    const wrongType = await request(api.app).post('/v1/api-keys').set(alice.auth).send({ name: 42 });
    expectError(wrongType, 400, 'invalid_parameter', "Invalid parameter 'name': must be a string");
    const notObject = await request(api.app).post('/v1/api-keys').set(alice.auth).send([1, 2]);
    expectError(notObject, 400, 'invalid_parameter', "Invalid parameter 'body': must be a JSON object");
    const pageSize = await request(api.app).get('/v1/connections?page_size=0').set(alice.auth);
    const err = expectError(
      pageSize,
      400,
      'invalid_parameter',
      "Invalid parameter 'page_size': must be at least 1",
    );
    expect(err.details).toBe('Pass an integer from 1 to 1000.');
    const notInt = await request(api.app).get('/v1/connections?page_size=ten').set(alice.auth);
    expectError(notInt, 400, 'invalid_parameter', "Invalid parameter 'page_size': must be a number");
  });

  it('validates paths and says how to fix them', async () => {
    const res = await request(api.app)
      .get('/v1/files/list')
      .query({ service: 'local', path: 'relative/path' })
      .set(alice.auth);
    const err = expectError(
      res,
      400,
      'invalid_parameter',
      "Invalid parameter 'path': Path must start with a forward slash",
    );
    expect(err.details).toMatch(/starts with "\/"/);
  });

  it('rejects unknown services and names what a cloud service needs', async () => {
    const unknown = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'ftp', config: { root: api.root } });
    expectError(
      unknown,
      400,
      'invalid_parameter',
      "Invalid parameter 'service': must be one of: local, google_drive, onedrive, dropbox",
    );
    const cloud = await request(api.app)
      .post('/v1/connections')
      .set(alice.auth)
      .send({ service: 'dropbox', config: { root: api.root } });
    expectError(
      cloud,
      400,
      'invalid_parameter',
      "Invalid parameter 'refresh_token': is required for google_drive, onedrive and dropbox connections",
    );
  });

  it('answers unexpected failures with a generic 500 and no internals', async () => {
    const broken = await createTestApi();
    const bob = await broken.account();
    await broken.store.close(); // every store call now throws
    const res = await request(broken.app).get('/v1/account').set(bob.auth);
    const err = expectError(res, 500, 'internal_error', 'An internal error occurred');
    expect(JSON.stringify(res.body)).not.toMatch(/database|sqlite|stack|at .*\.ts/i);
    expect(err.details).toMatch(/X-Request-Id/);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await broken.close().catch(() => undefined);
  });
});
