// login: asks for (or takes) a key, checks it with GET /v1/account, and stores it; logout forgets it.
import { Command } from 'commander';
import readline from 'node:readline';
import { MigrateClouds } from '../../client';
import { configFile, removeConfig, resolveCredentials, writeConfig } from '../config';
import { contextOf } from '../context';
import { CliError, EXIT } from '../exit-codes';

export function loginCommands(): Command[] {
  const login = new Command('login')
    .description('Check an API key and store it in your config dir (mode 0600)')
    .action(async (_opts, cmd: Command) => {
      const ctx = contextOf(cmd);
      const given = cmd.optsWithGlobals<{ apiKey?: string; apiUrl?: string }>();
      const apiUrl = resolveCredentials(given).apiUrl;
      const apiKey = given.apiKey ?? process.env.MIGRATECLOUDS_API_KEY ?? (await askKey());
      if (!apiKey) throw new CliError('No API key given', EXIT.usage);
      const account = await new MigrateClouds({ apiKey, baseUrl: apiUrl }).account.get();
      const file = writeConfig({ api_url: apiUrl, api_key: apiKey });
      ctx.print({ account, api_url: apiUrl, config_file: file }, () =>
        [
          `Logged in to ${apiUrl} as "${account.name}" (${account.id}, plan ${account.plan}).`,
          `Key stored in ${file}.`,
        ].join('\n'),
      );
    });
  const logout = new Command('logout')
    .description('Forget the stored API key')
    .action((_opts, cmd: Command) => {
      const ctx = contextOf(cmd);
      const file = configFile();
      const removed = removeConfig();
      ctx.print({ logged_out: removed, config_file: file }, () =>
        removed ? `Removed ${file}.` : 'Not logged in.',
      );
    });
  return [login, logout];
}

/** Reads the key from the terminal without echoing it, or one line from piped stdin. */
async function askKey(): Promise<string | undefined> {
  const rl = readline.createInterface({
    input: process.stdin,
    output: process.stderr,
    terminal: process.stdin.isTTY,
  });
  if (process.stdin.isTTY) {
    process.stderr.write('API key (mc_…, from `npm start` or POST /v1/api-keys): ');
    // Echo nothing while the key is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  }
  const line = await new Promise<string | undefined>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(undefined));
  });
  rl.close();
  if (process.stdin.isTTY) process.stderr.write('\n');
  return line?.trim() || undefined;
}
