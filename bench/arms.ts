// The calls the bench times (one per arm of cases.ts), both sides on the same fake
// DynamoDB, and the check that each pair sends the same request. Loaded by the timing
// child (timing.ts) and by the profiling entry (profile.ts).

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { validate } from 'class-validator';
import { ARM_NAMES, EQUIVALENT_PAIRS, type ArmKey } from './cases';
import { orm } from './dynamorm';
import { FakeDynamoHandler, QUERY_ITEM_COUNT, fakeClient } from './fake-dynamo';
import type { Arm } from './measure';
import { AppUser, BenchOrder, BenchUser, CheckedUser, UserDto, appUserInput, userInput, type AppUserInput, type UserInput } from './models';

const FOUND_ID = 'user-000042';

// The two sides, each on its own DynamoDBClient with the same fake handler and config;
// dynamorm is given its client as an application would: connect({ client }).
export const handler = new FakeDynamoHandler();
const raw = DynamoDBDocumentClient.from(fakeClient(handler), { marshallOptions: { removeUndefinedValues: true } });
orm.connect({ client: fakeClient(handler) });

/** What hand-written code stores for a new user: dates as ISO text, timestamps, version 1. */
function rawItem(user: UserInput): Record<string, unknown> {
  const now = new Date().toISOString();
  return { ...user, birthday: user.birthday.toISOString(), createdAt: now, updatedAt: now, version: 1 };
}

function rawPut(table: string, user: UserInput) {
  return raw.send(
    new PutCommand({
      TableName: table,
      Item: rawItem(user),
      ConditionExpression: 'attribute_not_exists(#n1)',
      ExpressionAttributeNames: { '#n1': 'id' },
    }),
  );
}

/**
 * A careful hand-written create on a table with a TTL: timestamps, version 1, the expiry as
 * epoch seconds (the only form DynamoDB's TTL reads), the Set as is, and a condition that
 * also lets an expired item (still there until DynamoDB's sweep) be replaced.
 */
function rawPutAppUser(user: AppUserInput) {
  const now = new Date();
  const stamp = now.toISOString();
  return raw.send(
    new PutCommand({
      TableName: 'bench_app_users',
      Item: { ...user, expiresAt: Math.floor(user.expiresAt.getTime() / 1000), createdAt: stamp, updatedAt: stamp, version: 1 },
      ConditionExpression: 'attribute_not_exists(#n1) OR #n2 < :v1',
      ExpressionAttributeNames: { '#n1': 'id', '#n2': 'expiresAt' },
      ExpressionAttributeValues: { ':v1': Math.floor(now.getTime() / 1000) },
    }),
  );
}

/** A careful hand-written find: GetItem, and no item (or an expired one) is an error. */
async function rawGetAppUser(id: string): Promise<Record<string, unknown>> {
  const { Item } = await raw.send(new GetCommand({ TableName: 'bench_app_users', Key: { id } }));
  if (!Item || (typeof Item.expiresAt === 'number' && Item.expiresAt < Date.now() / 1000)) throw new Error(`no app user ${id}`);
  return Item;
}

// The query case: a customer's orders of a date range, newest first.
const CUSTOMER = 'customer-42';
const FROM = new Date('2023-12-01T00:00:00.000Z');
const TO = new Date('2024-01-31T23:59:59.999Z');

const ordersQuery = () => BenchOrder.where('customerId', '=', CUSTOMER).where('placedAt', 'between', FROM, TO).orderBy('placedAt', 'desc');

/**
 * The same Query by hand: the request dynamorm sends (placeholders included), every page
 * followed, the items returned as the DocumentClient gives them (no Dates, no class).
 */
