// Whether this server can hold connections of a cloud service: its OAuth app must be configured and
// credentials must be encryptable (MIGRATECLOUDS_ENCRYPTION_KEY).
import { invalidParameter } from '../../common/errors';
import type { SecretBox } from '../../common/secret-box';
import { type CloudServiceName, envPrefix } from '../../common/services';
import { providerSettings, type ProviderSettings } from '../../connectors/providers';
import type { ApiDeps } from '../deps';

export interface CloudSetup {
  service: CloudServiceName;
  settings: ProviderSettings;
  box: SecretBox;
}

/** The service's settings and the secret box, or `invalid_parameter` naming `service` and the settings to set. */
export function cloudSetup(deps: Pick<ApiDeps, 'config' | 'box'>, service: CloudServiceName): CloudSetup {
  const settings = providerSettings(deps.config, service);
  if (!settings || !deps.box) {
    const missing = [
      ...(settings ? [] : [`${envPrefix(service)}_CLIENT_ID`, `${envPrefix(service)}_CLIENT_SECRET`]),
      ...(deps.box ? [] : ['MIGRATECLOUDS_ENCRYPTION_KEY']),
    ];
    throw invalidParameter(
      'service',
      `${service} is not configured on this server`,
      `The operator must set ${missing.join(', ')} (see the Configuration section of the README).`,
    );
  }
  return { service, settings, box: deps.box };
}
