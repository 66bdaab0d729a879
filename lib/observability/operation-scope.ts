import type { AsyncLocalStorage } from 'node:async_hooks';
import { processState } from '../process-state';
import type { SpanLike } from './tracer-types';

/**
 * The model operation whose span is open in this async context: its requests add their
 * tables, index and consumed capacity to it, and an operation called inside it (a static
 * `create` calling the instance's, `updateAll` saving each match) opens no span of its own.
 */
export interface OperationScope {
  readonly span: SpanLike;
  readonly tables: Set<string>;
  index?: string;
  readonly capacity: string[];
}

// In the process state, so that the CommonJS and ESM builds loaded side by side see the same open operation.
export const operations = processState.operations as AsyncLocalStorage<OperationScope>;
