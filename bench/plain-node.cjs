// Runs a bench TypeScript module in plain Node: tsx compiles the bench's own .ts files while
// they load, and is unregistered before the module's main() runs, so that require() calls
// made at run time cost what they cost in production. (dynamorm requires class-validator
// lazily; with tsx's resolver hooked in, a repeated require costs ~10 times more.)
//
//   node bench/plain-node.cjs bench/timing.ts
//   node bench/plain-node.cjs bench/profile.ts saveApp 20000
'use strict';

const path = require('node:path');
const { register } = require('tsx/cjs/api');

const unregister = register();
const mod = require(path.resolve(process.argv[2]));
unregister();

Promise.resolve(mod.main(process.argv.slice(3))).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
