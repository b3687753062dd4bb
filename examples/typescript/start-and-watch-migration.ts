// Starts a migration and watches it to the end with the TypeScript SDK.
//   node dist/examples/typescript/start-and-watch-migration.js SOURCE_CONNECTION DESTINATION_CONNECTION [DEST_PATH]
// The key and URL come from MIGRATECLOUDS_API_KEY and MIGRATECLOUDS_API_URL.
import { MigrateClouds } from '@migrateclouds/client';

async function main(): Promise<number> {
  const [source, destination, destinationPath = '/Copied by the SDK'] = process.argv.slice(2);
  if (!source || !destination) {
    console.error('usage: start-and-watch-migration SOURCE_CONNECTION DESTINATION_CONNECTION [DEST_PATH]');
    return 2;
  }
  const client = new MigrateClouds();
  const started = await client.migrations.create({
    source: { connection_id: source, path: '/' },
    destination: { connection_id: destination, path: destinationPath },
    options: { conflict: 'skip' },
  });
  console.log(`started ${started.id}`);

  const final = await client.waitForMigration(started.id, {
    pollInterval: 1000,
    onProgress: (m) => {
      const p = m.progress;
      console.log(
        `${m.status}: ${p.files_copied + p.files_skipped}/${p.files_discovered} files, ${p.files_failed} failed`,
      );
    },
  });
  console.log(`finished ${final.id}: ${final.status}, ${final.progress.files_copied} copied`);

  // Every failure with its reason, streamed in one request.
  for await (const item of client.migrations.items.stream(final.id, { status: 'failed' }))
    console.log(`failed ${item.path}: ${item.reason}`);
  return final.status === 'completed' ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
