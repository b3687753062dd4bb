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
  /** User + system CPU time rclone used (all its threads), ms; null where /proc is missing. */
  cpuMs: number | null;
}

export async function rcloneCopy(
  source: string,
  destination: string,
  extra: string[] = [],
): Promise<RcloneRun> {
  const args = ['copy', '--config', '/dev/null', ...extra, source, destination];
  const started = process.hrtime.bigint();
  // Through a shell whose /proc stat then holds the CPU time of its waited-for child (cutime, cstime).
  const script = '"$0" "$@" >/dev/null || exit $?; cat /proc/$$/stat';
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = spawn('sh', ['-c', script, RCLONE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`rclone ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  // cutime and cstime are the 16th and 17th fields; clock ticks of 1/100 s.
  const fields = stdout.slice(stdout.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[13]) + Number(fields[14]);
  return { args, wallMs, cpuMs: Number.isFinite(ticks) ? ticks * 10 : null };
}
