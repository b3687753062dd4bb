// What the Dropbox connector can do, apart from the connector itself: the registry reads it without
// loading the service's SDK.
import type { ConnectorFeatures } from '../types';

export const DROPBOX_FEATURES: ConnectorFeatures = {
  caseInsensitive: true,
  hashes: ['dropbox_content_hash'],
  setModifiedTime: true,
};
