// Lists a connection's whole tree with the SDK's paging iterator, then a count and the total size.
//   node dist/examples/typescript/list-files.js CONNECTION_ID [PATH]
import { MigrateClouds, NotFoundError } from '@migrateclouds/client';

async function main(): Promise<number> {
  const [connectionId, path = '/'] = process.argv.slice(2);
  if (!connectionId) {
    console.error('usage: list-files CONNECTION_ID [PATH]');
    return 2;
  }
  const client = new MigrateClouds();
  let files = 0;
  let bytes = 0;
  try {
    // Pages of up to 1,000 entries are fetched as the loop goes: the tree is never held whole.
    for await (const entry of client.files.list({ connectionId, path, recursive: true, pageSize: 1000 })) {
      if (entry.type === 'folder') continue;
      files++;
      bytes += entry.size ?? 0;
      console.log(`${String(entry.size ?? '-').padStart(10)}  ${entry.path}`);
    }
  } catch (err) {
    if (err instanceof NotFoundError) {
      console.error(`not found: ${err.message}`);
      return 1;
    }
    throw err;
  }
  console.log(`${files} files, ${bytes} bytes`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