async function rawQueryOrders(): Promise<Array<Record<string, unknown>>> {
  const input: QueryCommandInput = {
    TableName: 'bench_orders',
    KeyConditionExpression: '#n1 = :v1 AND #n2 BETWEEN :v2 AND :v3',
    ExpressionAttributeNames: { '#n1': 'customerId', '#n2': 'placedAt' },
    ExpressionAttributeValues: { ':v1': CUSTOMER, ':v2': FROM.toISOString(), ':v3': TO.toISOString() },
    ScanIndexForward: false,
  };
  const items: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await raw.send(new QueryCommand(start ? { ...input, ExclusiveStartKey: start } : input));
    if (out.Items) items.push(...out.Items);
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export const calls: Record<ArmKey, (i: number) => Promise<unknown>> = {
  rawPut: (i) => rawPut('bench_users', userInput(i)),
  create: (i) => BenchUser.create(userInput(i)),
  save: (i) => BenchUser.build(userInput(i)).save(),
  rawPutValidated: async (i) => {
    const user = userInput(i);
    const issues = await validate(Object.assign(new UserDto(), user), { forbidUnknownValues: false });
    if (issues.length > 0) throw new Error(`invalid: ${issues.map(String).join('; ')}`);
    return rawPut('bench_checked_users', user);
  },
  createChecked: (i) => CheckedUser.create(userInput(i)),
  rawGet: async () => (await raw.send(new GetCommand({ TableName: 'bench_users', Key: { id: FOUND_ID } }))).Item,
  find: () => BenchUser.find(FOUND_ID),
  rawPutApp: (i) => rawPutAppUser(appUserInput(i)),
  saveApp: (i) => AppUser.build(appUserInput(i)).save(),
  rawGetApp: () => rawGetAppUser(FOUND_ID),
  findApp: () => AppUser.find(FOUND_ID),
  rawQuery: () => rawQueryOrders(),
  query: () => ordersQuery().all(),
  queryParams: () => Promise.resolve(ordersQuery().toParams()),
};

export const arm = (key: ArmKey): Arm => ({ name: ARM_NAMES[key], call: calls[key] });

// ---------------------------------------------------------------------------------------
// Equivalence check: both sides send the same request (the time of the call aside) and
// read the same item.

/** Epoch seconds within a minute of now (a condition's "now"); a TTL value lies further ahead. */
const isNowSeconds = (text: string) => /^\d{10}$/.test(text) && Math.abs(Number(text) - Date.now() / 1000) < 60;

function normalised(body: string | undefined): string {
  const parsed = JSON.parse(body ?? 'null') as { Item?: Record<string, { S?: string }>; ExpressionAttributeValues?: Record<string, { N?: string }> };
  for (const stamp of ['createdAt', 'updatedAt']) if (parsed?.Item?.[stamp]) parsed.Item[stamp] = { S: '<now>' };
  for (const value of Object.values(parsed?.ExpressionAttributeValues ?? {}))
    if (value.N !== undefined && isNowSeconds(value.N)) value.N = '<now, epoch seconds>';
  const sortKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sortKeys)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
          )
        : value;
  return JSON.stringify(sortKeys(parsed));
}

async function bodyOf(key: ArmKey, i: number): Promise<string> {
  handler.capture = true;
  try {
    await calls[key](i);
    return normalised(handler.lastBody);
  } finally {
    handler.capture = false;
  }
}

/** What differs between the two sides of each pair (nothing, when the bench is fair). */
export async function checkEquivalence(): Promise<string[]> {
  const problems: string[] = [];
  for (const [baseline, subject] of EQUIVALENT_PAIRS) {
    const a = await bodyOf(baseline, 7);
    const b = await bodyOf(subject, 7);
    if (a !== b) problems.push(`${ARM_NAMES[subject]} sends a different request than ${ARM_NAMES[baseline]}:\n  raw:      ${a}\n  dynamorm: ${b}`);
  }
  const user = await BenchUser.find(FOUND_ID);
  const shapeOk =
    user instanceof BenchUser &&
    user.birthday instanceof Date &&
    user.tags instanceof Set &&
    user.tags.size === 3 &&
    user.age === 36 &&
    user.version === 3 &&
    user.address.city === 'London' &&
    user.createdAt instanceof Date;
  if (!shapeOk) problems.push(`BenchUser.find returned an unexpected model: ${JSON.stringify(user)}`);
  const app = await AppUser.find(FOUND_ID);
  const appOk =
    app instanceof AppUser &&
    app.roles instanceof Set &&
    app.roles.size === 2 &&
    app.age === 45 &&
    app.version === 3 &&
    app.createdAt instanceof Date &&
    app.expiresAt instanceof Date &&
    app.expiresAt.getTime() === 4102444800_000;
  if (!appOk) problems.push(`AppUser.find returned an unexpected model: ${JSON.stringify(app)}`);
  const orders = await ordersQuery().all();
  const ordersOk =
    orders.length === QUERY_ITEM_COUNT &&
    orders.every((o) => o instanceof BenchOrder && o.placedAt instanceof Date && o.createdAt instanceof Date && o.tags instanceof Set && o.tags.size === 2) &&
    orders[0].shippedAt === undefined &&
    orders[3].shippedAt instanceof Date &&
    orders[3].total === 30.49 &&
    orders[0].placedAt.getTime() > orders[1].placedAt.getTime();
  if (!ordersOk) problems.push(`BenchOrder query returned unexpected models: ${JSON.stringify(orders.slice(0, 4))}`);
  const rawOrders = await rawQueryOrders();
  if (rawOrders.length !== QUERY_ITEM_COUNT || !(rawOrders[0].tags instanceof Set))
    problems.push(`the raw QueryCommand read unexpected items: ${JSON.stringify(rawOrders.slice(0, 2))}`);
  const rawApp = await rawGetAppUser(FOUND_ID);
  if (rawApp.expiresAt !== 4102444800 || !(rawApp.roles instanceof Set)) problems.push(`the raw GetCommand read an unexpected item: ${JSON.stringify(rawApp)}`);
  return problems;
}
