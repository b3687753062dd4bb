// The connectors: one interface, one module per service, and the factory that picks one.
export * from './types';
export * from './cloud';
export { createConnector, type ConnectorContext } from './factory';
export { createLocalConnector, resolveLocalRoot } from './local';
export { createHasher, HashingPassThrough, type Hasher } from './hashing';
export { providerSettings, type CloudService, type ProviderSettings } from './providers';
export { openConnector, type OpenConnectorDeps, type SealedCredentials } from './open';
