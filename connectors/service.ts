// What a storage service declares, once, in its own module (connectors/<service>/service.ts), as rclone
// registers each backend: its name and label, how connections prove who they are, its capabilities,
// name rules, configuration variables, request rate, OAuth parameters and its connector factory.
// connectors/registry.ts lists the modules; every list of services, the factory, the OAuth providers,
// the budgets, the configuration and the API's service enums derive from that list.
import type { z } from 'zod';
import type { ServiceName } from '../contract';
import type { RequestGate } from './cloud';
import type { NameRules } from './name-rules';
import type { Connector, ConnectorFeatures } from './types';

/**
 * How a connection proves who it is: `oauth` (a refresh token from the provider's consent screen,
 * sealed at rest), `keys` (an access key and secret the user gives, sealed at rest: S3-style services;
 * opening works like `oauth` without the app, and the first such service adds its POST /v1/connections
 * body, see docs/development/adding-a-service.md), `path` (a folder this server reaches itself:
 * nothing secret).
 */
export type CredentialKind = 'oauth' | 'keys' | 'path';

/** An OAuth 2 app as this server is configured with it. */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** The provider's token endpoint (or an emulator's). */
  tokenUrl: string;
  /** The provider's consent screen. */
  authUrl: string;
}

export interface OAuthDefinition<S> {
  /** The configured app, or undefined while its client id or secret is not set. */
  app(settings: S): OAuthApp | undefined;
  /** The variables that configure the app, named when a request needs it and it is missing. */
  appVariables: string[];
  /** Consent-screen query parameters beyond client_id, redirect_uri, response_type and state. */
  authorizeParams: Record<string, string>;
  /** Extra form fields of the code exchange. */
  tokenParams: Record<string, string>;
  /** PKCE (RFC 7636) method the provider supports for this flow, or null when it supports none. */
  pkce: 'S256' | null;
}

export interface PathDefinition<S> {
  /**
   * Checks a connection's `config` and answers it as stored (local: the root's real path inside the
   * folders granted to the account, `grantedRoots`). Throws a ConnectorError (`permission_denied`, `not_found`, `invalid_path`, …).
   */
  checkConfig(
    config: { root: string },
    settings: S,
    grantedRoots?: string[],
  ): Promise<Record<string, unknown>>;
}

/** What opening one connection gives the service's factory. */
export interface OpenRequest<S> {
  settings: S;
  /** The connection's non-secret config (`{ root }` for local). */
  config: Record<string, unknown>;
  /** Its credentials, decrypted (oauth: OAuthTokens; keys: its `fields`); null for `path`. */
  credentials: unknown;
  /** Seals and stores credentials the connector renewed (a refreshed access token). */
  saveCredentials(credentials: unknown): Promise<void>;
  /** Every request to the service passes it: the connection's request budget. */
  gate?: RequestGate;
  /**
   * Path services: the folders the operator granted to the connection's account. Absent only where the
   * operator opens connections itself (tools, tests): then the server's roots bound them.
   */
  grantedRoots?: string[];
}

/** The paths a service's settings may be relative to. */
export interface SettingsBase {
  projectRoot: string;
  dataDir: string;
}

/**
 * One service. `S` is its settings, made from its configuration variables `V`. Members that take
 * settings are methods, so a definition of any settings type fits the registry's list.
 */
export interface ServiceDefinition<V extends z.ZodObject = z.ZodObject, S = unknown> {
  name: ServiceName;
  /** How people call it: "Google Drive" (default connection names, messages). */
  label: string;
  /** In a sentence: "Google Drive does not allow…", "the local disk does not allow…". */
  inProse: string;
  credentials: CredentialKind;
  features: ConnectorFeatures;
  /** Names it refuses beyond the path grammar every service shares, and how they are encoded. */
  names?: NameRules;
  /** Its configuration variables, each with a default or described as optional (docs are generated). */
  variables: V;
  /** Its settings from its parsed variables; without it, the parsed variables are the settings. */
  settings?(variables: z.output<V>, base: SettingsBase): S;
  /** Requests per second each connection may send (0: no budget). */
  requestsPerSecond(settings: S): number;
  /** Requests per second its app may send for every account together (0 or absent: no app budget). */
  appRequestsPerSecond?(settings: S): number;
  oauth?: OAuthDefinition<S>;
  path?: PathDefinition<S>;
  /** The variables that point it at its emulator at `url`, with the emulator's OAuth app (demo, tests). */
  emulatorVariables?(url: string, app: { clientId: string; clientSecret: string }): Record<string, string>;
  open(request: OpenRequest<S>): Connector | Promise<Connector>;
}

/** A definition as the registry holds it, whatever its settings type. */
export type Service = ServiceDefinition<z.ZodObject, unknown>;

/** Checks a definition against its own settings type, and hands it to the registry (keeping its name). */
export const defineService = <N extends ServiceName, V extends z.ZodObject, S = z.output<V>>(
  definition: ServiceDefinition<V, S> & { name: N },
) => definition as unknown as Service & { readonly name: N };
