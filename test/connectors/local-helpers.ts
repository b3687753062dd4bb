// Temp folders for local connector suites: an allowed root holding the connection's root, and a
// sibling "outside" folder that nothing may reach.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectorError, type ConnectorErrorKind } from '../../connectors/types';

export interface Sandbox {
  base: string;
  allowed: string;
  root: string;
  outside: string;
  cleanup(): void;
}

export function makeSandbox(prefix = 'mc-local-'): Sandbox {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const allowed = path.join(base, 'allowed');
  const root = path.join(allowed, 'files');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'top secret');
  return { base, allowed, root, outside, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

/** Awaits a promise that must reject with a ConnectorError of `kind`; returns the error. */
export async function expectKind(
  promise: Promise<unknown>,
  kind: ConnectorErrorKind,
): Promise<ConnectorError> {
  const err = await promise.then(
    () => {
      throw new Error(`expected a ConnectorError '${kind}', but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConnectorError);
  expect((err as ConnectorError).kind).toBe(kind);
  return err as ConnectorError;
}

/** Every `.mc-partial-` temp file anywhere below `dir`. */
export function partialFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) =>
    path.basename(p).startsWith('.mc-partial-'),
  );
}
