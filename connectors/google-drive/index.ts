export { createGoogleDriveConnector, GOOGLE_DRIVE_FEATURES } from './connector';
export { EXPORT_MIME } from './read';
export { classifyDriveError } from './errors';
