// What the numbers were measured on, recorded with every result.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { rcloneVersion } from './rclone';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  rclone: string | null;
  commit: string | null;
  /** Uncommitted changes in the checkout when the benchmark ran. */
  dirty: boolean | null;
}

export async function machineInfo(projectRoot: string): Promise<MachineInfo> {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8' }).trim();
    } catch {
      return null;
    }
  };
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    rclone: (await rcloneVersion()) ?? null,
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: status === null ? null : status.length > 0,
  };
}
