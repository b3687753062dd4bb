// cp SRC:/path DST:/path: starts a migration and shows its progress until it ends. Ctrl-C detaches (the
// migration goes on; `migrations watch` picks it up again) unless --cancel-on-interrupt.
import { Command, Option } from 'commander';
import type { MigrateClouds } from '../../client';
import type { CreateMigrationRequest, Migration } from '../../types';
import { contextOf, type Context } from '../context';
import { EXIT, exitCodeForStatus } from '../exit-codes';
import { progressView, summary } from '../progress';
import { resolveTarget, splitTarget, type TargetArg } from '../resolve';

const collect = (value: string, previous: string[] = []) => [...previous, value];

const SOURCE: TargetArg = { name: '<source>', explicitPath: true };
const DESTINATION: TargetArg = { name: '<destination>', explicitPath: true };

export function cpCommand(): Command {
  return new Command('cp')
    .description('Copy a folder tree (or one file) from one connection to another, with live progress')
    .argument('<source>', 'SERVICE_OR_CONNECTION:/path')
    .argument('<destination>', 'SERVICE_OR_CONNECTION:/path (a folder; created if missing)')
    .addOption(
      new Option('--conflict <policy>', 'when a name is taken').choices([
        'skip',
        'overwrite',
        'rename',
        'newer',
      ]),
    )
    .option('--include <glob>', 'copy only files matching (repeatable)', collect)
    .option('--exclude <glob>', 'leave out files and folders matching (repeatable)', collect)
    .addOption(new Option('--verify <how>', 'check each copy').choices(['checksum', 'size', 'none']))
    .option('--dry-run', 'list and count only; write nothing')
    .option('--no-wait', 'start it and exit (prints its id)')
    .option('--cancel-on-interrupt', 'Ctrl-C cancels the migration instead of detaching')
    .action(async (src: string, dst: string, o: CpOptions, c: Command) => {
      const ctx = contextOf(c);
      splitTarget(src, SOURCE); // bad input is refused before the key is even looked for
      splitTarget(dst, DESTINATION);
      const client = ctx.client();
      const [from, to] = await Promise.all([
        resolveTarget(client, src, SOURCE),
        resolveTarget(client, dst, DESTINATION),
      ]);
      const options: NonNullable<CreateMigrationRequest['options']> = {};
      if (o.conflict) options.conflict = o.conflict;
      if (o.include) options.include = o.include;
      if (o.exclude) options.exclude = o.exclude;
      if (o.verify) options.verify = o.verify;
      if (o.dryRun) options.dry_run = true;
      const started = await client.migrations.create({
        source: { connection_id: from.connection.id, path: from.path },
        destination: { connection_id: to.connection.id, path: to.path },
        options,
      });
      if (!o.wait) {
        ctx.print(
          started,
          () => `Started ${started.id}. Watch it: migrateclouds migrations watch ${started.id}`,
        );
        return;
      }
      if (!ctx.json)
        ctx.note(
          `Started ${started.id}: ${from.connection.name}:${from.path} → ${to.connection.name}:${to.path}`,
        );
      process.exitCode = await watch(ctx, client, started.id, Boolean(o.cancelOnInterrupt));
    });
}

interface CpOptions {
  conflict?: 'skip' | 'overwrite' | 'rename' | 'newer';
  include?: string[];
  exclude?: string[];
  verify?: 'checksum' | 'size' | 'none';
  dryRun?: boolean;
  wait: boolean;
  cancelOnInterrupt?: boolean;
}

/** Shows progress until the migration ends (exit code by its status) or Ctrl-C detaches (130). */
export async function watch(
  ctx: Context,
  client: MigrateClouds,
  id: string,
  cancelOnInterrupt = false,
): Promise<number> {
  const view = progressView(ctx);
  const detach = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (cancelOnInterrupt && interrupts === 1) {
      ctx.note(`\nCancelling ${id}… (Ctrl-C again to stop watching)`);
      client.migrations.cancel(id).catch((err: unknown) => ctx.note(`Could not cancel: ${String(err)}`));
    } else detach.abort();
  };
  process.on('SIGINT', onSigint);
  let final: Migration;
  try {
    final = await client.waitForMigration(id, {
      pollInterval: 1000,
      signal: detach.signal,
      onProgress: (m) => view.update(m),
    });
  } catch (err) {
    view.stop();
    if (!detach.signal.aborted) throw err;
    ctx.note(`\nDetached: ${id} goes on. Watch it again: migrateclouds migrations watch ${id}`);
    if (ctx.json) process.stdout.write(`${JSON.stringify({ id, detached: true })}\n`);
    return EXIT.interrupted;
  } finally {
    process.off('SIGINT', onSigint);
  }
  view.stop();
  ctx.print(final, () => summary(final));
  return exitCodeForStatus(final.status);
}
