// connectLambda (DESIGN §8): the default connection, with a client built at init whose
// transport is tuned for Lambda (keep-alive agents, bounded timeouts, maxAttempts 3), and
// every part of it overridable.
import { expect } from 'chai';
import http from 'node:http';
import https from 'node:https';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BaseModel, connectLambda, DynamormError, getConnection, Model, PartitionKey, preRegister } from '../../../lib';
import { holder } from '../../../lib/connection/connection-context';
import { processState } from '../../../lib/process-state';
import type { Connection } from '../../../lib';

interface HandlerConfig {
  connectionTimeout?: number;
  requestTimeout?: number;
  throwOnRequestTimeout?: boolean;
  httpAgentProvider(): Promise<http.Agent>;
  httpsAgent?: https.Agent;
}

/** What the client's NodeHttpHandler was configured with. */
async function transportOf(conn: Connection): Promise<HandlerConfig> {
  const handler = conn.client.config.requestHandler as unknown as { configProvider: Promise<HandlerConfig> };
  return handler.configProvider;
}

describe('connectLambda', () => {
  let previous: Connection | null;
  const made: Connection[] = [];
  beforeEach(() => {
    previous = holder.current;
  });
  afterEach(() => {
    holder.current = previous;
    for (const conn of made.splice(0)) conn.close();
  });
  const connectLambda_ = (config: Parameters<typeof connectLambda>[0]) => {
    const conn = connectLambda(config);
    made.push(conn);
    return conn;
  };

  it('sets the default connection, with its client already built, keep-alive agents and bounded timeouts', async () => {
    const conn = connectLambda_({ region: 'eu-west-1', tablePrefix: 'prod_' });
    expect(getConnection()).to.equal(conn);
    expect(conn.tablePrefix).to.equal('prod_');
    expect((conn as unknown as { clientInstance?: DynamoDBClient }).clientInstance).to.be.instanceOf(DynamoDBClient);
    expect(await conn.client.config.maxAttempts()).to.equal(3);
    const transport = await transportOf(conn);
    expect(transport).to.include({ connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true });
    expect(transport.httpsAgent).to.be.instanceOf(https.Agent);
    expect(transport.httpsAgent).to.include({ keepAlive: true, maxSockets: 50 });
    const httpAgent = await transport.httpAgentProvider();
    expect(httpAgent).to.be.instanceOf(http.Agent);
    expect(httpAgent).to.include({ keepAlive: true, maxSockets: 50 });
  });

  it('takes other bounds, maxAttempts, a requestHandler of your own, or a client', async () => {
    const tuned = connectLambda_({ region: 'eu-west-1', maxAttempts: 6, connectionTimeoutMs: 250, requestTimeoutMs: 10_000, maxSockets: 8 });
    expect(await tuned.client.config.maxAttempts()).to.equal(6);
    const transport = await transportOf(tuned);
    expect(transport).to.include({ connectionTimeout: 250, requestTimeout: 10_000 });
    expect(transport.httpsAgent).to.include({ maxSockets: 8 });

    const own = connectLambda_({ region: 'eu-west-1', clientConfig: { requestHandler: { requestTimeout: 42 } } });
    expect(await transportOf(own)).to.include({ requestTimeout: 42 });
    expect((await transportOf(own)).connectionTimeout).to.equal(undefined);

    const client = new DynamoDBClient({ region: 'eu-west-1' });
    try {
      expect(connectLambda_({ client }).client).to.equal(client);
    } finally {
      client.destroy();
    }
  });

  it('refuses a bound that is not a positive number, before connecting', () => {
    const current = holder.current;
    for (const bad of [{ connectionTimeoutMs: 0 }, { requestTimeoutMs: -5 }, { maxSockets: Number.NaN }]) {
      expect(() => connectLambda_({ region: 'eu-west-1', ...bad })).to.throw(DynamormError, 'must be a positive number');
    }
    expect(holder.current).to.equal(current);
  });

  it('preRegister resolves and registers the models at init, before any request', () => {
    @Model({ table: 'cl_orders' })
    class Order extends BaseModel {
      @PartitionKey() id!: string;
    }
    expect(processState.registry.has('cl_orders')).to.equal(false);
    preRegister(Order);
    expect(processState.registry.get('cl_orders')).to.include({ className: 'Order', ctor: Order });
  });
});
