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
