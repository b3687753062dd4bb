// Checkpoints of a copy batch: finished files are reported in groups, at most once per interval,
// one report at a time, and a failed report keeps its files for the next one.
import { setTimeout as sleep } from 'node:timers/promises';
import { Checkpoints } from '../../activities/copy/checkpoints';

describe('Checkpoints', () => {
  it('groups the files finished within an interval, and now() reports the rest', async () => {
    const reports: number[][] = [];
    const cp = new Checkpoints(60, async (indexes) => {
      reports.push(indexes);
    });
    cp.finished(0);
    cp.finished(1);
    expect(reports).toEqual([]); // not before the interval is over
    await sleep(120);
    cp.finished(2);
    await cp.now();
    cp.stop();
    expect(reports).toEqual([[0, 1], [2]]);
  });

  it('runs one report at a time, in order', async () => {
    const log: string[] = [];
    const cp = new Checkpoints(1_000, async (indexes) => {
      log.push(`start ${indexes.join(',')}`);
      await sleep(30);
      log.push(`end ${indexes.join(',')}`);
    });
    cp.finished(0);
    const first = cp.now();
    await sleep(5); // the first report is under way
    cp.finished(1);
    await Promise.all([first, cp.now()]);
    cp.stop();
    expect(log).toEqual(['start 0', 'end 0', 'start 1', 'end 1']);
  });

  it('keeps the files of a failed report for the next one, whose caller sees a failure', async () => {
    let fail = true;
    const reported: number[][] = [];
    const cp = new Checkpoints(1_000, async (indexes) => {
      if (fail) throw new Error('disk full');
      reported.push(indexes);
    });
    cp.finished(0);
    await expect(cp.now()).rejects.toThrow('disk full');
    fail = false;
    cp.finished(1);
    await cp.now();
    cp.stop();
    expect(reported).toEqual([[0, 1]]);
  });
});
