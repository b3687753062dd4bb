// The supervisor's child handling with real processes: restart with backoff, giving up, and stopping.
import { SupervisedChild, type ChildEvent } from '../../scripts/lib/child';

const node = process.execPath;
const waitFor = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('SupervisedChild', () => {
  it('writes stdout and stderr to one log file, whichever ends first, and restarts into the same file', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mc-child-')), 'out.log');
    const events: ChildEvent[] = [];
    // stdout closes first, stderr writes on: that once ended the file under it (write after end).
    const script = `process.stdout.end('out\\n'); setTimeout(() => { process.stderr.write('err\\n'); process.exit(1); }, 100);`;
    const child = new SupervisedChild(
      { name: 'logs', command: node, args: ['-e', script], logFile, maxRestarts: 1, backoffMs: 50 },
      (e) => events.push(e),
    );
    child.start();
    await waitFor(() => events.some((e) => e.type === 'gave-up'));
    await waitFor(() => fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).length === 4);
    expect(fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).sort()).toEqual([
      'err',
      'err',
      'out',
      'out',
    ]);
  });

  it('restarts a crashing child with doubling delays, then gives up', async () => {
    const events: ChildEvent[] = [];
    const child = new SupervisedChild(
      { name: 'crash', command: node, args: ['-e', 'process.exit(3)'], maxRestarts: 2, backoffMs: 50 },
      (e) => events.push(e),
    );
    child.start();
    await waitFor(() => events.some((e) => e.type === 'gave-up'));
    expect(events).toEqual([
      { type: 'restarting', name: 'crash', code: 3, signal: null, delayMs: 50 },
      { type: 'restarting', name: 'crash', code: 3, signal: null, delayMs: 100 },
      { type: 'gave-up', name: 'crash', code: 3, signal: null },
    ]);
    await child.stop();
  });

  it('prefixes each output line with the child name', async () => {
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      const child = new SupervisedChild(
        {
          name: 'echo',
          command: node,
          args: ['-e', 'console.log("one\\ntwo"); setInterval(() => {}, 1000)'],
        },
        () => {},
      );
      child.start();
      await waitFor(() => written.length >= 2);
      await child.stop();
    } finally {
      process.stdout.write = original;
    }
    expect(written).toEqual(['[echo] one\n', '[echo] two\n']);
  });

  it('stops a child with SIGTERM and does not restart it', async () => {
    const events: ChildEvent[] = [];
    const child = new SupervisedChild(
      { name: 'idle', command: node, args: ['-e', 'setInterval(() => {}, 1000)'], backoffMs: 10 },
      (e) => events.push(e),
    );
    child.start();
    const pid = child.pid as number;
    expect(alive(pid)).toBe(true);
    await child.stop();
    expect(alive(pid)).toBe(false);
    expect(child.running).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([]);
  });

  it('kills a child that ignores SIGTERM once the grace period is over', async () => {
    const child = new SupervisedChild({
      name: 'stubborn',
      command: node,
      args: ['-e', 'process.on("SIGTERM", () => {}); console.log("ready"); setInterval(() => {}, 1000)'],
      stopTimeoutMs: 300,
    });
    const lines: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      child.start();
      await waitFor(() => lines.includes('[stubborn] ready\n')); // its SIGTERM handler is installed
    } finally {
      process.stdout.write = original;
    }
    const pid = child.pid as number;
    const started = Date.now();
    await child.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(alive(pid)).toBe(false);
  });
});
