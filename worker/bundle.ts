// Where the worker finds its workflow code: the bundle made at build time when it is up to date,
// else the workflow sources (bundled at start, as during development).
import fs from 'node:fs';
import path from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

export const WORKFLOWS_ENTRY = require.resolve('../workflows');
export const WORKFLOW_BUNDLE_PATH = path.resolve(__dirname, '../workflow-bundle.js');

export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = statOrUndefined(WORKFLOW_BUNDLE_PATH);
  const sources = fs
    .readdirSync(path.dirname(WORKFLOWS_ENTRY))
    .map((f) => path.join(path.dirname(WORKFLOWS_ENTRY), f));
  const newest = Math.max(...sources.map((f) => statOrUndefined(f)?.mtimeMs ?? 0));
  if (bundle && bundle.mtimeMs >= newest) return { workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } };
  return { workflowsPath: WORKFLOWS_ENTRY };
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
