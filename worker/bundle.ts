// Where the worker finds its workflow code: the bundle made at build time when it is up to date,
// else the workflow sources (bundled at start, as during development). Two bundles are built: a
// workflow's own failures are encoded (then encrypted) only when its bundle carries the failure
// converter, which must be chosen at bundling time.
import fs from 'node:fs';
import path from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

export const WORKFLOWS_ENTRY = require.resolve('../workflows');
/** Bundled with the workflows (a prebuilt bundle carries them; WorkerOptions cannot add them later). */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/log-ids')];
export const WORKFLOW_BUNDLE_PATHS = {
  plain: path.resolve(__dirname, '../workflow-bundle.js'),
  encrypting: path.resolve(__dirname, '../workflow-bundle.encrypting.js'),
};

/** `opts.prebuilt: false`: bundle at start (with interceptor modules no prebuilt bundle has, e.g. tracing's). */
export function workflowSource(
  dataConverter?: { failureConverterPath?: string },
  opts: { prebuilt?: boolean } = {},
): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  if (opts.prebuilt === false) return { workflowsPath: WORKFLOWS_ENTRY };
  const codePath = dataConverter?.failureConverterPath
    ? WORKFLOW_BUNDLE_PATHS.encrypting
    : WORKFLOW_BUNDLE_PATHS.plain;
  const bundle = statOrUndefined(codePath);
  const sources = fs
    .readdirSync(path.dirname(WORKFLOWS_ENTRY))
    .map((f) => path.join(path.dirname(WORKFLOWS_ENTRY), f));
  const newest = Math.max(...sources.map((f) => statOrUndefined(f)?.mtimeMs ?? 0));
  if (bundle && bundle.mtimeMs >= newest) return { workflowBundle: { codePath } };
  // Bundled at start, with the data converter's failure converter (the SDK passes it on).
  return { workflowsPath: WORKFLOWS_ENTRY };
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
