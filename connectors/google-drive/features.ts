// What the Google Drive connector can do, apart from the connector itself: the registry reads it without
// loading the service's SDK.
import type { ConnectorFeatures } from '../types';

export const GOOGLE_DRIVE_FEATURES: ConnectorFeatures = {
  caseInsensitive: false,
  hashes: ['md5'],
  setModifiedTime: true,
  folderIds: true,
};
