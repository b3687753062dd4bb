// "SERVICE_OR_CONNECTION:/path" → a connection and a path. The part before the colon is a connection id,
// a connection's name, or a service name when the account has exactly one connection of that service.
// Bad input is refused before any request, naming the argument it came from (exit 2).
import type { MigrateClouds } from '../client';
import type { Connection } from '../types';
import { CliError, EXIT } from './exit-codes';

export interface Target {
  connection: Connection;
  path: string;
}

export interface TargetArg {
  /** The argument's name in the usage line, e.g. "<source>". */
  name: string;
  /** Demand "X:/path" (cp, syncs create); otherwise "X" or "X:" is X's root (ls). */
  explicitPath?: boolean;
}

const SERVICES = ['local', 'google_drive', 'onedrive', 'dropbox'];
const FORM = 'SERVICE_OR_CONNECTION:/path (e.g. dropbox:/Photos, "Demo Google Drive:/")';

const usage = (arg: TargetArg, spec: string, why: string) =>
  new CliError(`${arg.name} "${spec}": ${why}`, EXIT.usage);

/** Splits at the first ":/" (names may hold colons; paths start with "/"). */
export function splitTarget(
  spec: string,
  arg: TargetArg = { name: 'target' },
): { ref: string; path: string } {
  const at = spec.indexOf(':/');
  let ref: string;
  let path = '/';
  if (at > 0) {
    ref = spec.slice(0, at);
    path = spec.slice(at + 1);
  } else if (arg.explicitPath) {
    throw usage(arg, spec, `is not ${FORM}`);
  } else {
    ref = spec.endsWith(':') ? spec.slice(0, -1) : spec;
    if (!ref || ref.startsWith('/') || ref.includes(':'))
      throw usage(arg, spec, `is not ${FORM}: the path after the colon starts with /`);
  }
  if (path.split('/').some((segment) => segment === '..' || segment === '.'))
    throw usage(arg, spec, 'a path may not hold "." or ".." segments: give the folder’s full path from /');
  return { ref, path };
}

export async function resolveTarget(client: MigrateClouds, spec: string, arg?: TargetArg): Promise<Target> {
  const { ref, path } = splitTarget(spec, arg);
  const connections = await client.connections.list({ pageSize: 1000 }).toArray();
  return { connection: pickConnection(connections, ref, arg), path };
}

export function pickConnection(connections: Connection[], ref: string, arg?: TargetArg): Connection {
  const what = arg ? `${arg.name}: ` : '';
  const byId = connections.find((c) => c.id === ref);
  if (byId) return byId;
  const byName = connections.filter((c) => c.name === ref);
  if (byName.length === 1) return byName[0]!;
  if (byName.length > 1)
    throw new CliError(
      `${what}${byName.length} connections are named "${ref}": use one's id (${ids(byName)})`,
      EXIT.usage,
    );
  const byService = connections.filter((c) => c.service === ref);
  if (byService.length === 1) return byService[0]!;
  if (byService.length > 1)
    throw new CliError(
      `${what}the account has ${byService.length} ${ref} connections: name one by id or name (${ids(byService)})`,
      EXIT.usage,
    );
  const known = connections.map((c) => `${c.id} "${c.name}" (${c.service})`).join(', ');
  const listed = known
    ? `Connections: ${known}`
    : 'The account has no connections yet (`migrateclouds connections add`).';
  // An id or a service the account lacks is "not found"; anything else is a mistyped argument.
  if (ref.startsWith('conn_') || SERVICES.includes(ref))
    throw new CliError(`${what}no connection "${ref}". ${listed}`, EXIT.notFound);
  throw new CliError(
    `${what}"${ref}" is neither a service (${SERVICES.join(', ')}) nor a connection's id or name. ${listed}`,
    EXIT.usage,
  );
}

const ids = (cs: Connection[]) => cs.map((c) => `${c.id} "${c.name}"`).join(', ');
