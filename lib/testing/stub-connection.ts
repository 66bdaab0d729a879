import { Connection } from '../connection/connection';
import { holder } from '../connection/connection-context';

// sinon's types are the app's, and optional: an app that only uses startLocalDynamo may have
// none, and its tsc (skipLibCheck false) must still accept this file's declaration. tsc keeps
// JSDoc-style comments in the declarations it emits, so the `@ts-ignore`s below ship too
// (each covers the next line only). Without @types/sinon these two are `any`; with them, the
// stubs are sinon's own SinonStubs: `conn.get.firstCall.args[0]` is a GetCommandInput and
// `sinon.assert.calledOnce(conn.get)` compiles. spec/integration/install.spec.ts checks both.
/** @ts-ignore sinon's types are optional: without them, a sandbox is `any` */
type SinonSandbox = import('sinon').SinonSandbox;
/** @ts-ignore likewise: without sinon's types, a stub is `any` */
type SinonStub<Args extends readonly unknown[], Result> = import('sinon').SinonStub<Args, Result>;

const METHODS = [
  'get',
  'put',
  'update',
  'delete',
  'query',
  'scan',
  'batchGet',
  'batchWrite',
  'transactWrite',
  'transactGet',
  'createTable',
  'updateTable',
  'describeTable',
  'deleteTable',
  'updateTimeToLive',
  'describeTimeToLive',
  'listTables',
] as const;

type StubbedMethod = (typeof METHODS)[number];

/**
 * A Connection whose every request method is a sinon stub. Stubs resolve partial outputs,
 * so `conn.get.resolves({ Item: {...} })` needs no `$metadata`.
 */
export type StubbedConnection = Connection & {
  [K in StubbedMethod]: SinonStub<Parameters<Connection[K]>, Promise<Partial<Awaited<ReturnType<Connection[K]>>>>>;
};

/**
 * A Connection whose request methods are sinon stubs (each resolves `{}` until told
 * otherwise), installed as the default connection until `sandbox.restore()`.
 *
 * @example
 * const sandbox = sinon.createSandbox();
 * const conn = stubConnection(sandbox);
 * conn.get.resolves({ Item: { id: '1', name: 'Ann' } });
 * const u = await User.find('1');
 * sandbox.restore();
 */
export function stubConnection(sandbox: SinonSandbox, config: ConstructorParameters<typeof Connection>[0] = {}): StubbedConnection {
  const conn = new Connection({ region: 'stub', ...config });
  for (const method of METHODS) sandbox.stub(conn, method).resolves({} as never);
  sandbox.replace(holder, 'current', conn);
  return conn as StubbedConnection;
}
