// Starts one real Temporal dev server (the installed CLI, never a download) and bundles the workflows
// once for every suite. Suites connect with `connectTestTemporal()` from test/helpers/temporal.ts.
import fs from 'node:fs';
import path from 'node:path';
import { defineSearchAttributeKey } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode } from '@temporalio/worker';
import { temporalCliPath } from '../../scripts/temporal-cli';
import { dynamicConfigArgs } from '../../scripts/lib/temporal-dev-server';
import { SEARCH_ATTRIBUTES } from '../../contract';
import { FAILURE_CONVERTER_PATH } from '../../common/payload-codec';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../worker/bundle';

const ROOT = path.resolve(__dirname, '../..');

export default async function globalSetup(): Promise<void> {
  // Developer shortcut for iterating on suites that need no Temporal; ignored in CI.
  if (process.env.MC_TEST_NO_TEMPORAL === '1' && process.env.CI !== 'true') return;
  const executable = temporalCliPath(ROOT);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: executable },
      searchAttributes: Object.values(SEARCH_ATTRIBUTES).map((name) =>
        defineSearchAttributeKey(name, 'KEYWORD'),
      ),
      // Small histories in tests so continue-as-new is exercised on small trees.
      extraArgs: [
        '--dynamic-config-value',
        'limit.historyCount.suggestContinueAsNew=300',
        ...dynamicConfigArgs(),
      ],
    },
  });
  (globalThis as Record<string, unknown>).__TEMPORAL_TEST_ENV__ = env;
  process.env.TEMPORAL_TEST_ADDRESS = env.address;

  const bundle = await bundleWorkflowCode({
    workflowsPath: path.join(ROOT, 'workflows/index.ts'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    // Suites' workers encrypt by default (helpers/temporal.ts): workflows' own failures are encoded too.
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } as never,
  });
  const bundleDir = path.join(ROOT, '.data/test');
  fs.mkdirSync(bundleDir, { recursive: true });
  const codePath = path.join(bundleDir, `workflow-bundle-${process.pid}.js`);
  fs.writeFileSync(codePath, bundle.code);
  process.env.TEMPORAL_TEST_WORKFLOW_BUNDLE = codePath;
}
