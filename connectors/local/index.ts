export { createLocalConnector, LOCAL_FEATURES, type LocalConnectorOptions } from './connector';
export { LOCAL_FSYNC_MODES, type LocalFsync } from './durability';
export { resolveLocalRoot, isInside } from './paths';
export { PARTIAL_PREFIX } from './write';
export { closeCopyThreads, lastDataSync, shareCopyThreads, type DataSync } from './copy-threads';
export type { DirectFile, DirectResult, LocalDirect } from './direct';
