import { expect } from 'chai';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type AttributeValue, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { startLocalDynamo, type LocalDynamo, type LocalDynamoOptions } from '../../../lib/testing';
import type { DynaliteFactory } from '../../../lib/testing/local-dynamo/server';

/** A local server and a plain SDK client pointed at it, for one `describe`. */
export interface Harness {
  local: LocalDynamo;
  client: DynamoDBClient;
}

/** Starts a server in `before` and stops it in `after`; read the harness inside tests. */
export function useLocalServer(options: LocalDynamoOptions = {}): Harness {
  const harness = {} as Harness;
  before(async () => {
    harness.local = await startLocalDynamo(options);
    harness.client = new DynamoDBClient({
      endpoint: harness.local.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      // The SDK retries LimitExceededException with backoff; tests want the first answer.
      maxAttempts: 1,
    });
  });
  after(async () => {
    harness.client?.destroy();
    await harness.local?.stop();
  });
  return harness;
}

/** A DynamoDB Streams client for the harness's server, made in `before` and destroyed in `after`; read it inside tests. */
export function useStreamsClient(h: Harness): { client: DynamoDBStreamsClient } {
  const holder = {} as { client: DynamoDBStreamsClient };
  before(() => {
    holder.client = new DynamoDBStreamsClient({
      endpoint: h.local.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });
  after(() => holder.client.destroy());
  return holder;
}

let tableCounter = 0;

/** Creates a table with a string hash key `pk` (and optionally more) under a fresh name. */
export async function createTable(client: DynamoDBClient, extra: Partial<CreateTableCommandInput> = {}): Promise<string> {
  tableCounter += 1;
  const TableName = `t${tableCounter}_${Date.now()}`;
  await client.send(
    new CreateTableCommand({
      TableName,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...extra,
    }),
  );
  // As on DynamoDB, a table is CREATING for a moment (dynalite: one timer tick), and writes
  // to it until it is ACTIVE are ResourceNotFoundException; under load that tick is late.
  const active = await eventually(async () => (await client.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus === 'ACTIVE');
  if (!active) throw new Error(`table ${TableName} did not become ACTIVE`);
  return TableName;
}

/** Awaits `promise` expecting it to reject; returns the error for further checks. */
export async function rejection<T extends Error = Error & Record<string, unknown>>(promise: Promise<unknown>, name: string): Promise<T> {
  try {
    await promise;
  } catch (err) {
    expect((err as Error).name, (err as Error).message).to.equal(name);
    return err as T;
  }
  expect.fail(`expected ${name}, but the call succeeded`);
}

export const S = (value: string): AttributeValue => ({ S: value });
export const N = (value: number): AttributeValue => ({ N: String(value) });

/** Polls `check` until it returns true, up to `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 4000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}

/** A plain dynalite server (no layer in front), the reference for what the layer must answer alike. */
export function usePlainDynalite(): { endpoint: string } {
  const plain = { endpoint: '' };
  let server: http.Server | undefined;
  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dynalite = require('dynalite') as DynaliteFactory;
    const started = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    plain.endpoint = `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
  });
  after(async () => {
    const started = server;
    if (started) await new Promise((resolve) => started.close(resolve));
  });
  return plain;
}

/** A response as it came over the wire. */
export interface RawAnswer {
  status: number;
  body: unknown;
}

/**
 * Sends one request in DynamoDB's JSON protocol, signed the way dynalite checks
 * (present, never verified), with a body the SDK would never send: `body` is sent as
 * JSON, or as it is when it is a string.
 */
export async function rawCall(endpoint: string, operation: string, body: unknown): Promise<RawAnswer> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
      'X-Amz-Date': '20200101T000000Z',
      Authorization: 'AWS4-HMAC-SHA256 Credential=x/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { status: response.status, body: parsed };
}
