// CommonJS cannot name `import.meta` (tsc refuses it, esbuild leaves it empty), so this file
// is the CommonJS answer, and scripts/build.mjs gives the ESM build one that reads it.

/** The URL of the ES module dynamorm runs as, or undefined in the CommonJS build. */
export const esmUrl = (): string | undefined => undefined;
