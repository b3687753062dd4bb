// Builds the real app for a suite: SQLite in memory, the dev server's Temporal, a temp local root.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client, Connection } from '@temporalio/client';
import type express from 'express';
import request from 'supertest';
import { createApp } from '../../api/app';
import {
  createRateLimiter,
  type AccountRateLimiter,
  type RateLimiterOptions,
} from '../../api/http/rate-limit';
import { randomBase62 } from '../../common/ids';
import { loadConfig, type Config } from '../../config';
import { createLogger, type Logger } from '../../common/logger';
import { createStore, type ApiKeyScope, type Plan, type Store } from '../../store';
import { connectTestClient } from '../helpers/temporal';

export interface TestAccount {
  id: string;
  key: string;
  auth: { Authorization: string };
}

export interface TestApi {
  app: express.Application;
  store: Store;
  client: Client;
  taskQueue: string;
  config: Config;
  /** The server's local root (a fresh temp dir). */
  root: string;
  rateLimiter: AccountRateLimiter;
  /** A new account and key; granted `grant` for local connections (default: the whole root; null: none). */
  account(plan?: Plan, name?: string, grant?: string | null, scope?: ApiKeyScope): Promise<TestAccount>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  limits?: RateLimiterOptions['limits'];
  rateLimiter?: AccountRateLimiter;
  failedAuthPerMinute?: number;
  /** Share another app's store (two API processes over one database); the owner closes it. */
  store?: Store;
  /** Another Temporal client (e.g. one that cannot connect). */
  client?: Client;
  /** Another app's task queue (to have its worker run what this one starts). */
  taskQueue?: string;
  /** Extra settings, as environment variables. */
  env?: Record<string, string>;
  /** Where the app logs (silent by default). */
  logger?: Logger;
  /** The app's clock (sessions' expiry); the wall clock by default. */
  clock?: () => Date;
}

let shared: { client: Client; connection: Connection } | undefined;

export async function createTestApi(opts: TestApiOptions = {}): Promise<TestApi> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-api-')));
  const config = loadConfig({
    MIGRATECLOUDS_LOCAL_ROOTS: root,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...opts.env,
  });
  const store = opts.store ?? (await createStore('sqlite::memory:'));
  shared ??= await connectTestClient();
  const client = opts.client ?? shared.client;
  // No worker polls this queue: workflows started here stay as the API left them.
  const taskQueue = opts.taskQueue ?? `api-test-${randomBase62(8)}`;
  const rateLimiter =
    opts.rateLimiter ??
    createRateLimiter({
      limits: opts.limits ?? { pro: 1000, enterprise: 5000 },
      failedAuthPerMinute: opts.failedAuthPerMinute ?? 1000,
    });
  const app = createApp({
    store,
    temporal: { client, namespace: 'default', taskQueue },
    config,
    logger: opts.logger ?? createLogger('silent'),
    rateLimiter,
    clock: opts.clock,
  });
  return {
    app,
    store,
    client,
    taskQueue,
    config,
    root,
    rateLimiter,
    async account(plan = 'pro', name = 'Test', grant: string | null = root, scope: ApiKeyScope = 'admin') {
      const account = await store.accounts.create({ name, plan });
      if (grant) await store.localGrants.grant(account.id, grant);
      const { plaintext } = await store.apiKeys.create({ accountId: account.id, name: 'test', scope });
      return { id: account.id, key: plaintext, auth: { Authorization: `Bearer ${plaintext}` } };
    },
    async close() {
      await rateLimiter.close();
      if (!opts.store) await store.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Closes the suite's Temporal connection (call in the last afterAll). */
export async function closeTemporal(): Promise<void> {
  await shared?.connection.close();
  shared = undefined;
}

/** Asserts an error envelope and returns its error. */
export function expectError(
  res: request.Response,
  status: number,
  code: string,
  message?: string | RegExp,
): { code: string; message: string; details: string } {
  expect({ status: res.status, body: res.body as unknown }).toMatchObject({
    status,
    body: { status: 'error', error: { code } },
  });
  const error = (res.body as { error: { code: string; message: string; details: string } }).error;
  if (typeof message === 'string') expect(error.message).toBe(message);
  else if (message) expect(error.message).toMatch(message);
  expect(typeof error.details).toBe('string');
  expect(error.details.length).toBeGreaterThan(0);
  return error;
}

export { request };
