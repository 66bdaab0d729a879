// examples/lambda-handler.ts bundled with esbuild, CommonJS and ESM, as a Lambda user would
// (bench/lambda-bundle.ts: the published package through its `exports`, @aws-sdk external),
// then invoked in a fresh Node process with a fake Lambda context, as the Lambda runtime
// would: against a transport stubbed to never answer (with little time left: not sent; with
// some: aborted in flight), against the local server with ample time, and against a TCP
// server that accepts the connection and never answers. The child plays the platform too: if
// the handler has not answered when the context's time is up, it is killed. What is asserted
// is the answer and its outcome, never a duration.
import fs from 'node:fs';
import net from 'node:net';
import { expect } from 'chai';
import { bundleLambda, lambdaFolder, type Format, type LambdaBundle } from '../../bench/lambda-bundle';
import { Attribute, BaseModel, CreatedAt, ensureTable, Model, PartitionKey, Version } from '../../lib';
import { buildPackageOnce } from '../support/build-package';
import { localEndpoint } from '../support/root-hooks';
import { runBundle } from '../support/run-bundle';

// The example's model, declared here: importing the example would run its init (connectLambda)
// in this process and replace the test run's default connection.
@Model({ table: 'lambda_orders' })
class Order extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() item!: string;
  @Attribute({ type: Number }) quantity!: number;
  @CreatedAt() createdAt!: Date;
  @Version() version!: number;
}

interface Invocation {
  event: object;
  /** What context.getRemainingTimeInMillis() starts from: the platform kills the function then. */
  remainingMs: number;
  endpoint: string;
  /** Replace the bundle's transport with one that never answers and ignores the abort signal. */
  stalled?: boolean;
}

interface Outcome {
  response: { statusCode: number; body: string };
  /** Requests that reached the (stubbed) transport. */
  sent: number;
}

// Run by the child: the bundle's init, then one invocation raced against the platform's kill.
const invoker = (format: Format) => `
const [file, json] = process.argv.slice(1);
const { event, remainingMs, stalled } = JSON.parse(json);
const m = ${format === 'cjs' ? 'require(file)' : 'await import(file)'};
let sent = 0;
if (stalled) m.connection.client.config.requestHandler.handle = () => { sent++; return new Promise(() => {}); };
const end = Date.now() + remainingMs;
setTimeout(() => { process.stderr.write('killed by the platform: the handler did not answer in time'); process.exit(99); }, remainingMs).unref();
m.handler(event, { getRemainingTimeInMillis: () => end - Date.now() })
  .then((response) => { process.stdout.write(JSON.stringify({ response, sent })); process.exit(0); });
`;

// Asynchronous: the child talks to servers running in this process.
function invoke(bundle: LambdaBundle, format: Format, invocation: Invocation): Promise<Outcome> {
  const script = format === 'cjs' ? ['-e', invoker(format)] : ['--input-type=module', '-e', invoker(format)];
  return runBundle<Outcome>(bundle.file, script, invocation, invocation.endpoint);
}

const bodyOf = (outcome: Outcome) => JSON.parse(outcome.response.body) as Record<string, unknown>;

describe('examples/lambda-handler.ts bundled (esbuild) and invoked with a fake Lambda context', function () {
  // Generous: every case ends on its own, by the handler's deadline at the latest.
  this.timeout(120_000);
  let work: string;
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  let accepted = 0;

  before(async () => {
    buildPackageOnce();
    work = lambdaFolder();
    await ensureTable(Order);
    // A server that accepts every connection and never answers.
    server = net.createServer((socket) => {
      accepted++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  after(async () => {
    fs.rmSync(work, { recursive: true, force: true });
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  for (const format of ['cjs', 'esm'] as const) {
    describe(format === 'cjs' ? 'CommonJS bundle' : 'ESM bundle', () => {
      let bundle: LambdaBundle;
      before(async () => {
        bundle = await bundleLambda(work, 'examples/lambda-handler.ts', format);
      });

      it("with less time left than the margin, against a stalled transport: 503, LambdaTimeoutError 'not-sent', nothing sent", async () => {
        const outcome = await invoke(bundle, format, { event: { id: 'late', item: 'tea' }, remainingMs: 200, endpoint: localEndpoint(), stalled: true });
        expect(outcome.response.statusCode).to.equal(503);
        expect(bodyOf(outcome)).to.include({ error: 'LambdaTimeoutError', outcome: 'not-sent' });
        expect(bodyOf(outcome).message).to.include("PutItem on table 'lambda_orders' ("); // then the model's (minified) name
        expect(bodyOf(outcome).message).to.include('was not sent');
        expect(outcome.sent).to.equal(0);
      });

      it("with a little time left, against a transport that never answers and ignores the abort: 504, LambdaTimeoutError 'unknown'", async () => {
        const outcome = await invoke(bundle, format, { event: { id: 'stalled', item: 'tea' }, remainingMs: 1_500, endpoint: localEndpoint(), stalled: true });
        expect(outcome.response.statusCode).to.equal(504);
        expect(bodyOf(outcome)).to.include({ error: 'LambdaTimeoutError', outcome: 'unknown' });
        expect(bodyOf(outcome).message).to.include('may have been applied');
        expect(outcome.sent).to.equal(1);
      });

      it('with ample time, against the local server: places and reads the order', async () => {
        const id = `o-ample-${format}`;
        const placed = await invoke(bundle, format, { event: { id, item: 'coffee beans', quantity: 2 }, remainingMs: 30_000, endpoint: localEndpoint() });
        expect(placed.response.statusCode).to.equal(201);
        expect(bodyOf(placed)).to.include({ id, item: 'coffee beans', quantity: 2, version: 1 });
        const read = await invoke(bundle, format, { event: { id }, remainingMs: 30_000, endpoint: localEndpoint() });
        expect(read.response.statusCode).to.equal(200);
        expect(bodyOf(read)).to.include({ id, quantity: 2 });
        expect((await Order.find(id)).item).to.equal('coffee beans');
      });

      it("against a server that accepts the connection and never answers: 504, LambdaTimeoutError 'unknown' at its deadline, before the platform's timeout", async () => {
        const { port } = server.address() as net.AddressInfo;
        const acceptedBefore = accepted;
        // 2 s left: the deadline is 1.5 s away, before the SDK's own 3 s request timeout, so it
        // is the deadline that ends the wait (a timeout of the SDK would be another error).
        const outcome = await invoke(bundle, format, { event: { id: 'black-hole' }, remainingMs: 2_000, endpoint: `http://127.0.0.1:${port}` });
        expect(outcome.response.statusCode).to.equal(504);
        expect(bodyOf(outcome)).to.include({ error: 'LambdaTimeoutError', outcome: 'unknown' });
        expect(bodyOf(outcome).message).to.include("GetItem on table 'lambda_orders' (");
        expect(bodyOf(outcome).message).to.include('was aborted in flight');
        expect(accepted).to.be.greaterThan(acceptedBefore);
      });
    });
  }
});
