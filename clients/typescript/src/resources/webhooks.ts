import { Paginated } from '../paging';
import type { Transport } from '../transport';
import type {
  CallOptions,
  CreatedWebhook,
  CreateWebhookRequest,
  PageOptions,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryDetail,
} from '../types';

export class WebhooksResource {
  constructor(private readonly t: Transport) {}

  /** Registers an endpoint; the answer's `secret` is shown this once (keep it to verify deliveries). */
  create(body: CreateWebhookRequest, options: CallOptions = {}): Promise<CreatedWebhook> {
    return this.t.unwrap(this.t.api.POST('/v1/webhooks', { body, signal: options.signal }));
  }

  /** Oldest first, without secrets. */
  list(options: PageOptions & CallOptions = {}): Paginated<Webhook> {
    return new Paginated(async (pageToken) => {
      const data = await this.t.unwrap(
        this.t.api.GET('/v1/webhooks', {
          params: { query: { page_size: options.pageSize, page_token: pageToken } },
          signal: options.signal,
        }),
      );
      return { items: data.webhooks, nextPageToken: data.next_page_token };
    });
  }

  get(id: string, options: CallOptions = {}): Promise<Webhook> {
    return this.t.unwrap(
      this.t.api.GET('/v1/webhooks/{id}', { params: { path: { id } }, signal: options.signal }),
    );
  }

  delete(id: string, options: CallOptions = {}): Promise<Webhook> {
    return this.t.unwrap(
      this.t.api.DELETE('/v1/webhooks/{id}', { params: { path: { id } }, signal: options.signal }),
    );
  }

  /** Sends a webhook.test event to the endpoint. */
  test(id: string, options: CallOptions = {}) {
    return this.t.unwrap(
      this.t.api.POST('/v1/webhooks/{id}/test', { params: { path: { id } }, signal: options.signal }),
    );
  }

  /** What was sent, newest first. */
  deliveries(id: string, options: PageOptions & CallOptions = {}): Paginated<WebhookDelivery> {
    return new Paginated(async (pageToken) => {
      const data = await this.t.unwrap(
        this.t.api.GET('/v1/webhooks/{id}/deliveries', {
          params: { path: { id }, query: { page_size: options.pageSize, page_token: pageToken } },
          signal: options.signal,
        }),
      );
      return { items: data.deliveries, nextPageToken: data.next_page_token };
    });
  }

  /** One delivery with every attempt. */
  delivery(id: string, deliveryId: string, options: CallOptions = {}): Promise<WebhookDeliveryDetail> {
    return this.t.unwrap(
      this.t.api.GET('/v1/webhooks/{id}/deliveries/{delivery_id}', {
        params: { path: { id, delivery_id: deliveryId } },
        signal: options.signal,
      }),
    );
  }
}
