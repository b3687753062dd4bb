// The migration report's aggregates on both databases: counts and bytes by status, reasons grouped
// across files (paths, names and times do not split a group), the largest failures, and accounts kept apart.
import type { Account, MigrationItemOutcome } from '../../store';
import { reasonGroup } from '../../store/reason-group';
import { describeEachStore } from './targets';

const item = (
  n: number,
  status: MigrationItemOutcome['status'],
  reason: string | null = null,
  size: number | null = 1000 + n,
): MigrationItemOutcome => ({
  sourcePath: `/src/f${n}.bin`,
  destinationPath: `/dst/f${n}.bin`,
  sourceId: `id-${n}`,
  size,
  status,
  reason,
  note: null,
});

const gone = (n: number) => `The source file no longer exists: File not found: /src/dir ${n}/f${n}.bin`;
const newer = (n: number) =>
  `The destination's file is newer (modified 2025-0${(n % 9) + 1}-01T00:00:00.000Z, the source 2024-01-01T00:00:00.000Z) (conflict: "newer")`;
const refused = (n: number) =>
  `OneDrive does not allow the name "f${n}:x.bin": contains ":". Set the migration option invalid_names: "encode" to copy it under a look-alike name.`;

describeEachStore('migration item report', (t) => {
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    alice = await t.store.accounts.create({ name: 'Alice', plan: 'pro' });
    bob = await t.store.accounts.create({ name: 'Bob', plan: 'pro' });
    const outcomes: MigrationItemOutcome[] = [];
    for (let n = 0; n < 10; n++) outcomes.push(item(n, 'copied', null, 5_000_000_000 + n));
    for (let n = 10; n < 16; n++) outcomes.push(item(n, 'failed', gone(n)));
    for (let n = 16; n < 19; n++) outcomes.push(item(n, 'failed', refused(n)));
    outcomes.push(item(19, 'failed', 'Permission denied: HTTP 403', null));
    for (let n = 20; n < 24; n++) outcomes.push(item(n, 'skipped', newer(n)));
    outcomes.push(item(24, 'deleted', null, null));
    await t.store.items.record(alice.id, 'mig_report', outcomes);
    // Another account's rows under the same migration id count nowhere.
    await t.store.items.record(bob.id, 'mig_report', [item(99, 'failed', gone(99), 9e12)]);
  });

  it('counts files and bytes by status, summing known sizes as exact integers', async () => {
    const report = await t.store.items.report(alice.id, 'mig_report');
    const byStatus = Object.fromEntries(report.byStatus.map((s) => [s.status, s]));
    expect(byStatus).toEqual({
      copied: { status: 'copied', count: 10, bytes: 50_000_000_045 },
      failed: { status: 'failed', count: 10, bytes: (1010 + 1015) * 3 + 1016 + 1017 + 1018 },
      skipped: { status: 'skipped', count: 4, bytes: 1020 + 1021 + 1022 + 1023 },
      deleted: { status: 'deleted', count: 1, bytes: 0 },
    });
  });

  it('groups reasons that differ only by path, name or time, most frequent first', async () => {
    const report = await t.store.items.report(alice.id, 'mig_report');
    expect(report.byReason).toEqual([
      {
        status: 'failed',
        reason: 'The source file no longer exists: File not found: <path>',
        count: 6,
        bytes: 6 * 1012 + 3,
        example: gone(10),
      },
      {
        status: 'skipped',
        reason: `The destination's file is newer (modified <time>, the source <time>) (conflict: "newer")`,
        count: 4,
        bytes: 4086,
        example: [20, 21, 22, 23].map(newer).sort()[0],
      },
      {
        status: 'failed',
        reason:
          'OneDrive does not allow the name "…": contains "…". Set the migration option invalid_names: ' +
          '"encode" to copy it under a look-alike name.',
        count: 3,
        bytes: 1016 + 1017 + 1018,
        example: refused(16),
      },
      {
        status: 'failed',
        reason: 'Permission denied: HTTP 403',
        count: 1,
        bytes: 0,
        example: 'Permission denied: HTTP 403',
      },
    ]);
  });

  it('lists the largest failures first, unknown sizes last', async () => {
    const { largestFailures } = await t.store.items.report(alice.id, 'mig_report');
    expect(largestFailures.map((f) => f.size)).toEqual([
      1018,
      1017,
      1016,
      1015,
      1014,
      1013,
      1012,
      1011,
      1010,
      null,
    ]);
    expect(largestFailures[0]).toEqual({
      sourcePath: '/src/f18.bin',
      destinationPath: '/dst/f18.bin',
      size: 1018,
      reason: refused(18),
    });
  });

  it('keeps at most 20 failures', async () => {
    await t.store.items.record(
      alice.id,
      'mig_many',
      Array.from({ length: 45 }, (_, n) => item(n, 'failed', gone(n))),
    );
    const report = await t.store.items.report(alice.id, 'mig_many');
    expect(report.largestFailures).toHaveLength(20);
    expect(report.largestFailures[0]!.size).toBe(1044);
    expect(report.byReason).toHaveLength(1);
    expect(report.byReason[0]!.count).toBe(45);
  });

  it('groups rows recorded before reason groups by their exact reason', async () => {
    await t.store.items.record(alice.id, 'mig_old', [item(1, 'failed', gone(1)), item(2, 'failed', gone(2))]);
    await t.raw.run('update migration_items set reason_group = null where migration_id = ?', ['mig_old']);
    const report = await t.store.items.report(alice.id, 'mig_old');
    expect(report.byReason.map((r) => [r.reason, r.count])).toEqual([
      [gone(1), 1],
      [gone(2), 1],
    ]);
  });

  it('answers nothing for another account or an unknown migration', async () => {
    const empty = { byStatus: [], byReason: [], largestFailures: [] };
    expect(await t.store.items.report(bob.id, 'mig_unknown')).toEqual(empty);
    const bobs = await t.store.items.report(bob.id, 'mig_report');
    expect(bobs.byStatus).toEqual([{ status: 'failed', count: 1, bytes: 9e12 }]);
  });
});

describe('reasonGroup', () => {
  it.each([
    [
      'The source file no longer exists: /Photos/2024/beach 1.jpg',
      'The source file no longer exists: <path>',
    ],
    [
      'An identical file is already at the destination: /x/y (2).txt (conflict: "rename")',
      'An identical file is already at the destination: <path> (conflict: "rename")',
    ],
    [
      'A file with this name already exists at the destination (conflict: "skip")',
      'A file with this name already exists at the destination (conflict: "skip")',
    ],
    [
      'OneDrive does not allow paths longer than 400 characters (412 at the destination: /a/b c.txt)',
      'OneDrive does not allow paths longer than <n> characters (<n> at the destination: <path>)',
    ],
    [
      'checksum mismatch: destination md5 9e107d9d372bb6826bd81d3542a419d6, read e4d909c290d0fb1ca068ffaddf22cbd0 (written 3 times; the copy was removed)',
      'checksum mismatch: destination md5 <id>, read <id> (written <n> times; the copy was removed)',
    ],
    ['Permission denied: HTTP 403 for /x', 'Permission denied: HTTP 403 for <path>'],
  ])('%s', (reason, group) => {
    expect(reasonGroup(reason)).toBe(group);
  });

  it('keeps groups short', () => {
    expect(reasonGroup('x'.repeat(1000))).toHaveLength(300);
  });
});
