// class-transformer is loaded on first need, not at import: a Lambda cold start should not
// pay for it when no model uses nested classes, fromPlain or toJSON.

interface ClassTransformerApi {
  plainToInstance(cls: Function, plain: unknown, options?: object): unknown;
  instanceToPlain(object: unknown, options?: object): Record<string, unknown>;
}

let api: ClassTransformerApi | undefined;

/** class-transformer, required on first use. */
export function classTransformer(): ClassTransformerApi {
  if (!api) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      api = require('class-transformer') as ClassTransformerApi;
    } catch (cause) {
      throw new Error('dynamorm needs the peer dependency class-transformer: npm install class-transformer', { cause });
    }
  }
  return api;
}
