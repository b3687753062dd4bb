// Webhook publishing, shared by the API, the worker and the thin publish activities: an event and its
// deliveries are recorded in the store, then a delivery workflow starts per delivery.
export { derivedEventId, migrationEventData } from './data';
export { needsReauthNotifier } from './needs-reauth';
export {
  createWebhookPublisher,
  type EventPublisher,
  type PublishRequest,
  type PublisherDeps,
  type WebhookPublisher,
} from './publisher';
