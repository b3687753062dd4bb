// Deploys never break a running workflow: the histories recorded from releases (by
// record-histories.ts, committed under test/fixtures/histories/<version>/) replay against the current
// workflow code — a migration, a sync run and its migration, a webhook delivery. A change to what a
// workflow does (its commands) must sit behind patched() (docs/operations/upgrades.md); the last two
// tests show the check has teeth: one such change fails the replay without a marker, passes with one.
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker, type WorkflowBundle } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { testDataConverter } from '../helpers/temporal';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../..');
const HISTORIES = path.join(ROOT, 'test/fixtures/histories');
const TYPES = ['migration', 'sync-run', 'sync-run-migration', 'webhook-delivery'];

const fixtures = fs
  .readdirSync(HISTORIES)
  .flatMap((version) =>
    fs
      .readdirSync(path.join(HISTORIES, version))
      .map((file) => ({ version, file: path.join(HISTORIES, version, file) })),
  );
/** The JSON as exported (`temporal workflow show -o json`); the SDK decodes it. */
const load = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
const name = (file: string) => path.basename(file, '.json');
// Recorded through the test stack, whose codec seals payloads with the test keys (0.1.0's are clear).
const dataConverter = testDataConverter();
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never;

const currentCode = () => {
  const codePath = process.env.TEMPORAL_TEST_WORKFLOW_BUNDLE;
  if (!codePath) throw new Error('TEMPORAL_TEST_WORKFLOW_BUNDLE is not set (jest global setup)');
  return { workflowBundle: { codePath }, dataConverter };
};

it('has a recorded history of every workflow type for every release', () => {
  const versions = [...new Set(fixtures.map((f) => f.version))];
  expect(versions.length).toBeGreaterThan(0);
  for (const version of versions) {
    expect(
      fixtures
        .filter((f) => f.version === version)
        .map((f) => name(f.file))
        .sort(),
    ).toEqual(TYPES);
  }
});

it.each(fixtures.map((f) => [`${f.version}/${name(f.file)}`, f.file]))(
  '%s replays against the current workflow code',
  async (_label, file) => {
    await Worker.runReplayHistory(currentCode(), load(file), name(file));
  },
);

describe('a change to the command sequence', () => {
  const migrations = fixtures.filter((f) => name(f.file) === 'migration').map((f) => f.file);
  const bundle = (variant: string): Promise<WorkflowBundle> =>
    bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'workflows', `${variant}.ts`), logger: quiet });

  it('fails the replay without a version marker', async () => {
    const workflowBundle = await bundle('unmarked');
    for (const file of migrations) {
      await expect(
        Worker.runReplayHistory({ workflowBundle, dataConverter }, load(file)),
      ).rejects.toBeInstanceOf(DeterminismViolationError);
    }
  });

  it('replays behind patched()', async () => {
    const workflowBundle = await bundle('marked');
    for (const file of migrations)
      await Worker.runReplayHistory({ workflowBundle, dataConverter }, load(file));
  });
});
