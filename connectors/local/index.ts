export { createLocalConnector, LOCAL_FEATURES } from './connector';
export { resolveLocalRoot, isInside } from './paths';
export { PARTIAL_PREFIX } from './write';
