// The services a connection can point at. The cloud ones are usable once the server has their OAuth
// app and an encryption key configured (see connectors/providers.ts and api/oauth/setup.ts).
import type { ServiceName } from '../contract';

declare module '../contract/services' {
  interface RegisteredServices {
    local: true;
    google_drive: true;
    onedrive: true;
    dropbox: true;
  }
}

export const SERVICES = ['local', 'google_drive', 'onedrive', 'dropbox'] as const satisfies ServiceName[];

export const CLOUD_SERVICES = ['google_drive', 'onedrive', 'dropbox'] as const;
export type CloudServiceName = (typeof CLOUD_SERVICES)[number];

export const isCloudService = (s: ServiceName): s is CloudServiceName => s !== 'local';

/** How people call each service (default connection names, messages). */
export const SERVICE_LABELS: Record<ServiceName, string> = {
  local: 'Local folder',
  google_drive: 'Google Drive',
  onedrive: 'OneDrive',
  dropbox: 'Dropbox',
};

/** Prefix of a cloud service's settings, e.g. GOOGLE_DRIVE_CLIENT_ID. */
export const envPrefix = (s: CloudServiceName): string => s.toUpperCase();
