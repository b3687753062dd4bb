// rclone, the yardstick: `rclone copy` with its defaults, timed from spawn to exit. No config file is
// read (--config /dev/null): local paths need none.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const RCLONE = process.env.RCLONE_PATH || 'rclone';

/** e.g. "rclone v1.60.1-DEV", or undefined when rclone is not installed. */
export async function rcloneVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run(RCLONE, ['version']);
    return stdout.split('\n')[0].trim();
  } catch {
    return undefined;
  }
}

export interface RcloneRun {
  args: string[];
  wallMs: number;
}

export async function rcloneCopy(
  source: string,
  destination: string,
  extra: string[] = [],
): Promise<RcloneRun> {
  const args = ['copy', '--config', '/dev/null', ...extra, source, destination];
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(RCLONE, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`rclone ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
  return { args, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
}
