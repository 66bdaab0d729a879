// What the built entry points share: the public surface plus the few internals that
// dynamorm/testing needs. The build bundles this file once (dist/internal.js) and points
// both dist/index.js and dist/testing/index.js at it, so there is one copy of the model
// registry and the default connection. Not reachable by users: package.json `exports`
// lists only `.` and `./testing`.
export * from './index';
export { holder } from './connection/connection-context';
