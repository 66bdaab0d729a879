// Root hooks: nothing global yet.
export const mochaHooks = {};
