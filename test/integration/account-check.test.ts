// Activities do not trust the account a workflow input names: a request that pairs one account's
// connections with another account's migration, or two accounts' endpoints, fails at once, not retried,
// before any connector is opened.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { completeOptions, FAILURE_TYPES, type CopyRequest, type ExploreRequest } from '../../contract';
import { createStore } from '../../store';
import type { Store } from '../../store/types';

let store: Store;
let tmp: string;
let opened = 0;
let victim: { accountId: string; connectionId: string };
let attacker: { accountId: string; connectionId: string; migrationId: string };

beforeAll(async () => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-owner-')));
  store = await createStore('sqlite::memory:');
  const make = async (name: string) => {
    const account = await store.accounts.create({ name, plan: 'pro' });
    const conn = await store.connections.create({
      accountId: account.id,
      service: 'local',
      name,
      config: { root: tmp },
    });
    return { accountId: account.id, connectionId: conn.id };
  };
  victim = await make('victim');
  const a = await make('attacker');
  const endpoint = { connectionId: a.connectionId, service: 'local' as const, path: '/' };
  const migration = await store.migrations.create({
    accountId: a.accountId,
    source: endpoint,
    destination: endpoint,
    options: completeOptions({}),
  });
  attacker = { ...a, migrationId: migration.id };
});

afterAll(async () => {
  await store?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const activities = () =>
  createActivities({
    store,
    connectorFactory: () => {
      opened++;
      throw new Error('no connector should be opened');
    },
    fileConcurrency: 1,
  });

async function refusal(run: () => Promise<unknown>): Promise<ApplicationFailure> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

const options = completeOptions({});
const rules = {
  sourceRoot: '/',
  destinationRoot: '/',
  destinationService: 'local' as const,
  googleDocs: options.googleDocs,
  invalidNames: options.invalidNames,
};

it('refuses another account’s migration with this account’s connections', async () => {
  const env = new MockActivityEnvironment();
  const { copyFiles, exploreSource } = activities();
  const copy: CopyRequest = {
    migrationId: attacker.migrationId,
    source: victim,
    destination: victim,
    files: [],
    options,
  };
  const copyErr = await refusal(() => env.run(copyFiles, copy));
  expect(copyErr).toMatchObject({ type: FAILURE_TYPES.accountMismatch, nonRetryable: true });
  expect(copyErr.message).toBe(
    `Migration ${attacker.migrationId} does not belong to account ${victim.accountId}`,
  );
  const explore: ExploreRequest = {
    migrationId: attacker.migrationId,
    rules,
    stack: [],
    maxEntries: 10,
    options,
  };
  const exploreErr = await refusal(() => env.run(exploreSource, victim, victim, explore));
  expect(exploreErr).toMatchObject({ type: FAILURE_TYPES.accountMismatch, nonRetryable: true });
  expect(opened).toBe(0);
});

it('refuses endpoints of two accounts', async () => {
  const env = new MockActivityEnvironment();
  const { copyFiles } = activities();
  const attackerRef = { accountId: attacker.accountId, connectionId: attacker.connectionId };
  const err = await refusal(() =>
    env.run(copyFiles, {
      migrationId: attacker.migrationId,
      source: victim,
      destination: attackerRef,
      files: [],
      options,
    }),
  );
  expect(err).toMatchObject({ type: FAILURE_TYPES.accountMismatch, nonRetryable: true });
  expect(err.message).toMatch(/different accounts/);
  expect(opened).toBe(0);
});

it('writes status and progress only to the workflow’s own account’s migration', async () => {
  const env = new MockActivityEnvironment();
  const { markMigrationRunning, recordMigrationProgress } = activities();
  const before = await store.migrations.getById(attacker.migrationId);
  const progress = { ...before!.progress, filesCopied: 99 };
  const running = await refusal(() => env.run(markMigrationRunning, attacker.migrationId, victim.accountId));
  expect(running).toMatchObject({ type: FAILURE_TYPES.accountMismatch, nonRetryable: true });
  const write = await refusal(() =>
    env.run(
      recordMigrationProgress,
      attacker.migrationId,
      { status: 'failed' as const, progress },
      victim.accountId,
    ),
  );
  expect(write.message).toBe(
    `Migration ${attacker.migrationId} does not belong to account ${victim.accountId}`,
  );
  expect(await store.migrations.getById(attacker.migrationId)).toMatchObject({
    status: before!.status,
    progress: before!.progress,
  });

  // The owner's workflow writes as before; a write the state machine refuses is not a refusal.
  expect(await env.run(markMigrationRunning, attacker.migrationId, attacker.accountId)).toBe('running');
  await env.run(recordMigrationProgress, attacker.migrationId, { progress }, attacker.accountId);
  await env.run(
    recordMigrationProgress,
    attacker.migrationId,
    { status: 'completed' as const, progress },
    attacker.accountId,
  );
  expect(await env.run(markMigrationRunning, attacker.migrationId, attacker.accountId)).toBe('completed');
  expect((await store.migrations.getById(attacker.migrationId))?.progress.filesCopied).toBe(99);
});
