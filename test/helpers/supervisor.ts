// `npm start`'s supervisor (dist/scripts/start.js) run by a test, in a temporary data dir on free ports.
import { spawn } from 'node:child_process';
import path from 'node:path';

export { freePort } from '../../common/free-port';

const ROOT = path.resolve(__dirname, '../..');

export interface RunningSupervisor {
  output(): string;
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

/** Runs the supervisor until its banner is out; answers its output so far and a stop function. */
export async function startSupervisor(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
): Promise<RunningSupervisor> {
  const proc = spawn(process.execPath, [path.join(ROOT, 'dist/scripts/start.js'), ...args], {
    cwd: ROOT,
    env,
  });
  let output = '';
  proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 150_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`supervisor did not come up:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    output: () => output,
    stop: async (signal: NodeJS.Signals) => {
      proc.kill(signal);
      return exited;
    },
  };
}
