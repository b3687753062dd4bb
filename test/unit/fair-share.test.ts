// Each account's share of a worker's heavy activities (worker/fair-share.ts), on a fake clock: alone an
// account is never held; beside others it runs at most slots ÷ accounts (at least one) and waits for one
// of its own to end; an account stays active for the linger after its last activity; a cancelled wait
// rejects and counts nothing.
import { FairShare } from '../../worker/fair-share';

let now = 0;
const share = (slots = 2, lingerMs = 1_000) => new FairShare({ slots, lingerMs, now: () => now });

beforeEach(() => {
  now = 0;
});

/** Settles after pending promise callbacks have run (the gate's wakes are synchronous). */
const tick = () => new Promise((r) => setImmediate(r));

it('never holds an account that is alone', async () => {
  const s = share();
  const releases = await Promise.all(Array.from({ length: 6 }, () => s.enter('A')));
  expect(releases).toHaveLength(6);
  expect(s.activeAccounts()).toBe(1);
});

it("holds an account to its share while another is active, and lets it go when the other's linger ends", async () => {
  const s = share(2, 1_000);
  const a = await Promise.all([s.enter('A'), s.enter('A'), s.enter('A')]);
  s.touch('B');
  expect(s.activeAccounts()).toBe(2);
  // A runs three, its share is one: a fourth waits until A is down to none running.
  let fourth: (() => void) | undefined;
  void s.enter('A', { pollMs: 10 }).then((r) => (fourth = r));
  await tick();
  a[0]();
  a[1]();
  await tick();
  expect(fourth).toBeUndefined();
  a[2]();
  await tick();
  expect(fourth).toBeDefined();
  // B itself is under its share: it starts at once.
  const b = await s.enter('B');
  b();
  // B's linger ends: A alone again, two more start at once.
  now += 1_001;
  const more = await Promise.all([s.enter('A'), s.enter('A')]);
  expect(more).toHaveLength(2);
  expect(s.activeAccounts()).toBe(1);
});

it('gives each of three accounts at least one, and splits larger slots evenly', async () => {
  const small = share(2);
  for (const account of ['A', 'B', 'C']) small.touch(account);
  await small.enter('A');
  expect(small.mayStart('A')).toBe(false);
  expect(small.mayStart('C')).toBe(true);

  const large = share(9);
  for (const account of ['A', 'B', 'C']) large.touch(account);
  for (let i = 0; i < 3; i++) await large.enter('A');
  expect(large.mayStart('A')).toBe(false);
  expect(large.mayStart('B')).toBe(true);
});

it('keeps a waiting account active and heartbeats it while it waits; a cancelled wait rejects', async () => {
  const s = share(2, 1_000);
  await s.enter('A');
  s.touch('B');
  const beats: number[] = [];
  const controller = new AbortController();
  const waiting = s.enter('A', { signal: controller.signal, pollMs: 5, keepAlive: () => beats.push(now) });
  await new Promise((r) => setTimeout(r, 30));
  expect(beats.length).toBeGreaterThan(1);
  controller.abort(new Error('cancelled'));
  await expect(waiting).rejects.toThrow('cancelled');
  // Nothing was counted for the cancelled wait: A still runs one.
  now += 500;
  expect(s.mayStart('A')).toBe(false);
});

it('releases once, however often the release is called', async () => {
  const s = share(2);
  s.touch('B');
  const release = await s.enter('A');
  release();
  release();
  expect(s.mayStart('A')).toBe(true);
  await s.enter('A');
  expect(s.mayStart('A')).toBe(false);
});
