// Admission: a migration runs once its account holds fewer running (or paused) migrations than the
// worker's limit; until then it waits as `queued`. A migration of the account that ends wakes the
// oldest few queued ones (they race for the slot in one store transaction); each also asks again every
// minute, in case the one that freed its slot could not wake it (terminated, or its signal lost).
import { condition, getExternalWorkflowHandle, patched, setHandler } from '@temporalio/workflow';
import { quickStoreActivities, storeActivities } from './proxies';
import { migrationWorkflowId, slotFreedSignal, type MigrationStatus } from '../contract';

/** The patch that admits migrations through their account's slots (older histories start at once). */
export const ADMISSION = 'admission';
const ASK_AGAIN_MS = 60_000;

export class Admission {
  private woken = false;

  /** Whether this history admits through slots: asked up front when `local` (see the constructor). */
  private admits?: boolean;

  /**
   * `local`: its store calls are local activities (workflows/proxies.ts). Its patch is then asked here,
   * before any of them: a version marker right after a local activity's marker in one workflow task
   * fails the replay of that history (the SDK's core meets the marker before the code asks for it).
   */
  constructor(private readonly local = false) {
    if (local) this.admits = patched(ADMISSION);
    setHandler(slotFreedSignal, () => {
      this.woken = true;
    });
  }

  private patched(): boolean {
    return this.admits ?? patched(ADMISSION);
  }

  private get store() {
    return this.local ? quickStoreActivities : storeActivities;
  }

  /** Resolves with the status the store now records: `running`, or a final one it reached meanwhile. */
  async enter(
    migrationId: string,
    accountId: string,
    onQueued: () => void,
  ): Promise<MigrationStatus | undefined> {
    if (!this.patched()) return storeActivities.markMigrationRunning(migrationId, accountId);
    for (;;) {
      this.woken = false;
      const status = await this.store.admitMigration(migrationId, accountId);
      if (status !== 'queued') return status;
      onQueued();
      await condition(() => this.woken, ASK_AGAIN_MS);
    }
  }

  /** After the migration's final status is recorded: its slot is free for the account's queued ones. */
  async leave(accountId: string): Promise<void> {
    if (!this.patched()) return;
    const waiting = await this.store.queuedMigrations(accountId);
    await Promise.all(
      waiting.map((id) =>
        // One that has just ended (or was admitted) needs no signal: a failed one changes nothing.
        getExternalWorkflowHandle(migrationWorkflowId(id))
          .signal(slotFreedSignal)
          .catch(() => undefined),
      ),
    );
  }
}
