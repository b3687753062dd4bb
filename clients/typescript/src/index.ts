// @migrateclouds/client: the TypeScript SDK for the MigrateClouds API.
export { MigrateClouds, DEFAULT_BASE_URL, type MigrateCloudsOptions } from './client';
export * from './errors';
export { Paginated, type Page } from './paging';
export type { RetryOptions } from './retry';
export type { WaitOptions } from './wait';
export type { ItemFilter, ItemStreamFormat } from './resources/items';
export type { Location } from './resources/files';
export * from './types';
export {
  verifyWebhook,
  signWebhook,
  WebhookVerificationError,
  type WebhookEvent,
  type VerifyOptions,
} from './webhook';
export type { paths, components } from './generated/api';
