// The services a connection can point at. Only `local` has a connector in this release.
export const SERVICES = ['local', 'google_drive', 'onedrive', 'dropbox'] as const;
export type ServiceName = (typeof SERVICES)[number];
export const SUPPORTED_SERVICES: readonly ServiceName[] = ['local'];
