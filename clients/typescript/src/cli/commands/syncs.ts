// syncs list|create|show|pause|resume|delete|run: recurring syncs on Temporal Schedules.
import { Command, Option } from 'commander';
import type { CreateSyncRequest, Sync } from '../../types';
import { contextOf } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { table } from '../format';
import { resolveTarget, type TargetArg } from '../resolve';

const schedule = (s: Sync) =>
  'cron' in s.schedule ? `cron ${s.schedule.cron}` : `every ${s.schedule.interval}`;
const collect = (value: string, previous: string[] = []) => [...previous, value];

const SOURCE: TargetArg = { name: '<source>', explicitPath: true };
const DESTINATION: TargetArg = { name: '<destination>', explicitPath: true };

export function syncsCommand(): Command {
  const cmd = new Command('syncs').description('Recurring syncs');
  cmd
    .command('list')
    .description('List syncs, newest first')
    .action(async (_o, c: Command) => {
      const ctx = contextOf(c);
      const all = await ctx.client().syncs.list({ pageSize: 1000 }).toArray();
      ctx.print(all, () =>
        table(
          ['ID', 'STATE', 'SCHEDULE', 'NEXT RUN', 'FROM → TO'],
          all.map((s) => [
            s.id,
            s.state,
            schedule(s),
            s.next_run_at ?? '-',
            `${s.source.service}:${s.source.path} → ${s.destination.service}:${s.destination.path}`,
          ]),
        ),
      );
    });
  cmd
    .command('create')
    .description('Sync SRC:/path into DST:/path on a schedule (--cron or --every)')
    .argument('<source>', 'SERVICE_OR_CONNECTION:/path')
    .argument('<destination>', 'SERVICE_OR_CONNECTION:/path')
    .option('--cron <expr>', 'a 5-field cron expression, e.g. "0 * * * *"')
    .option('--every <interval>', 'an interval, e.g. 15m, 1h30m, 1d')
    .option('--timezone <tz>', 'IANA time zone for --cron (default UTC)')
    .addOption(new Option('--conflict <policy>').choices(['skip', 'overwrite', 'rename', 'newer']))
    .option('--include <glob>', 'copy only files matching (repeatable)', collect)
    .option('--exclude <glob>', 'leave out matching files and folders (repeatable)', collect)
    .option('--mirror', 'delete at the destination what the source lost (delete_extraneous)')
    .option('--paused', 'create it paused')
    .action(async (src: string, dst: string, o: SyncOptions, c: Command) => {
      const ctx = contextOf(c);
      if (Boolean(o.cron) === Boolean(o.every))
        throw new CliError('Give one of --cron or --every', EXIT.usage);
      const client = ctx.client();
      const [from, to] = await Promise.all([
        resolveTarget(client, src, SOURCE),
        resolveTarget(client, dst, DESTINATION),
      ]);
      const body: CreateSyncRequest = {
        source: { connection_id: from.connection.id, path: from.path },
        destination: { connection_id: to.connection.id, path: to.path },
        schedule: o.cron ? { cron: o.cron } : { interval: o.every! },
        options: {
          ...(o.conflict && { conflict: o.conflict }),
          ...(o.include && { include: o.include }),
          ...(o.exclude && { exclude: o.exclude }),
          ...(o.mirror && { delete_extraneous: true }),
        },
        ...(o.timezone && { timezone: o.timezone }),
        ...(o.paused && { paused: true }),
      };
      const sync = await client.syncs.create(body);
      ctx.print(sync, () => `Created ${sync.id} (${schedule(sync)}, next run ${sync.next_run_at ?? '-'}).`);
    });
  cmd
    .command('show')
    .argument('<id>')
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(c);
      const sync = await ctx.client().syncs.get(id);
      ctx.print(sync, () => JSON.stringify(sync, null, 2));
    });
  for (const action of ['pause', 'resume', 'delete'] as const) {
    cmd
      .command(action)
      .argument('<id>')
      .action(async (id: string, _o, c: Command) => {
        const ctx = contextOf(c);
        const sync = await ctx.client().syncs[action](id);
        ctx.print(sync, () => `${sync.id} ${action === 'delete' ? 'deleted' : sync.state}`);
      });
  }
  cmd
    .command('run')
    .argument('<id>')
    .description('Start a run now')
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(c);
      const run = await ctx.client().syncs.trigger(id);
      ctx.print(run, () => `Started ${JSON.stringify(run)}`);
    });
  return cmd;
}

interface SyncOptions {
  cron?: string;
  every?: string;
  timezone?: string;
  conflict?: 'skip' | 'overwrite' | 'rename' | 'newer';
  include?: string[];
  exclude?: string[];
  mirror?: boolean;
  paused?: boolean;
}
