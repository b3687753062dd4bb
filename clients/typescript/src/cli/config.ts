// Where `login` keeps the key: $XDG_CONFIG_HOME/migrateclouds/config.json (else ~/.config/…), the folder
// 0700 and the file 0600 so other users of the machine cannot read it. The environment
// (MIGRATECLOUDS_API_KEY, MIGRATECLOUDS_API_URL) and the --api-key/--api-url options override it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_BASE_URL } from '../client';

export interface StoredConfig {
  api_url: string;
  api_key: string;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'migrateclouds');
}

export const configFile = (env: NodeJS.ProcessEnv = process.env) => path.join(configDir(env), 'config.json');

export function readConfig(env: NodeJS.ProcessEnv = process.env): StoredConfig | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(configFile(env), 'utf8')) as Partial<StoredConfig>;
    return typeof parsed.api_key === 'string'
      ? { api_url: parsed.api_url ?? DEFAULT_BASE_URL, api_key: parsed.api_key }
      : undefined;
  } catch {
    return undefined;
  }
}

export function writeConfig(config: StoredConfig, env: NodeJS.ProcessEnv = process.env): string {
  const dir = configDir(env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const file = configFile(env);
  // Written beside, then renamed: the key is never in a file others could read, even for a moment.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
  return file;
}

/** Removes the stored key; answers whether there was one. */
export function removeConfig(env: NodeJS.ProcessEnv = process.env): boolean {
  try {
    fs.unlinkSync(configFile(env));
    return true;
  } catch {
    return false;
  }
}

export interface Credentials {
  apiUrl: string;
  apiKey: string | undefined;
}

/** Options beat the environment, which beats the stored login. */
export function resolveCredentials(
  given: { apiUrl?: string; apiKey?: string },
  env: NodeJS.ProcessEnv = process.env,
): Credentials {
  const stored = readConfig(env);
  return {
    apiUrl: given.apiUrl ?? env.MIGRATECLOUDS_API_URL ?? stored?.api_url ?? DEFAULT_BASE_URL,
    apiKey: given.apiKey ?? env.MIGRATECLOUDS_API_KEY ?? stored?.api_key,
  };
}
