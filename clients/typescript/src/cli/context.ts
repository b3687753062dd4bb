// What every command gets: the client (built on first use from options, environment or login), whether
// to print JSON, and the output streams.
import type { Command } from 'commander';
import { MigrateClouds } from '../client';
import { resolveCredentials } from './config';
import { CliError, EXIT } from './exit-codes';

export interface GlobalOptions {
  json?: boolean;
  apiUrl?: string;
  apiKey?: string;
}

export interface Context {
  json: boolean;
  client(): MigrateClouds;
  apiUrl: string;
  /** Prints a result: JSON with --json, else the human text. */
  print(value: unknown, human: () => string): void;
  /** A message for people (stderr), never mixed into results. */
  note(text: string): void;
}

export function contextOf(command: Command): Context {
  const opts = command.optsWithGlobals<GlobalOptions>();
  const credentials = resolveCredentials(opts);
  let client: MigrateClouds | undefined;
  return {
    json: Boolean(opts.json),
    apiUrl: credentials.apiUrl,
    client() {
      if (!credentials.apiKey)
        throw new CliError(
          'Not logged in: run `migrateclouds login` or set MIGRATECLOUDS_API_KEY.',
          EXIT.auth,
        );
      client ??= new MigrateClouds({
        apiKey: credentials.apiKey,
        baseUrl: credentials.apiUrl,
        userAgent: 'migrateclouds-cli/0.1.0',
      });
      return client;
    },
    print(value, human) {
      process.stdout.write(opts.json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
    },
    note(text) {
      process.stderr.write(`${text}\n`);
    },
  };
}
