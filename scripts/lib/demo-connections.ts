// The development account's connections to the demo emulators: one per service, created on the first
// demo start and found again on later ones by their `config.demo` marker, so their ids stay the same.
// Emulator state lives in memory, so every start grants fresh tokens and seals them over the old ones.
import { newId } from '../../common/ids';
import type { SecretBox } from '../../common/secret-box';
import type { OAuthTokens } from '../../connectors/cloud';
import { serviceDefinition } from '../../connectors';
import type { ServiceName } from '../../contract';
import type { Store } from '../../store/types';

/** "Demo Google Drive", … */
export const demoConnectionName = (service: ServiceName): string =>
  `Demo ${serviceDefinition(service).label}`;

export interface DemoConnection {
  id: string;
  service: ServiceName;
  name: string;
  outcome: 'created' | 'renewed';
}

export interface DemoConnectionOptions {
  accountId: string;
  box: SecretBox;
  /** Each service's emulator base URL (its control API grants the tokens). */
  emulators: Array<{ service: ServiceName; url: string }>;
}

export async function ensureDemoConnections(
  store: Store,
  opts: DemoConnectionOptions,
): Promise<DemoConnection[]> {
  const out: DemoConnection[] = [];
  for (const { service, url } of opts.emulators) {
    const tokens = await grantTokens(url);
    const existing = (await store.connections.listByService(opts.accountId, service)).find(
      (c) => c.config.demo === true,
    );
    if (existing) {
      const secrets = opts.box.seal(JSON.stringify(tokens), existing.id);
      await store.connections.updateSecrets(opts.accountId, existing.id, secrets);
      await store.connections.setStatus(opts.accountId, existing.id, 'active');
      out.push({ id: existing.id, service, name: existing.name, outcome: 'renewed' });
      continue;
    }
    // The id is chosen first because the sealed secret is bound to it.
    const id = newId('conn');
    const name = demoConnectionName(service);
    const secrets = opts.box.seal(JSON.stringify(tokens), id);
    await store.connections.create({
      id,
      accountId: opts.accountId,
      service,
      name,
      config: { demo: true },
      secrets,
    });
    out.push({ id, service, name, outcome: 'created' });
  }
  return out;
}

/** A refresh token as if the user had consented, from the emulator's control API. */
export async function grantTokens(emulatorUrl: string): Promise<OAuthTokens> {
  const res = await fetch(`${emulatorUrl}/_emulator/tokens/grant`, { method: 'POST' });
  if (!res.ok) throw new Error(`the emulator at ${emulatorUrl} refused a token grant (HTTP ${res.status})`);
  const grant = (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
  return {
    accessToken: grant.access_token,
    refreshToken: grant.refresh_token,
    expiresAt: new Date(Date.now() + grant.expires_in * 1000).toISOString(),
  };
}
