// The last steps every emulator takes: its API routes, then the control API, then listening.
import type express from 'express';
import { controlRouter, type ControlHooks } from './control';
import { listen } from './http';
import type { OAuthClient } from './tokens';

export async function serveEmulator(
  app: express.Application,
  api: express.Router,
  parts: Omit<ControlHooks, 'defaultClientId'> & { defaultClient: OAuthClient; port?: number },
): Promise<{ url: string; close(): Promise<void> }> {
  // The API goes before the control router, whose JSON parser would otherwise take the upload bodies.
  app.use(api);
  const { defaultClient, port, ...hooks } = parts;
  app.use(controlRouter({ ...hooks, defaultClientId: defaultClient.clientId }));
  const server = await listen(app, port ?? 0);
  return { url: server.url, close: () => server.close() };
}
