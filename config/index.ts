// Every setting, from the environment, parsed once: the core settings (config/core.ts) and each
// registered service's own variables (its module in connectors/). A bad value stops the process with
// every problem named.
import { configureServices, type ServiceSettings } from '../connectors/registry';
import { parseCoreConfig, type CoreConfig } from './core';

export { coreConfigSchema, projectRoot, type CoreConfig } from './core';

export interface Config extends CoreConfig {
  /** Each service's settings (see ServiceDefinition.settings). */
  services: ServiceSettings;
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
  return { ...core.config, services: services.settings };
}
