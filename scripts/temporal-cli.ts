// Finds the Temporal CLI the same way scripts/install-temporal.sh installs it (PATH, then .tools/bin).
import fs from 'node:fs';
import path from 'node:path';

export function temporalCliPath(projectRoot: string): string {
  if (process.env.TEMPORAL_CLI_PATH) return process.env.TEMPORAL_CLI_PATH;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'temporal');
    if (dir && isExecutable(candidate)) return candidate;
  }
  const local = path.join(projectRoot, '.tools/bin/temporal');
  if (isExecutable(local)) return local;
  throw new Error('Temporal CLI not found: run scripts/install-temporal.sh');
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
