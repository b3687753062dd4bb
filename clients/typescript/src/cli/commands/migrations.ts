// migrations list|show|pause|resume|cancel|watch, and report (the summary; items are in items.ts).
import { Command, Option } from 'commander';
import type { Migration, MigrationStatus } from '../../types';
import { contextOf } from '../context';
import { formatBytes, table } from '../format';
import { summary } from '../progress';
import { formatReport } from '../report';
import { watch } from './cp';

const row = (m: Migration) => [
  m.id,
  m.status,
  `${m.progress.files_copied}/${m.progress.files_discovered}`,
  formatBytes(m.progress.bytes_copied),
  String(m.progress.files_failed),
  m.created_at,
  `${m.source.service}:${m.source.path} → ${m.destination.service}:${m.destination.path}`,
];

export function migrationsCommand(): Command {
  const cmd = new Command('migrations').description('Your migrations');
  cmd
    .command('list')
    .description('List migrations, newest first')
    .addOption(
      new Option('--status <status>', 'only these').choices([
        'pending',
        'queued',
        'running',
        'paused',
        'completed',
        'completed_with_errors',
        'failed',
        'cancelled',
      ]),
    )
    .option('--limit <n>', 'at most this many', '50')
    .action(async (o: { status?: MigrationStatus; limit: string }, c: Command) => {
      const ctx = contextOf(c);
      const limit = Number(o.limit);
      const found: Migration[] = [];
      for await (const m of ctx
        .client()
        .migrations.list({ status: o.status, pageSize: Math.min(limit, 1000) })) {
        if (found.length >= limit) break;
        found.push(m);
      }
      ctx.print(found, () =>
        table(['ID', 'STATUS', 'FILES', 'COPIED', 'FAILED', 'CREATED', 'FROM → TO'], found.map(row)),
      );
    });
  cmd
    .command('show')
    .argument('<id>')
    .description('A migration’s status and progress')
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(c);
      const m = await ctx.client().migrations.get(id);
      ctx.print(m, () => `${summary(m)}\n${JSON.stringify(m.progress, null, 2)}`);
    });
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    cmd
      .command(action)
      .argument('<id>')
      .description(`${action[0]!.toUpperCase()}${action.slice(1)} a migration`)
      .action(async (id: string, _o, c: Command) => {
        const ctx = contextOf(c);
        const m = await ctx.client().migrations[action](id);
        ctx.print(m, () => `${m.id} ${m.status}`);
      });
  }
  cmd
    .command('watch')
    .argument('<id>')
    .description('Show a migration’s progress until it ends')
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(c);
      process.exitCode = await watch(ctx, ctx.client(), id);
    });
  return cmd;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('A migration’s summary: totals, counts by status and by reason, the largest failures')
    .argument('<id>', 'the migration (mig_…)')
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(c);
      const report = await ctx.client().migrations.report(id);
      ctx.print(report, () => formatReport(report));
    });
}
