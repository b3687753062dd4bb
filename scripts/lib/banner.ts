// What `npm start` and `npm run cluster` print once everything is up, and how they wait for it.
import type { DevAccount } from './dev-account';
import type { DevOwner } from './dev-owner';

/** True once `url` answers 2xx; false after `timeoutMs` or once `stopped()` says so. */
export async function waitForHttp(url: string, timeoutMs: number, stopped = () => false): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopped()) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

export function printBanner(
  apiUrl: string,
  uiUrl: string,
  dev: DevAccount,
  keyFile: string,
  extra: string[],
  title = 'MigrateClouds is running',
  owner?: DevOwner,
): void {
  const consoleLines = owner
    ? [
        `  Console      ${apiUrl}/console/`,
        `  Sign in      ${owner.signInUrl}`,
        `               (one-time link for ${owner.email}, valid 24 h; choose a password there)`,
      ]
    : [];
  const lines = [
    '',
    title,
    `  API          ${apiUrl}`,
    `  API docs     ${apiUrl}/docs`,
    `  Temporal UI  ${uiUrl}`,
    ...consoleLines,
    `  Dev API key  ${dev.apiKey}   (also in ${keyFile})`,
    '',
    'Try it:',
    `  curl -H "Authorization: Bearer ${dev.apiKey}" ${apiUrl}/v1/account`,
    '',
    ...extra,
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
