// Small measurements that explain a result rather than produce one: what durability costs per file on
// this disk (write + fsync + rename + fsync of the folder, as the local connector does) against a plain
// write (as rclone does).
import fs from 'node:fs';
import path from 'node:path';
import { contentChunks } from './data';

export interface FsyncCost {
  files: number;
  plainMsPerFile: number;
  durableMsPerFile: number;
}

export function fsyncCost(dir: string, files = 1000, size = 7 * 1024): FsyncCost {
  const body = Buffer.concat([...contentChunks(0, 'fsync-probe', size)]);
  const time = (name: string, write: (file: string) => void) => {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder, { recursive: true });
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < files; i++) write(path.join(folder, `f${i}`));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    fs.rmSync(folder, { recursive: true, force: true });
    return Math.round((ms / files) * 1000) / 1000;
  };
  const plainMsPerFile = time('plain', (file) => fs.writeFileSync(file, body));
  const durableMsPerFile = time('durable', (file) => {
    const partial = `${file}.partial`;
    const fd = fs.openSync(partial, 'wx');
    fs.writeSync(fd, body);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(partial, file);
    const dirFd = fs.openSync(path.dirname(file), 'r');
    fs.fsyncSync(dirFd);
    fs.closeSync(dirFd);
  });
  return { files, plainMsPerFile, durableMsPerFile };
}
