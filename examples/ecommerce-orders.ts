// E-commerce orders: a transaction that places an order and reserves its stock, a failed
// order that changes nothing, a page-view counter, and a bulk import with batchCreate.
//
//   npx tsx examples/ecommerce-orders.ts                       (embedded local server)
//   DYNAMODB_ENDPOINT=http://127.0.0.1:8000 npx tsx examples/ecommerce-orders.ts
import {
  Attribute,
  BaseModel,
  CreatedAt,
  Model,
  PartitionKey,
  SortKey,
  TransactionCanceledError,
  Version,
  deleteTable,
  ensureTable,
  transaction,
  transactGet,
} from 'dynamorm';
import { withDynamo } from './support/local';

@Model({ table: 'shop_products' })
export class Product extends BaseModel {
  @PartitionKey() sku!: string;
  @Attribute() name!: string;
  @Attribute({ type: Number }) priceCents!: number;
  @Attribute({ type: Number }) stock!: number;
  @Version() version!: number;
}

interface OrderLine {
  sku: string;
  qty: number;
}

@Model({ table: 'shop_orders' })
export class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey() orderId!: string;
  @Attribute() lines!: OrderLine[];
  @Attribute({ type: Number }) totalCents!: number;
  @Attribute({ default: 'placed' }) status!: string;
  @CreatedAt() createdAt!: Date;
}

@Model({ table: 'shop_counters' })
export class Counter extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ type: Number }) count!: number;
}

/**
 * Places an order: the order is created and every line's stock is decremented in one
 * transaction, each decrement only if enough stock is left. All of it happens, or none.
 */
export async function placeOrder(customerId: string, orderId: string, lines: OrderLine[]): Promise<Order> {
  const products = await transactGet(lines.map((line) => Product.key(line.sku)));
  const totalCents = lines.reduce((sum, line, i) => sum + (products[i]?.priceCents ?? 0) * line.qty, 0);
  const [order] = await transaction(
    (tx) => {
      tx.create(Order.build({ customerId, orderId, lines, totalCents }));
      for (const line of lines) {
        tx.update(Product, line.sku).decrement('stock', line.qty).if('stock >= :qty', { qty: line.qty });
      }
    },
    { token: `order-${customerId}-${orderId}` }, // a retry of the same order is applied once
  );
  return order as Order;
}

async function stockOf(...skus: string[]): Promise<string> {
  const products = await Product.batchGet(skus, { consistent: true });
  return products.map((p) => `${p.sku} ${p.stock}`).join(', ');
}

export async function main(): Promise<void> {
  await withDynamo(async () => {
    await Promise.all([ensureTable(Product), ensureTable(Order), ensureTable(Counter)]);
    try {
      // Bulk import: batchCreate splits into requests of 25 and retries what DynamoDB leaves
      // unprocessed. Product has @Version, so the overwrite of existing items is said aloud.
      const catalog = Array.from({ length: 60 }, (_, i) => ({
        sku: `sku-${String(i + 1).padStart(3, '0')}`,
        name: `Product ${i + 1}`,
        priceCents: 500 + i * 25,
        stock: i === 1 ? 1 : 10,
      }));
      const imported = await Product.batchCreate(catalog, { overwrite: true });
      console.log(`imported ${imported.length} products with batchCreate (version ${imported[0].version} each)`);

      // An order that fits: the order and both stock decrements commit together.
      const order = await placeOrder('cust-1', 'ord-1', [
        { sku: 'sku-001', qty: 3 },
        { sku: 'sku-002', qty: 1 },
      ]);
      console.log(`placed ${order.orderId}: total ${order.totalCents} cents, status ${order.status}, createdAt is a Date: ${order.createdAt instanceof Date}`);
      console.log(`stock after ord-1: ${await stockOf('sku-001', 'sku-002')}`);

      // The same order again (a retried request): the token makes it apply once.
      await placeOrder('cust-1', 'ord-1', [
        { sku: 'sku-001', qty: 3 },
        { sku: 'sku-002', qty: 1 },
      ]);
      console.log(`ord-1 retried with its token: stock still ${await stockOf('sku-001', 'sku-002')}`);

      // An order that does not fit: sku-002 is sold out, so nothing at all is written.
      try {
        await placeOrder('cust-2', 'ord-2', [
          { sku: 'sku-003', qty: 2 },
          { sku: 'sku-002', qty: 1 },
        ]);
      } catch (error) {
        if (!(error instanceof TransactionCanceledError)) throw error;
        const failed = error.reasons.find((r) => r.code !== 'None')!;
        console.log(`ord-2 cancelled: operation ${failed.index} (${failed.model} ${JSON.stringify(failed.key)}) ${failed.code}`);
      }
      console.log(
        `after ord-2: order exists ${(await Order.get({ customerId: 'cust-2', orderId: 'ord-2' })) !== undefined}, stock ${await stockOf('sku-003', 'sku-002')}`,
      );

      // A page-view counter: atomic increments, no read first; concurrent ones never collide.
      await Promise.all(Array.from({ length: 20 }, () => Counter.update('home').increment('count').upsert().execute()));
      console.log(`page views of home after 20 concurrent increments: ${(await Counter.find('home', { consistent: true })).count}`);
    } finally {
      await Promise.all([deleteTable(Product, { ifExists: true }), deleteTable(Order, { ifExists: true }), deleteTable(Counter, { ifExists: true })]);
    }
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
