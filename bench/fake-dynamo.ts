// An in-process stand-in for DynamoDB's HTTP endpoint: a `requestHandler` that answers
// every request at once with a canned response (GetItem: the stored item of the request's
// table; Query: 25 stored orders). The whole SDK stack still runs (middleware, serialisation, SigV4 signing with
// static dummy credentials, deserialisation, DocumentClient marshalling), so what differs
// between the raw DocumentClient and dynamorm is dynamorm's own work, without network noise.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A marshalled item as GetItem returns it: every attribute of the bench model (BenchUser). */
export const STORED_ITEM = {
  id: { S: 'user-000042' },
  email: { S: 'ada.lovelace@example.com' },
  name: { S: 'Ada Lovelace' },
  status: { S: 'active' },
  age: { N: '36' },
  active: { BOOL: true },
  birthday: { S: '1815-12-10T00:00:00.000Z' },
  tags: { SS: ['admin', 'beta', 'math'] },
  address: {
    M: {
      street: { S: '12 St James Square' },
      city: { S: 'London' },
      zip: { S: 'SW1Y 4JH' },
      country: { S: 'GB' },
    },
  },
  createdAt: { S: '2024-03-01T09:30:00.000Z' },
  updatedAt: { S: '2024-06-15T17:05:12.345Z' },
  version: { N: '3' },
} as const;

/** The stored AppUser (the typical user table): expires in 2100, so it is never filtered out as expired. */
export const STORED_APP_USER = {
  id: { S: 'user-000042' },
  email: { S: 'user-000042@example.com' },
  name: { S: 'Grace Hopper' },
  age: { N: '45' },
  status: { S: 'active' },
  roles: { SS: ['admin', 'beta'] },
  createdAt: { S: '2024-03-01T09:30:00.000Z' },
  updatedAt: { S: '2024-06-15T17:05:12.345Z' },
  version: { N: '3' },
  expiresAt: { N: '4102444800' },
} as const;

/** How many items the fake's Query answer holds. */
export const QUERY_ITEM_COUNT = 25;

const DAY_MS = 86_400_000;

/** Order `n` of customer-42 as DynamoDB stores it (BenchOrder): newest first, the first 3 not shipped yet. */
function storedOrder(n: number): Record<string, unknown> {
  const placed = Date.UTC(2024, 0, 31, 10, 15) - n * DAY_MS;
  const shipped = n >= 3;
  return {
    customerId: { S: 'customer-42' },
    placedAt: { S: new Date(placed).toISOString() },
    orderId: { S: `order-${1000 + QUERY_ITEM_COUNT - n}` },
    status: { S: shipped ? 'delivered' : 'processing' },
    total: { N: (19.99 + n * 3.5).toFixed(2) },
    items: { N: String(1 + (n % 4)) },
    tags: { SS: n % 3 === 0 ? ['gift', 'express'] : ['standard', 'newsletter'] },
    ...(shipped ? { shippedAt: { S: new Date(placed + DAY_MS).toISOString() } } : {}),
    createdAt: { S: new Date(placed).toISOString() },
    updatedAt: { S: new Date(placed + (shipped ? 2 : 0) * DAY_MS).toISOString() },
    version: { N: shipped ? '3' : '1' },
  };
}

/** The Query answer: 25 orders, one DynamoDB page (no LastEvaluatedKey). */
export const QUERY_ANSWER = {
  Items: Array.from({ length: QUERY_ITEM_COUNT }, (_, n) => storedOrder(n)),
  Count: QUERY_ITEM_COUNT,
  ScannedCount: QUERY_ITEM_COUNT,
};

const encoder = new TextEncoder();
const EMPTY_BODY = encoder.encode('{}');
const QUERY_BODY = encoder.encode(JSON.stringify(QUERY_ANSWER));

/** GetItem answers by table; the first is the default. */
const GET_BODIES: ReadonlyArray<{ table: Buffer; body: Uint8Array }> = [
  { table: Buffer.from('"TableName":"bench_users"'), body: encoder.encode(JSON.stringify({ Item: STORED_ITEM })) },
  { table: Buffer.from('"TableName":"bench_app_users"'), body: encoder.encode(JSON.stringify({ Item: STORED_APP_USER })) },
];

/** The GetItem answer for the request's table (a native byte search: both sides pay the same). */
function getBody(body: unknown): Uint8Array {
  if (body instanceof Uint8Array) {
    const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    for (let i = 1; i < GET_BODIES.length; i++) if (bytes.includes(GET_BODIES[i].table)) return GET_BODIES[i].body;
  } else if (typeof body === 'string') {
    for (let i = 1; i < GET_BODIES.length; i++) if (body.includes(GET_BODIES[i].table.toString())) return GET_BODIES[i].body;
  }
  return GET_BODIES[0].body;
}

interface FakeRequest {
  headers: Record<string, string>;
  body?: unknown;
}

interface FakeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * The fake handler. Responses are fresh objects (the SDK consumes the body) over shared
 * byte arrays; the body is a Uint8Array, which the SDK's collectBody takes as is.
 */
export class FakeDynamoHandler {
  /** When set, the JSON body of the last request is kept here (for the equivalence check). */
  capture = false;
  lastBody?: string;

  handle(request: FakeRequest): Promise<{ response: FakeResponse }> {
    const target = request.headers['x-amz-target'] ?? '';
    const operation = target.slice(target.indexOf('.') + 1);
    if (this.capture) this.lastBody = request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : String(request.body);
    let body: Uint8Array;
    switch (operation) {
      case 'GetItem':
        body = getBody(request.body);
        break;
      case 'PutItem':
        body = EMPTY_BODY;
        break;
      case 'Query':
        body = QUERY_BODY;
        break;
      default:
        return Promise.reject(new Error(`fake DynamoDB: unexpected operation '${target}'`));
    }
    return Promise.resolve({
      response: {
        statusCode: 200,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': String(body.byteLength),
          'x-amzn-requestid': 'BENCH0000000000000000000000000000000000000000000000000',
        },
        body,
      },
    });
  }

  updateHttpClientConfig(): void {
    // nothing to configure: the fake answers in memory
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    // nothing to release
  }
}

/** A DynamoDBClient on the fake handler; both sides of the bench get one built here. */
export function fakeClient(handler: FakeDynamoHandler): DynamoDBClient {
  return new DynamoDBClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDBENCHBENCHBENCH0', secretAccessKey: 'bench/secret/key/not/a/real/one/0000000' },
    maxAttempts: 5, // what dynamorm's connect() would use; only matters on errors
    requestHandler: handler,
  });
}
