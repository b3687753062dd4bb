export { createDropboxConnector, DROPBOX_FEATURES } from './connector';
export { classifyDropboxError } from './errors';
