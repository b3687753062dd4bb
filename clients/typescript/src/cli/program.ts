// The `migrateclouds` user command: commander wiring, global options, and one exit code per outcome.
import { Command, CommanderError } from 'commander';
import { MigrateCloudsError } from '../errors';
import { connectionsCommand } from './commands/connections';
import { cpCommand } from './commands/cp';
import { loginCommands } from './commands/login';
import { lsCommand } from './commands/ls';
import { itemsCommand } from './commands/items';
import { migrationsCommand, reportCommand } from './commands/migrations';
import { syncsCommand } from './commands/syncs';
import { webhooksCommand } from './commands/webhooks';
import { EXIT, exitCodeFor } from './exit-codes';

export function buildProgram(): Command {
  const program = new Command('migrateclouds')
    .description('Move and sync files between cloud storage services (MigrateClouds)')
    .version('0.1.0')
    .option('--json', 'machine-readable JSON on stdout (no bars, no colour)')
    .option('--api-url <url>', 'the API (default: MIGRATECLOUDS_API_URL, your login, http://localhost:3000)')
    .option('--api-key <key>', 'an API key (default: MIGRATECLOUDS_API_KEY, your login)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const cmd of [
    ...loginCommands(),
    connectionsCommand(),
    lsCommand(),
    cpCommand(),
    migrationsCommand(),
    itemsCommand(),
    reportCommand(),
    syncsCommand(),
    webhooksCommand(),
  ])
    program.addCommand(cmd);
  // addCommand() does not pass settings down: every subcommand exits through the same handler.
  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const c of all(program)) if (c !== program) c.copyInheritedSettings(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const json = argv.includes('--json');
    const message = err instanceof Error ? err.message : String(err);
    if (json) {
      const e = err instanceof MigrateCloudsError ? err : undefined;
      process.stderr.write(
        `${JSON.stringify({ status: 'error', error: { code: e?.code ?? 'cli_error', message, details: e?.details, request_id: e?.requestId } })}\n`,
      );
    } else {
      process.stderr.write(`error: ${message}\n`);
      if (err instanceof MigrateCloudsError && err.details) process.stderr.write(`${err.details}\n`);
    }
    return exitCodeFor(err);
  }
}
