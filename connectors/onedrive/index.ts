export { createOneDriveConnector, ONEDRIVE_FEATURES } from './connector';
export { classifyGraphError } from './errors';
export { fragmentSize, FRAGMENT_UNIT } from './session';
