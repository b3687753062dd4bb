// "SERVICE_OR_CONNECTION:/path" → a connection and a path. The part before the colon is a connection id,
// a connection's name, or a service name when the account has exactly one connection of that service.
import type { MigrateClouds } from '../client';
import type { Connection } from '../types';
import { CliError, EXIT } from './exit-codes';

export interface Target {
  connection: Connection;
  path: string;
}

/** Splits at the first ":/" (names may hold colons; paths start with "/"); "NAME" or "NAME:" is the root. */
export function splitTarget(spec: string): { ref: string; path: string } {
  const at = spec.indexOf(':/');
  if (at > 0) return { ref: spec.slice(0, at), path: spec.slice(at + 1) };
  const ref = spec.endsWith(':') ? spec.slice(0, -1) : spec;
  if (!ref || ref.includes('/'))
    throw new CliError(`"${spec}" is not SERVICE_OR_CONNECTION:/path (e.g. dropbox:/Photos)`, EXIT.usage);
  return { ref, path: '/' };
}

export async function resolveTarget(client: MigrateClouds, spec: string): Promise<Target> {
  const { ref, path } = splitTarget(spec);
  const connections = await client.connections.list({ pageSize: 1000 }).toArray();
  return { connection: pickConnection(connections, ref), path };
}

export function pickConnection(connections: Connection[], ref: string): Connection {
  const byId = connections.find((c) => c.id === ref);
  if (byId) return byId;
  const byName = connections.filter((c) => c.name === ref);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1)
    throw new CliError(
      `${byName.length} connections are named "${ref}": use one's id (${ids(byName)})`,
      EXIT.usage,
    );
  const byService = connections.filter((c) => c.service === ref);
  if (byService.length === 1) return byService[0]!;
  if (byService.length > 1)
    throw new CliError(
      `The account has ${byService.length} ${ref} connections: name one by id or name (${ids(byService)})`,
      EXIT.usage,
    );
  const known = connections.map((c) => `${c.id} "${c.name}" (${c.service})`).join(', ');
  throw new CliError(
    `No connection "${ref}": give a connection id, a connection name or a service name. ` +
      (known
        ? `Connections: ${known}`
        : 'The account has no connections yet (`migrateclouds connections add`).'),
    EXIT.notFound,
  );
}

const ids = (cs: Connection[]) => cs.map((c) => `${c.id} "${c.name}"`).join(', ');
