// A fake OpenTelemetry Tracer that records every span: what `connect({ tracer })` gets in
// the observability specs. Like the Node SDK's, its context manager is an AsyncLocalStorage,
// so a span started inside startActiveSpan's callback (and anything it awaits) is its child.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SpanAttributeValue, SpanLike, SpanOptionsLike, TracerLike } from '../../lib/observability/tracer-types';

export interface RecordedSpan extends SpanLike {
  readonly name: string;
  readonly kind: number | undefined;
  readonly parent: RecordedSpan | undefined;
  readonly attributes: Record<string, SpanAttributeValue | undefined>;
  readonly exceptions: Array<Error | string>;
  status?: { code: number; message?: string };
  ended: number;
}

export class RecordingTracer implements TracerLike {
  readonly spans: RecordedSpan[] = [];
  readonly #active = new AsyncLocalStorage<RecordedSpan>();

  startActiveSpan<F extends (span: SpanLike) => unknown>(name: string, options: SpanOptionsLike, fn: F): ReturnType<F> {
    const span: RecordedSpan = {
      name,
      kind: options.kind,
      parent: this.#active.getStore(),
      attributes: { ...options.attributes },
      exceptions: [],
      ended: 0,
      setAttribute(key, value) {
        this.attributes[key] = value;
        return this;
      },
      recordException(exception) {
        this.exceptions.push(exception);
      },
      setStatus(status) {
        this.status = status;
        return this;
      },
      end() {
        this.ended += 1;
      },
    };
    this.spans.push(span);
    return this.#active.run(span, () => fn(span)) as ReturnType<F>;
  }

  /** The spans without a parent. */
  roots(): RecordedSpan[] {
    return this.spans.filter((span) => !span.parent);
  }

  childrenOf(parent: RecordedSpan): RecordedSpan[] {
    return this.spans.filter((span) => span.parent === parent);
  }

  /** `name` for a root, `parent > name` for a child: the tree at a glance. */
  tree(): string[] {
    const path = (span: RecordedSpan): string => (span.parent ? `${path(span.parent)} > ${span.name}` : span.name);
    return this.spans.map(path);
  }

  clear(): void {
    this.spans.length = 0;
  }
}
