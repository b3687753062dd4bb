// Where each cloud service's API and OAuth app are, from the configuration: the real services by
// default, the emulators when the URLs say so.
import type { Config } from '../common/config';
import type { CloudConnectorOptions } from './cloud';
import type { ServiceName } from '../contract';

export type CloudService = Exclude<ServiceName, 'local'>;

export type ProviderSettings = Pick<CloudConnectorOptions, 'baseUrl' | 'contentUrl' | 'oauth'> & {
  authUrl: string;
};

/** The service's settings, or undefined when its OAuth app (client id and secret) is not configured. */
export function providerSettings(config: Config, service: CloudService): ProviderSettings | undefined {
  const pick = (clientId?: string, clientSecret?: string) =>
    clientId && clientSecret ? { clientId, clientSecret } : undefined;
  switch (service) {
    case 'google_drive': {
      const app = pick(config.GOOGLE_DRIVE_CLIENT_ID, config.GOOGLE_DRIVE_CLIENT_SECRET);
      return (
        app && {
          baseUrl: config.GOOGLE_DRIVE_API_URL,
          oauth: { ...app, tokenUrl: config.GOOGLE_DRIVE_TOKEN_URL },
          authUrl: config.GOOGLE_DRIVE_AUTH_URL,
        }
      );
    }
    case 'onedrive': {
      const app = pick(config.ONEDRIVE_CLIENT_ID, config.ONEDRIVE_CLIENT_SECRET);
      return (
        app && {
          baseUrl: config.ONEDRIVE_API_URL,
          oauth: { ...app, tokenUrl: config.ONEDRIVE_TOKEN_URL },
          authUrl: config.ONEDRIVE_AUTH_URL,
        }
      );
    }
    case 'dropbox': {
      const app = pick(config.DROPBOX_CLIENT_ID, config.DROPBOX_CLIENT_SECRET);
      return (
        app && {
          baseUrl: config.DROPBOX_API_URL,
          contentUrl: config.DROPBOX_CONTENT_URL,
          oauth: { ...app, tokenUrl: config.DROPBOX_TOKEN_URL },
          authUrl: config.DROPBOX_AUTH_URL,
        }
      );
    }
  }
}
