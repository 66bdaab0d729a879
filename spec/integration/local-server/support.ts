import { expect } from 'chai';
import {
  CreateTableCommand,
  DynamoDBClient,
  type AttributeValue,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startLocalDynamo, type LocalDynamo, type LocalDynamoOptions } from '../../../lib/testing';

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
