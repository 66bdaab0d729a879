// A Lambda handler that cannot hang: the connection is made once at init and reused by warm
// invocations (connectLambda), the models are resolved at init (preRegister), and every
// request of an invocation stops 500 ms before the function's timeout (withLambdaTimeout),
// leaving the handler time to answer. Bundle it as you would any handler:
//   esbuild examples/lambda-handler.ts --bundle --platform=node --external:@aws-sdk/* --outfile=out/index.js
//
//   npx tsx examples/lambda-handler.ts                    (runs main(): embedded local server)
import {
  Attribute,
  BaseModel,
  CreatedAt,
  DynamormError,
  LambdaTimeoutError,
  Model,
  PartitionKey,
  Version,
  connectLambda,
  deleteTable,
  ensureTable,
  preRegister,
  withLambdaTimeout,
} from 'dynamorm';

@Model({ table: 'lambda_orders' })
export class Order extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() item!: string;
  @Attribute({ type: Number }) quantity!: number;
  @CreatedAt() createdAt!: Date;
  @Version() version!: number;
}

// Init, once per container. DYNAMODB_ENDPOINT points it at a local server (the specs set it).
export const connection = connectLambda({
  region: process.env.AWS_REGION ?? 'us-east-1',
  endpoint: process.env.DYNAMODB_ENDPOINT,
  tablePrefix: process.env.DYNAMORM_TABLE_PREFIX,
});
preRegister(Order);

/** What the handler reads of Lambda's context (the `Context` of @types/aws-lambda fits). */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
}

/** Without `item`: read the order. With it: place the order. */
export interface OrderEvent {
  id: string;
  item?: string;
  quantity?: number;
}

export interface OrderResponse {
  statusCode: number;
  body: string;
}

export async function handler(event: OrderEvent, context: LambdaContext): Promise<OrderResponse> {
  try {
    return await withLambdaTimeout(context, async () => {
      const order =
        event.item === undefined ? await Order.find(event.id) : await Order.create({ id: event.id, item: event.item, quantity: event.quantity ?? 1 });
      return { statusCode: event.item === undefined ? 200 : 201, body: JSON.stringify(order) };
    });
  } catch (error) {
    if (error instanceof LambdaTimeoutError) {
      // 'not-sent': nothing was written, the caller may simply retry. 'unknown': the create may
      // have been applied, so a retry must expect its own order (an ItemExistsError here).
      const statusCode = error.outcome === 'not-sent' ? 503 : 504;
      return { statusCode, body: JSON.stringify({ error: error.name, outcome: error.outcome, message: error.message }) };
    }
    if (error instanceof DynamormError) return { statusCode: 400, body: JSON.stringify({ error: error.name, message: error.message }) };
    throw error;
  }
}

/** A context like Lambda's, for a function with `timeoutMs` left. */
export function fakeContext(timeoutMs: number): LambdaContext {
  const end = Date.now() + timeoutMs;
  return { getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) };
}

export async function main(): Promise<void> {
  // Imported here, not at the top, so that a deployed bundle's init never evaluates it.
  const { withDynamo } = await import('./support/local');
  await withDynamo(async () => {
    await ensureTable(Order);
    try {
      const placed = await handler({ id: 'o-1', item: 'coffee beans', quantity: 2 }, fakeContext(3_000));
      console.log(`place o-1 with 3 s left: ${placed.statusCode} ${(JSON.parse(placed.body) as { item: string }).item}`);
      const read = await handler({ id: 'o-1' }, fakeContext(3_000));
      console.log(`read o-1 with 3 s left: ${read.statusCode}, quantity ${(JSON.parse(read.body) as { quantity: number }).quantity}`);

      // 200 ms left is less than the 500 ms margin: the deadline has passed, nothing is sent.
      const late = await handler({ id: 'o-2', item: 'tea' }, fakeContext(200));
      const answer = JSON.parse(late.body) as { error: string; outcome: string };
      console.log(`place o-2 with 200 ms left: ${late.statusCode} ${answer.error} (${answer.outcome})`);
      console.log(`o-2 stored: ${(await Order.get('o-2')) !== undefined}`);
    } finally {
      await deleteTable(Order, { ifExists: true });
    }
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
