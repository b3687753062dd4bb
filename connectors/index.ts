// The connectors: one interface, one module per service, the registry that lists them, and the one
// way to open a stored connection's connector.
export * from './types';
export * from './cloud';
export { closeCopyThreads, createLocalConnector, resolveLocalRoot, shareCopyThreads } from './local';
export type { DirectFile, DirectResult, LocalDirect } from './local';
export { createHasher, HashingPassThrough, type Hasher } from '../common/hashing';
export { openConnector, type OpenConnectorDeps, type SealedCredentials } from './open';
export {
  configureServices,
  isServiceName,
  serviceDefinition,
  servicesWith,
  SERVICE_NAMES,
  SERVICES,
  type ServiceSettings,
} from './registry';
export type { CredentialKind, OAuthApp, Service } from './service';
export { wrapConnector, type Around } from './wrap';
