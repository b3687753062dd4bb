// Every setting, from the environment, parsed once: the core settings (config/core.ts) and each
// registered service's own variables (its module in connectors/). A bad value stops the process with
// every problem named.
import type { HttpTimeouts } from '../connectors/http';
import { configureServices, type ServiceSettings } from '../connectors/registry';
import { parseCoreConfig, type CoreConfig } from './core';

export { coreConfigSchema, projectRoot, type CoreConfig } from './core';

export interface Config extends CoreConfig {
  /** Each service's settings (see ServiceDefinition.settings). */
  services: ServiceSettings;
  /** Every cloud request's limits (HTTP_*_TIMEOUT_SECONDS), for connectors/http.ts. */
  http: HttpTimeouts;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const core = parseCoreConfig(env);
  const services = core.config
    ? configureServices(env, {
        projectRoot: core.config.projectRoot,
        dataDir: core.config.MIGRATECLOUDS_DATA_DIR,
      })
    : undefined;
  const issues = [...core.issues, ...(services?.issues ?? [])];
  if (issues.length || !core.config || !services) {
    throw new ConfigError(`Invalid configuration:\n${issues.map((i) => `  ${i}`).join('\n')}`);
  }
  const c = core.config;
  const http: HttpTimeouts = {
    connectMs: c.HTTP_CONNECT_TIMEOUT_SECONDS * 1000,
    headersMs: c.HTTP_RESPONSE_TIMEOUT_SECONDS * 1000,
    idleMs: c.HTTP_IDLE_TIMEOUT_SECONDS * 1000,
  };
  return { ...c, services: services.settings, http };
}
