// `npm run temporal`: only the Temporal dev server (persistent .data/temporal.db, search attributes registered),
// for running `npm run worker` and `npm run api` in their own terminals.
import { loadConfig } from '../config';
import type { SupervisedChild } from './lib/child';
import { startTemporal } from './lib/temporal-dev-server';

const log = (line: string) => process.stdout.write(`[temporal] ${line}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  let child: SupervisedChild | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await child?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  process.once('exit', () => child?.kill());

  const temporal = await startTemporal(config, {
    log,
    onChild: (c) => (child = c),
    onEvent: (e) => {
      if (e.type === 'restarting') log(`dev server exited; restarting in ${e.delayMs} ms`);
      else void stop(1);
    },
  });
  if (!temporal.child) return; // someone else's server: nothing for us to keep running
  log(`ready: gRPC ${temporal.address}, Web UI ${temporal.uiUrl}, namespace ${config.TEMPORAL_NAMESPACE}`);
  log('Press Ctrl-C to stop.');
}

main().catch((err) => {
  process.stderr.write(`[temporal] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
