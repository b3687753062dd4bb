// `npm run emulators [-- --seed N | --demo]`: runs the Google Drive, OneDrive and Dropbox emulators on fixed
// ports and prints their base URLs, OAuth clients and control API; Ctrl-C stops them. `--demo` seeds the
// demo mode's samples (scripts/lib/demo-seed.ts) instead of generated trees.
import { EMULATORS, type RunningEmulator } from '../emulators';
import { demoSeed } from './lib/demo-seed';

async function main(): Promise<void> {
  const seedArg = process.argv.indexOf('--seed');
  const files = seedArg >= 0 ? Number(process.argv[seedArg + 1]) : 0;
  const demo = process.argv.includes('--demo');
  if (seedArg >= 0 && !(Number.isInteger(files) && files > 0))
    throw new Error('--seed wants a number of files');
  const running: RunningEmulator[] = [];
  const stop = async () => {
    await Promise.all(running.map((r) => r.close()));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());

  const lines: string[] = [];
  for (const spec of EMULATORS) {
    const port = Number(process.env[spec.env] ?? spec.defaultPort);
    const emulator = await spec.start({ port });
    running.push(emulator);
    if (demo) emulator.seed(demoSeed(spec.service));
    else if (files > 0) emulator.seed({ seed: 1, files, folders: Math.ceil(files / 10), awkwardNames: true });
    const { clientId, clientSecret } = emulator.defaultClient;
    lines.push(`  ${spec.label.padEnd(22)} ${emulator.url}   client ${clientId} / ${clientSecret}`);
  }
  process.stdout.write(
    [
      '',
      'Emulators running',
      ...lines,
      '',
      'Each has a control API under /_emulator: GET/PUT faults, GET/DELETE counters, POST seed,',
      'POST tokens/grant (a refresh token without the consent screen), POST tokens/expire, POST reset.',
      demo
        ? 'Seeded with the demo samples.'
        : files > 0
          ? `Seeded with ${files} files each.`
          : 'Empty; seed with: curl -X POST <url>/_emulator/seed -d \'{"files":100}\' -H "Content-Type: application/json"',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
