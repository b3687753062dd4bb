#!/usr/bin/env node
// The `migrateclouds` command. stdout carries only results (one JSON line); messages go to stderr.
// Exit codes: 0 success, 1 failure (e.g. unknown account), 2 usage error (e.g. bad option value).
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig } from '../config';
import type { LocalSettings } from '../connectors/local/service';
import { createStore } from '../store';
import { adminCommand, CliError } from './admin';
import { keyringFromSettings } from '../common/keyring';
import { createSecretBox } from '../common/secret-box';

function buildProgram(): Command {
  const program = new Command('migrateclouds')
    .description('MigrateClouds command line')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(
    adminCommand({
      openStore: async () => {
        const config = loadConfig();
        fs.mkdirSync(config.MIGRATECLOUDS_DATA_DIR, { recursive: true });
        return createStore(config.databaseUrl, {
          statementTimeoutSeconds: config.DATABASE_STATEMENT_TIMEOUT_SECONDS,
        });
      },
      print: (value) => process.stdout.write(`${JSON.stringify(value)}\n`),
      secretBox: () => {
        const keyring = keyringFromSettings(loadConfig());
        return keyring && createSecretBox(keyring);
      },
      linkConfig: () => loadConfig(),
      grantRules: () => {
        const config = loadConfig();
        return {
          operatorRoots: (config.services.local as LocalSettings).roots,
          dataDir: config.MIGRATECLOUDS_DATA_DIR,
        };
      },
    }),
  );
  // addCommand() does not pass settings down: give every subcommand the program's exitOverride and help hint.
  const inherit = (cmd: Command) => {
    cmd.copyInheritedSettings(program);
    cmd.commands.forEach(inherit);
  };
  program.commands.forEach(inherit);
  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message; help and version are successes.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return err instanceof CliError ? err.exitCode : 2;
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
