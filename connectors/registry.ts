// Every service this server knows, once. Adding a service: its folder with a service.ts (see
// docs/development/adding-a-service.md) and one line in SERVICES below. Every list of services, the
// connector factory, the OAuth providers, the request budgets, the configuration variables and the
// API's service enums derive from it.
import type { ServiceName } from '../contract';
import { dropboxService } from './dropbox/service';
import { googleDriveService } from './google-drive/service';
import { localService } from './local/service';
import { oneDriveService } from './onedrive/service';
import type { CredentialKind, Service, SettingsBase } from './service';

export const SERVICES = [localService, googleDriveService, oneDriveService, dropboxService] as const;

// A name declared by a service module but missing above fails to compile here.
type Listed = (typeof SERVICES)[number]['name'];
const everyServiceListed: [Exclude<ServiceName, Listed>] extends [never] ? true : never = true;
void everyServiceListed;

export const SERVICE_NAMES = SERVICES.map((s) => s.name) as [ServiceName, ...ServiceName[]];

const BY_NAME = new Map<string, Service>(SERVICES.map((s) => [s.name, s]));

export const isServiceName = (v: unknown): v is ServiceName => typeof v === 'string' && BY_NAME.has(v);

export function serviceDefinition(name: ServiceName): Service {
  const service = BY_NAME.get(name);
  if (!service) throw new Error(`No service named ${name} is registered`);
  return service;
}

/** The services whose connections prove themselves this way, in registry order. */
export const servicesWith = (kind: CredentialKind): Service[] =>
  SERVICES.filter((s) => s.credentials === kind);

/** Each service's settings, from its configuration variables (see ServiceDefinition.settings). */
export type ServiceSettings = Record<ServiceName, unknown>;

/** Parses every service's variables from `env`; `issues` names each bad variable. */
export function configureServices(
  env: Record<string, string | undefined>,
  base: SettingsBase,
): { settings: ServiceSettings; issues: string[] } {
  const settings: Partial<ServiceSettings> = {};
  const issues: string[] = [];
  for (const service of SERVICES) {
    const parsed = service.variables.safeParse(env);
    if (!parsed.success) {
      issues.push(...parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
      continue;
    }
    settings[service.name] = service.settings ? service.settings(parsed.data, base) : parsed.data;
  }
  return { settings: settings as ServiceSettings, issues };
}
