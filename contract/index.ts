// The contract under both workflows/ and activities/ (and the store and API): what crosses the Temporal
// boundary, and every Temporal name. Types, constants and pure functions only: safe in workflow code.
export * from './activities';
export * from './batching';
export * from './copy';
export * from './failures';
export * from './log-ids';
export * from './migration';
export * from './options';
export * from './services';
export * from './sync';
export * from './temporal';
export * from './webhooks';
