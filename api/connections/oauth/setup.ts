// Whether this server can hold connections of an OAuth service: its OAuth app must be configured and
// credentials must be encryptable (MIGRATECLOUDS_ENCRYPTION_KEY).
import { invalidParameter } from '../../../common/errors';
import type { SecretBox } from '../../../common/secret-box';
import type { ServiceName } from '../../../contract';
import { serviceDefinition, type OAuthApp, type Service } from '../../../connectors';
import type { ApiContext } from '../../context';

export interface CloudSetup {
  service: ServiceName;
  definition: Service;
  /** The service's settings (from its configuration variables). */
  settings: unknown;
  app: OAuthApp;
  box: SecretBox;
}

/** The service's app and the secret box, or `invalid_parameter` naming `service` and the settings to set. */
export function cloudSetup(deps: Pick<ApiContext, 'config' | 'box'>, service: ServiceName): CloudSetup {
  const definition = serviceDefinition(service);
  const settings = deps.config.services[service];
  const app = definition.oauth?.app(settings);
  if (!app || !deps.box) {
    const missing = [
      ...(app ? [] : (definition.oauth?.appVariables ?? [])),
      ...(deps.box ? [] : ['MIGRATECLOUDS_ENCRYPTION_KEY']),
    ];
    throw invalidParameter(
      'service',
      `${service} is not configured on this server`,
      `The operator must set ${missing.join(', ')} (see docs/operations/configuration.md).`,
    );
  }
  return { service, definition, settings, app, box: deps.box };
}
