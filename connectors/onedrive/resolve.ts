// Looking items up by path (Graph resolves "root:/a/b:" itself, case-insensitively).
import { ConnectorError } from '../types';
import type { GraphClient } from './client';
import { allowedName, childAddress, type GraphItem, isFolder, itemAddress, joinPath } from './entries';

export async function getItem(client: GraphClient, segments: string[]): Promise<GraphItem> {
  const path = joinPath(segments);
  // A name OneDrive refuses cannot exist there.
  if (!segments.every(allowedName)) throw new ConnectorError('not_found', `${path} does not exist`);
  return client.call(`get ${path}`, () => client.api(itemAddress(segments)).get() as Promise<GraphItem>);
}

/** The item with this id (not_found when there is none). */
export async function getItemById(client: GraphClient, id: string): Promise<GraphItem> {
  return client.call(
    `get ${id}`,
    () => client.api(`/me/drive/items/${encodeURIComponent(id)}`).get() as Promise<GraphItem>,
  );
}

export async function getFolder(client: GraphClient, segments: string[]): Promise<GraphItem> {
  const item = await getItem(client, segments);
  if (!isFolder(item)) throw new ConnectorError('wrong_type', `${joinPath(segments)} is not a folder`);
  return item;
}

/** The child of a folder by name, or null. */
export async function findChild(
  client: GraphClient,
  parentId: string,
  name: string,
): Promise<GraphItem | null> {
  try {
    return await client.call(
      `get ${name}`,
      () => client.api(childAddress(parentId, name)).get() as Promise<GraphItem>,
    );
  } catch (err) {
    if (err instanceof ConnectorError && err.kind === 'not_found') return null;
    throw err;
  }
}
