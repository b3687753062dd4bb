// What the OneDrive connector can do, apart from the connector itself: the registry reads it without
// loading the service's SDK.
import type { ConnectorFeatures } from '../types';

export const ONEDRIVE_FEATURES: ConnectorFeatures = {
  caseInsensitive: true,
  hashes: ['quickxor'],
  setModifiedTime: false,
};
