// dynamorm as the bench loads it: the compiled build (see build.ts), or lib/ through tsx
// with BENCH_SOURCE=1.

import { BUILD_DIR, ENTRY, ensureBuild } from './build';

export { BUILD_DIR };
export const useSource = process.env.BENCH_SOURCE === '1';
export const buildNote = useSource ? 'lib/ through tsx (BENCH_SOURCE=1)' : ensureBuild();

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const orm = (useSource ? require('../lib') : require(ENTRY)) as typeof import('../lib');
