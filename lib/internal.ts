// What the built entry points share: the public surface plus the few internals that
// dynamorm/testing and the integration subpaths need. The build bundles this file once per
// format (dist/internal.js, dist/esm/internal.mjs) and points every entry at it. Not
// reachable by users: package.json `exports` does not list it.
export * from './index';
export { holder } from './connection/connection-context';
export { schemaOf } from './metadata/registry';
export { useClassValidator } from './peers/class-validator';
export { useClassTransformer } from './peers/class-transformer';
export { loadPeer, requirePeer } from './peers/load-peer';
