// Pause and resume of a migration. The flag lives in workflow state, so a new worker replaying the
// history (the signals are in it) finds it as it was, and continue-as-new carries it. The store
// mirrors it as status `paused` / `running`, so lists (which read the store) show it too.
import { CancellationScope, condition, setHandler } from '@temporalio/workflow';
import { storeActivities } from './proxies';
import { emitMigrationEvent } from './webhook-events';
import { type MigrationProgress, pauseSignal, resumeSignal } from '../contract';

export class PauseControl {
  paused: boolean;
  /** What the store says now (a carried flag was recorded by the previous run). */
  private recorded: boolean;
  private writing = false;

  /** `onPause`: called as a pause arrives (to stop the copies that can stop mid-way). */
  constructor(carried = false, onPause?: () => void) {
    this.paused = carried;
    this.recorded = carried;
    setHandler(pauseSignal, () => {
      this.paused = true;
      onPause?.();
    });
    setHandler(resumeSignal, () => {
      this.paused = false;
    });
  }

  /**
   * Writes each change of the flag to the store, one write at a time (so a quick pause-resume ends
   * as `running`), and once more when a paused migration's copies in flight have finished (`idle`):
   * the API shows the stored counters whenever no worker answers, and they must not lag a held one.
   * Not cancellable: a cancelled migration's own final write wins anyway, because the store never
   * reopens a final status. Start it once the store says `running`. With the account, each change of
   * the flag is also published once recorded (migration.paused / migration.resumed).
   */
  mirror(
    migrationId: string,
    current: () => { progress: MigrationProgress; error: string | null },
    idle: () => boolean,
    accountId?: string,
  ): void {
    void CancellationScope.nonCancellable(async () => {
      // The store holds the counters of the migration as it is held.
      let heldRecorded = false;
      for (;;) {
        await condition(() => this.paused !== this.recorded || (this.paused && !heldRecorded && idle()));
        const paused = this.paused;
        const held = paused && idle();
        const changed = paused !== this.recorded;
        this.writing = true;
        try {
          const status = paused ? 'paused' : 'running';
          await storeActivities.recordMigrationProgress(migrationId, { status, ...current() }, accountId);
          if (changed && accountId) {
            await emitMigrationEvent(
              accountId,
              migrationId,
              paused ? 'migration.paused' : 'migration.resumed',
            );
          }
        } catch {
          // The live status (query) stays right; the store catches up with the next change.
        } finally {
          this.recorded = paused;
          heldRecorded = held;
          this.writing = false;
        }
      }
    });
  }

  /** Resolves once the store agrees with the flag: before continue-as-new hands it on. */
  settled(): Promise<void> {
    return condition(() => !this.writing && this.recorded === this.paused);
  }
}
