// items ID --format csv|ndjson|json: every per-file outcome, the server's stream piped to stdout as it
// arrives (one request, never held whole; stdout's backpressure slows the download).
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import type { ItemStatus } from '../../types';
import { contextOf } from '../context';

type Format = 'csv' | 'ndjson' | 'json';

export function itemsCommand(): Command {
  return new Command('items')
    .description('Every per-file outcome of a migration, streamed to stdout')
    .argument('<id>', 'the migration (mig_…)')
    .addOption(
      new Option('--status <status>', 'only these').choices(['copied', 'skipped', 'failed', 'deleted']),
    )
    .addOption(
      new Option('--format <format>', 'csv (a header row), ndjson (an item a line), json (one array)')
        .choices(['csv', 'ndjson', 'json'])
        .default('ndjson'),
    )
    .action(async (id: string, o: { status?: ItemStatus; format: Format }, c: Command) => {
      // --json changes nothing here: every format is already for machines.
      const items = contextOf(c).client().migrations.items;
      const body = await items.download(id, o.format === 'csv' ? 'csv' : 'ndjson', { status: o.status });
      try {
        if (o.format === 'json') await pipeline(body, ndjsonToArray(), process.stdout, { end: false });
        else await pipeline(body, process.stdout, { end: false });
      } catch (err) {
        // A reader that stops early (`| head`) is not an error of ours.
        if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
      }
    });
}

/** NDJSON lines → one JSON array, written item by item (`[`, items separated by `,`, `]`). */
function ndjsonToArray(): Transform {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let count = 0;
  const emit = (line: string, out: string[]) => {
    if (!line.trim()) return;
    out.push(`${count++ === 0 ? '[\n' : ',\n'}${line}`);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const parts = (rest + decoder.write(chunk)).split('\n');
      rest = parts.pop()!;
      const out: string[] = [];
      for (const line of parts) emit(line, out);
      done(null, out.join(''));
    },
    flush(done) {
      const out: string[] = [];
      emit(rest + decoder.end(), out);
      out.push(count === 0 ? '[]\n' : '\n]\n');
      done(null, out.join(''));
    },
  });
}
