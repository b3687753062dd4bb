// connections list|add|connect|remove. `connect` runs the OAuth flow: it prints the URL to open in your
// browser (the flow is bound to the browser that opens it) and waits until the connection exists.
import { Command, Option } from 'commander';
import { NotFoundError } from '../../errors';
import type { Connection } from '../../types';
import { contextOf, type Context } from '../context';
import { CliError, EXIT } from '../exit-codes';
import { table } from '../format';
import { pickConnection } from '../resolve';

const CLOUD = ['google_drive', 'onedrive', 'dropbox'] as const;

const rows = (cs: Connection[]) =>
  table(
    ['ID', 'SERVICE', 'STATUS', 'NAME'],
    cs.map((c) => [c.id, c.service, c.status, c.name]),
  );

export function connectionsCommand(): Command {
  const cmd = new Command('connections').description('Your connected services');
  cmd
    .command('list')
    .description('List connections, oldest first')
    .action(async (_o, c: Command) => {
      const ctx = contextOf(c);
      const all = await ctx.client().connections.list({ pageSize: 1000 }).toArray();
      ctx.print(all, () => (all.length ? rows(all) : 'No connections.'));
    });
  cmd
    .command('add')
    .description('Add a local folder (--root) or a cloud account by refresh token (--refresh-token)')
    .addOption(
      new Option('--service <service>', 'local, google_drive, onedrive or dropbox').makeOptionMandatory(),
    )
    .option('--name <name>', 'a name for it')
    .option('--root <path>', 'local: the folder on the server')
    .option('--refresh-token <token>', 'cloud: a refresh token issued to the server’s OAuth app')
    .action(
      async (o: { service: string; name?: string; root?: string; refreshToken?: string }, c: Command) => {
        const ctx = contextOf(c);
        const body =
          o.service === 'local'
            ? { service: 'local' as const, name: o.name, config: { root: o.root ?? '' } }
            : {
                service: o.service as (typeof CLOUD)[number],
                name: o.name,
                refresh_token: o.refreshToken ?? '',
              };
        if (o.service === 'local' && !o.root)
          throw new CliError('--root is required for a local connection', EXIT.usage);
        if (o.service !== 'local' && !o.refreshToken)
          throw new CliError(
            `--refresh-token is required to add ${o.service} this way; \`migrateclouds connections connect ${o.service}\` opens its consent screen instead`,
            EXIT.usage,
          );
        const created = await ctx.client().connections.create(body);
        ctx.print(created, () => `Added ${created.id} "${created.name}" (${created.service}).`);
      },
    );
  cmd
    .command('connect')
    .description('Connect a cloud account through its consent screen (OAuth) and wait for it')
    .argument('<service>', CLOUD.join(', '))
    .option('--name <name>', 'a name for the new connection')
    .option('--reauthorize <connection>', 'authorize an existing connection again (id or name)')
    .option('--timeout <seconds>', 'how long to wait for the consent', '600')
    .action(
      async (service: string, o: { name?: string; reauthorize?: string; timeout: string }, c: Command) => {
        const ctx = contextOf(c);
        if (!(CLOUD as readonly string[]).includes(service))
          throw new CliError(
            `"${service}" has no consent screen: use one of ${CLOUD.join(', ')}`,
            EXIT.usage,
          );
        const client = ctx.client();
        const before = o.reauthorize
          ? pickConnection(await client.connections.list({ pageSize: 1000 }).toArray(), o.reauthorize)
          : undefined;
        const auth = await client.connections.authorize(service as (typeof CLOUD)[number], {
          name: o.name,
          connectionId: before?.id,
        });
        ctx.note(
          `Open this URL in your browser and consent (it works once, in that browser, until ${auth.expires_at}):`,
        );
        process.stderr.write(`\n  ${auth.authorization_url}\n\n`);
        if (ctx.json)
          process.stdout.write(`${JSON.stringify({ authorization_url: auth.authorization_url })}\n`);
        ctx.note('Waiting for the connection…');
        const connection = await waitForConnection(
          ctx,
          auth.connection_id,
          before?.updated_at,
          Number(o.timeout) * 1000,
        );
        ctx.print(
          connection,
          () => `Connected ${connection.id} "${connection.name}" (${connection.service}).`,
        );
      },
    );
  cmd
    .command('remove')
    .description('Delete a connection')
    .argument('<connection>', 'id or name')
    .action(async (ref: string, _o, c: Command) => {
      const ctx = contextOf(c);
      const client = ctx.client();
      const target = pickConnection(await client.connections.list({ pageSize: 1000 }).toArray(), ref);
      const removed = await client.connections.delete(target.id);
      ctx.print(removed, () => `Removed ${removed.id} "${removed.name}".`);
    });
  return cmd;
}

/** Polls until the connection exists (or, re-authorizing, until it changed and is active). */
async function waitForConnection(ctx: Context, id: string, before: string | undefined, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await ctx.client().connections.get(id);
      if (!before || (c.updated_at !== before && c.status === 'active')) return c;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    if (Date.now() > deadline) throw new CliError('Gave up waiting for the consent', EXIT.failure);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
