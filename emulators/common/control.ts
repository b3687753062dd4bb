// The control API every emulator mounts at /_emulator: fault settings, counters, tokens, seeding.
import express, { type Router } from 'express';
import type { Counters } from './counters';
import type { Faults, FaultSettings } from './faults';
import type { SeedOptions } from './seed';
import type { TokenStore } from './tokens';

export interface ControlHooks {
  faults: Faults;
  counters: Counters;
  tokens: TokenStore;
  /** Default OAuth client id, for /_emulator/tokens/grant without a body. */
  defaultClientId: string;
  /** Replaces the provider's content with a generated tree; answers what was made. */
  seed(options: SeedOptions): unknown;
  /** Empties the provider's content. */
  clear(): void;
}

export function controlRouter(h: ControlHooks): Router {
  const r = express.Router();
  r.use(express.json());
  r.get('/_emulator/faults', (_req, res) => void res.json(h.faults.settings));
  r.put(
    '/_emulator/faults',
    (req, res) => void res.json(h.faults.update(req.body as Partial<FaultSettings>)),
  );
  r.get('/_emulator/counters', (_req, res) => void res.json(h.counters.snapshot()));
  r.delete('/_emulator/counters', (_req, res) => {
    h.counters.reset();
    res.status(204).end();
  });
  r.post('/_emulator/tokens/expire', (_req, res) => void res.json({ expired: h.tokens.expireAll() }));
  r.post('/_emulator/tokens/grant', (req, res) => {
    const clientId = (req.body as { client_id?: string } | undefined)?.client_id ?? h.defaultClientId;
    res.json(h.tokens.grant(clientId));
  });
  r.post('/_emulator/tokens/revoke', (req, res) => {
    const ok = h.tokens.revoke(String((req.body as { refresh_token?: string }).refresh_token ?? ''));
    res.status(ok ? 200 : 404).json({ revoked: ok });
  });
  r.post('/_emulator/seed', (req, res) => void res.json(h.seed(req.body as SeedOptions)));
  r.post('/_emulator/reset', (_req, res) => {
    h.clear();
    h.faults.reset();
    h.counters.reset();
    res.status(204).end();
  });
  return r;
}
