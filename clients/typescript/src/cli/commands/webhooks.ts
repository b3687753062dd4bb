// webhooks list|create|delete|deliveries.
import { Command } from 'commander';
import type { CreateWebhookRequest, WebhookDelivery } from '../../types';
import { contextOf } from '../context';
import { table } from '../format';

export function webhooksCommand(): Command {
  const cmd = new Command('webhooks').description('Signed event deliveries to your endpoints');
  cmd.command('list').action(async (_o, c: Command) => {
    const ctx = contextOf(c);
    const all = await ctx.client().webhooks.list({ pageSize: 1000 }).toArray();
    ctx.print(all, () =>
      table(
        ['ID', 'URL', 'EVENTS'],
        all.map((w) => [w.id, w.url, w.events.join(',')]),
      ),
    );
  });
  cmd
    .command('create')
    .argument('<url>', 'https://… (the receiver)')
    .requiredOption('--events <list>', 'comma-separated, e.g. migration.completed,migration.failed')
    .option('--description <text>')
    .action(async (url: string, o: { events: string; description?: string }, c: Command) => {
      const ctx = contextOf(c);
      const events = o.events.split(',').map((e) => e.trim()) as CreateWebhookRequest['events'];
      const hook = await ctx.client().webhooks.create({ url, events, description: o.description });
      ctx.print(hook, () => `Created ${hook.id}. Its signing secret (shown this once): ${hook.secret}`);
    });
  cmd
    .command('delete')
    .argument('<id>')
    .action(async (id: string, _o, c: Command) => {
      const ctx = contextOf(c);
      const hook = await ctx.client().webhooks.delete(id);
      ctx.print(hook, () => `Deleted ${hook.id}`);
    });
  cmd
    .command('deliveries')
    .argument('<id>')
    .option('--limit <n>', 'at most this many, newest first', '50')
    .action(async (id: string, o: { limit: string }, c: Command) => {
      const ctx = contextOf(c);
      const found: WebhookDelivery[] = [];
      for await (const d of ctx.client().webhooks.deliveries(id, { pageSize: 100 })) {
        if (found.length >= Number(o.limit)) break;
        found.push(d);
      }
      ctx.print(found, () =>
        table(
          ['ID', 'EVENT', 'STATUS', 'ATTEMPTS', 'LAST CODE', 'CREATED'],
          found.map((d) => [
            d.id,
            d.event_type,
            d.status,
            String(d.attempts),
            String(d.last_status_code ?? '-'),
            d.created_at,
          ]),
        ),
      );
    });
  return cmd;
}
