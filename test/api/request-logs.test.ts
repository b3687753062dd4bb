// Every line logged while the API serves a request names the request and its account; lines about one
// migration name it and its workflow, whichever logger wrote them (the request's or the app's).
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { migrationWorkflowId } from '../../contract';
import { captureLogs, type LogLine } from '../helpers/log-capture';
import { closeTemporal, createTestApi, type TestAccount, type TestApi } from './helpers';

let api: TestApi;
let alice: TestAccount;
const { logger, lines } = captureLogs();

beforeAll(async () => {
  api = await createTestApi({ logger });
  alice = await api.account('pro', 'Alice');
});

afterAll(async () => {
  await api?.close();
  await closeTemporal();
});

const linesOf = (res: request.Response): LogLine[] =>
  lines.filter((l) => l.reqId === res.headers['x-request-id']);

/** No line may name a field twice (a child logger's binding and the context's). */
const countKey = (line: LogLine, key: string) => JSON.stringify(line).split(`"${key}":`).length - 1;

async function connection(app: TestApi, who: TestAccount, dir: string): Promise<string> {
  fs.mkdirSync(path.join(app.root, dir), { recursive: true });
  const res = await request(app.app)
    .post('/v1/connections')
    .set(who.auth)
    .send({ service: 'local', name: dir, config: { root: path.join(app.root, dir) } });
  expect(res.status).toBe(201);
  return res.body.data.id as string;
}

describe('request logs', () => {
  it('carry the request and account ids, and the migration and workflow ids on a migration’s routes', async () => {
    const src = await connection(api, alice, 'src');
    const dst = await connection(api, alice, 'dst');
    const started = await request(api.app)
      .post('/v1/migrations')
      .set(alice.auth)
      .send({ source: { connection_id: src, path: '/' }, destination: { connection_id: dst, path: '/' } });
    expect(started.status).toBe(202);
    const id = started.body.data.id as string;
    const ids = { accountId: alice.id, migrationId: id, workflowId: migrationWorkflowId(id) };

    const summary = linesOf(started).find((l) => l.msg === 'request completed');
    expect(summary).toMatchObject({ ...ids, reqId: started.headers['x-request-id'] });

    for (const res of [
      await request(api.app).get(`/v1/migrations/${id}`).set(alice.auth),
      await request(api.app).get(`/v1/migrations/${id}/items`).set(alice.auth),
    ]) {
      expect(res.status).toBe(200);
      const own = linesOf(res);
      expect(own.length).toBeGreaterThan(0);
      for (const line of own) {
        expect(line).toMatchObject(ids);
        for (const key of ['reqId', 'accountId', 'migrationId']) expect(countKey(line, key)).toBe(1);
      }
    }

    // Not a migration's route: the account, and no migration.
    const listed = await request(api.app).get('/v1/migrations').set(alice.auth);
    const listLine = linesOf(listed).find((l) => l.msg === 'request completed');
    expect(listLine).toMatchObject({ accountId: alice.id });
    expect(listLine).not.toHaveProperty('migrationId');
  });

  it('names the migration on lines the app’s own logger writes while serving the request', async () => {
    const { logger: appLogger, lines: appLines } = captureLogs();
    const unreachable = await Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 300 });
    const down = await createTestApi({ client: new Client({ connection: unreachable }), logger: appLogger });
    try {
      const carol = await down.account('pro', 'Carol');
      const conn = await connection(down, carol, 'c');
      fs.mkdirSync(path.join(down.root, 'c/in'));
      const res = await request(down.app)
        .post('/v1/migrations')
        .set(carol.auth)
        .send({
          source: { connection_id: conn, path: '/in' },
          destination: { connection_id: conn, path: '/out' },
        });
      expect(res.status).toBe(502);
      const failed = appLines.find((l) => l.msg === 'could not start the migration workflow');
      const migrationId = failed?.migrationId as string;
      expect(failed).toMatchObject({
        reqId: res.headers['x-request-id'],
        accountId: carol.id,
        workflowId: migrationWorkflowId(migrationId),
      });
      // The error handler's line, written through the request's logger.
      expect(appLines.find((l) => l.msg === 'service error')).toMatchObject({
        reqId: res.headers['x-request-id'],
        accountId: carol.id,
        migrationId,
      });
    } finally {
      await down.close();
      await unreachable.close();
    }
  });
});
