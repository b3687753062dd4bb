// Tenants sealed off on the server's disk: an account's `local` connections lie inside the folders the
// operator granted to it, checked when a connection is made and again on every call of its connector.
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
let mallory: TestAccount;
let aliceDir: string;

beforeAll(async () => {
  api = await createTestApi();
  aliceDir = path.join(api.root, 'alice');
  fs.mkdirSync(path.join(aliceDir, 'private'), { recursive: true });
  fs.writeFileSync(path.join(aliceDir, 'private', 'payroll.csv'), 'secret');
  fs.mkdirSync(path.join(api.root, 'mallory'));
  alice = await api.account('pro', 'Alice', aliceDir);
  mallory = await api.account('pro', 'Mallory', path.join(api.root, 'mallory'));
});
afterAll(async () => {
  await api.close();
  await closeTemporal();
});

const connect = (who: TestAccount, root: string) =>
  request(api.app).post('/v1/connections').set(who.auth).send({ service: 'local', config: { root } });

describe('a local connection', () => {
  it('lies inside a folder granted to its account', async () => {
    const res = await connect(alice, path.join(aliceDir, 'private'));
    expect(res.status).toBe(201);
    expect(res.body.data.config).toEqual({ root: path.join(aliceDir, 'private') });
  });

  it.each([
    ['another account’s folder', () => aliceDir],
    ['a folder inside it', () => path.join(aliceDir, 'private')],
    ['the server’s root itself', () => api.root],
    ['a path that climbs out of its own grant', () => path.join(api.root, 'mallory', '..', 'alice')],
  ])('refuses %s with 403 naming config.root', async (_what, root) => {
    const res = await connect(mallory, root());
    const error = expectError(res, 403, 'permission_denied', /^Invalid parameter 'config.root': /);
    expect(error.details).toContain(path.join(api.root, 'mallory'));
    expect(JSON.stringify(res.body)).not.toContain('payroll');
  });

  it('is refused everywhere to an account granted nothing, and says who grants folders', async () => {
    const nobody = await api.account('pro', 'Nobody', null);
    const error = expectError(await connect(nobody, aliceDir), 403, 'permission_denied');
    expect(error.details).toContain('admin grant-local-root');
  });

  it('a symlink inside a grant that leads to another account’s folder is refused', async () => {
    fs.symlinkSync(aliceDir, path.join(api.root, 'mallory', 'link'));
    expectError(await connect(mallory, path.join(api.root, 'mallory', 'link')), 403, 'permission_denied');
  });

  it('stops working with a clear error once its grant is taken back', async () => {
    const created = await connect(mallory, path.join(api.root, 'mallory'));
    expect(created.status).toBe(201);
    const list = () =>
      request(api.app)
        .get('/v1/files/list')
        .query({ connection_id: created.body.data.id as string, path: '/' })
        .set(mallory.auth);
    expect((await list()).status).toBe(200);

    expect(await api.store.localGrants.revoke(mallory.id, path.join(api.root, 'mallory'))).toBe(true);
    const error = expectError(await list(), 403, 'permission_denied');
    expect(error.message).toMatch(/outside the folders granted to this account/);
  });
});
