// ls SERVICE_OR_CONNECTION:/path [-r] [--long]: a folder's entries (the tree below it with -r).
import { Command } from 'commander';
import { contextOf } from '../context';
import { formatBytes, table } from '../format';
import { resolveTarget } from '../resolve';

export function lsCommand(): Command {
  return new Command('ls')
    .description('List a folder: SERVICE_OR_CONNECTION:/path (a connection id, name, or service)')
    .argument('<target>', 'e.g. dropbox:/Photos, "Demo Google Drive:/", conn_…:/')
    .option('-r, --recursive', 'the whole tree below the path')
    .option('-l, --long', 'type, size and modification time too')
    .action(async (spec: string, o: { recursive?: boolean; long?: boolean }, c: Command) => {
      const ctx = contextOf(c);
      const client = ctx.client();
      const { connection, path } = await resolveTarget(client, spec, { name: '<target>' });
      const files = await client.files
        .list({ connectionId: connection.id, path, recursive: o.recursive, pageSize: 1000 })
        .toArray();
      const name = (f: (typeof files)[number]) =>
        (o.recursive ? f.path : f.name) + (f.type === 'folder' ? '/' : '');
      ctx.print(files, () =>
        o.long
          ? table(
              ['TYPE', 'SIZE', 'MODIFIED', 'NAME'],
              files.map((f) => [
                f.type,
                f.type === 'folder' ? '-' : formatBytes(f.size),
                f.modified_at ?? '-',
                name(f),
              ]),
            )
          : files.map(name).join('\n'),
      );
    });
}
