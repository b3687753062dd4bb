// connection.needs_reauth, published by whoever finds a refresh token refused: the worker's activities
// and the API (browsing files, starting a migration).
import type { Connection, Store } from '../store/types';
import { derivedEventId } from './data';
import type { EventPublisher } from './publisher';

/**
 * connection.needs_reauth, for openConnector's onNeedsReauth. The event id comes from the connection
 * as it was loaded (still active), so activities that hit the refused token together publish it once.
 */
export function needsReauthNotifier(store: Store, publisher: EventPublisher | undefined) {
  return (loaded: Connection) => async (): Promise<void> => {
    if (!publisher) return;
    const c = (await store.connections.get(loaded.accountId, loaded.id)) ?? loaded;
    await publisher.publish({
      accountId: loaded.accountId,
      type: 'connection.needs_reauth',
      data: {
        id: c.id,
        service: c.service,
        name: c.name,
        status: 'needs_reauth',
        created_at: c.createdAt,
        updated_at: c.updatedAt,
      },
      eventId: derivedEventId(`connection.needs_reauth/${loaded.id}/${loaded.updatedAt}`),
    });
  };
}
