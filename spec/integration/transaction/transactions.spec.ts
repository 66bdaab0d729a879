import 'reflect-metadata';
import { expect } from 'chai';
import sinon from 'sinon';
import { IsEmail, Min } from 'class-validator';
import {
  AfterCreate,
  AfterSave,
  Attribute,
  BaseModel,
  BeforeCreate,
  BeforeDelete,
  CreatedAt,
  ensureTable,
  getConnection,
  Model,
  PartitionKey,
  SortKey,
  TransactionCanceledError,
  TransactionError,
  transaction,
  transactGet,
  TTL,
  UniqueConstraintError,
  UpdatedAt,
  ValidationError,
  Version,
} from '../../../lib';
import { rejection } from '../../support/thrown';
import { localEndpoint, testCredentials } from '../../support/root-hooks';
import { Connection } from '../../../lib/connection/connection';
import { startLocalDynamo } from '../../../lib/testing';

const events: string[] = [];

@Model({ table: 'tx_products' })
class Product extends BaseModel {
  @PartitionKey() sku!: string;
  @Min(0) @Attribute({ type: Number }) stock!: number;
  @Attribute({ type: Number }) views?: number;
  @Version() version!: number;
}

@Model({ table: 'tx_orders' })
class Order extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey() orderId!: string;
  @Attribute() lines!: Array<{ sku: string; qty: number }>;
  @Attribute({ default: 'placed' }) status?: string;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
  @BeforeCreate() beforeCreate() {
    events.push(`beforeCreate ${this.orderId}`);
  }
  @AfterCreate() afterCreate() {
    events.push(`afterCreate ${this.orderId}`);
  }
  @AfterSave() afterSave() {
    events.push(`afterSave ${this.orderId}`);
  }
}

@Model({ table: 'tx_accounts' })
class Account extends BaseModel {
  @PartitionKey() id!: string;
  @IsEmail() @Attribute({ unique: true }) email!: string;
  @Attribute() name?: string;
  @Version() version!: number;
  @TTL() expiresAt?: Date;
  @BeforeDelete() beforeDelete() {
    events.push(`beforeDelete ${this.id}`);
  }
}

async function stored(model: typeof Product | typeof Order | typeof Account, key: Record<string, unknown>) {
  const conn = getConnection();
  const table = conn.tableName(model === Product ? 'tx_products' : model === Order ? 'tx_orders' : 'tx_accounts');
  return (await conn.get({ TableName: table, Key: key, ConsistentRead: true })).Item;
}

/** The order flow: an order and, per line, a stock decrement that only holds while enough is left. */
function placeOrder(customerId: string, orderId: string, lines: Array<{ sku: string; qty: number }>) {
  return transaction(async (tx) => {
    tx.create(Order.build({ customerId, orderId, lines }));
    for (const line of lines) tx.update(Product, line.sku).decrement('stock', line.qty).if('stock >= :q', { q: line.qty });
  });
}

let unique = 0;
const id = (prefix: string) => `${prefix}-${++unique}-${Date.now()}`;

describe('transactions (local DynamoDB)', () => {
  const sandbox = sinon.createSandbox();
  before(async () => {
    await Promise.all([ensureTable(Product), ensureTable(Order), ensureTable(Account)]);
  });
  beforeEach(() => {
    events.length = 0;
  });
  afterEach(() => sandbox.restore());

  describe('the order flow', () => {
    it('creates the order and takes the stock of every line in one transaction', async () => {
      const [a, b] = [id('sku'), id('sku')];
      await Product.create({ sku: a, stock: 5 });
      await Product.create({ sku: b, stock: 1 });
      const [order] = await placeOrder('c1', 'o1-' + a, [
        { sku: a, qty: 2 },
        { sku: b, qty: 1 },
      ]);
      expect(order).to.be.instanceOf(Order);
      const placed = order as Order;
      expect(placed.version).to.equal(1);
      expect(placed.createdAt).to.be.instanceOf(Date);
      expect(placed.status).to.equal('placed');
      expect(placed.isNew).to.equal(false);
      expect(events).to.deep.equal([`beforeCreate o1-${a}`, `afterCreate o1-${a}`, `afterSave o1-${a}`]);
      expect((await Product.find(a)).stock).to.equal(3);
      expect((await Product.find(b)).stock).to.equal(0);
      expect((await Product.find(b)).version).to.equal(2);
      const row = await stored(Order, { customerId: 'c1', orderId: `o1-${a}` });
      expect(row).to.include({ status: 'placed' });
      expect(Number((row as { version: { value: string } }).version.value)).to.equal(1);
    });

    it('with too little stock for one line, cancels everything: no order, no stock taken, and the reason points at that line', async () => {
      const [a, b] = [id('sku'), id('sku')];
      await Product.create({ sku: a, stock: 5 });
      await Product.create({ sku: b, stock: 1 });
      const order = Order.build({ customerId: 'c2', orderId: 'o2-' + a, lines: [] });
      const error = await rejection(
        transaction(async (tx) => {
          tx.create(order);
          tx.update(Product, a).decrement('stock', 2).if('stock >= :q', { q: 2 });
          tx.update(Product, b).decrement('stock', 3).if('stock >= :q', { q: 3 });
        }),
      );
      expect(error).to.be.instanceOf(TransactionCanceledError);
      const { reasons } = error as TransactionCanceledError;
      expect(reasons.map((r) => r.code)).to.deep.equal(['None', 'None', 'ConditionalCheckFailed']);
      expect(reasons[2]).to.deep.include({ index: 2, model: 'Product', key: { sku: b } });
      expect(reasons[2].message).to.contain('stock');
      expect((error as Error).message)
        .to.contain('operation 2 (Product.update')
        .and.contain(b);
      expect(await stored(Order, { customerId: 'c2', orderId: 'o2-' + a })).to.equal(undefined);
      expect((await Product.find(a)).stock).to.equal(5);
      expect((await Product.find(b)).stock).to.equal(1);
      // The instance is as it was before: not stored, no stamped values left behind.
      expect(order.isNew).to.equal(true);
      expect(order.version).to.equal(undefined);
      expect(order.createdAt).to.equal(undefined);
      expect(events).to.deep.equal([`beforeCreate o2-${a}`]);
    });

    it('an update of a missing item cancels with a reason that says so', async () => {
      const error = await rejection(placeOrder('c3', id('o'), [{ sku: id('missing'), qty: 1 }]));
      expect(error).to.be.instanceOf(TransactionCanceledError);
      const reason = (error as TransactionCanceledError).reasons[1];
      expect(reason.code).to.equal('ConditionalCheckFailed');
      expect(reason.message).to.contain('no item with this key');
    });
  });

  describe('versions and saves', () => {
    it('a stale save cancels the transaction, with a version conflict on its reason', async () => {
      const sku = id('sku');
      await Product.create({ sku, stock: 10 });
      const mine = await Product.find(sku);
      const theirs = await Product.find(sku);
      theirs.stock = 9;
      await theirs.save();
      mine.stock = 1;
      const other = Order.build({ customerId: 'c4', orderId: id('o'), lines: [] });
      const error = await rejection(
        transaction((tx) => {
          tx.save(mine);
          tx.create(other);
        }),
      );
      expect(error).to.be.instanceOf(TransactionCanceledError);
      const [reason, second] = (error as TransactionCanceledError).reasons;
      expect(reason).to.deep.include({ code: 'ConditionalCheckFailed', model: 'Product', index: 0 });
      expect(reason.message).to.contain('version conflict').and.contain('expected version 1').and.contain('at 2');
      expect(second.code).to.equal('None');
      expect((await Product.find(sku)).stock).to.equal(9);
      expect(mine.version).to.equal(1); // not bumped: nothing was written
      expect(await stored(Order, { customerId: 'c4', orderId: other.orderId })).to.equal(undefined);
    });

    it('save writes the changes and bumps the version; an unchanged save only checks the version', async () => {
      const [a, b] = [id('sku'), id('sku')];
      await Product.create({ sku: a, stock: 1 });
      await Product.create({ sku: b, stock: 1 });
      const changed = await Product.find(a);
      const unchanged = await Product.find(b);
      changed.stock = 7;
      const spy = sandbox.spy(getConnection(), 'transactWrite');
      const models = await transaction((tx) => {
        tx.save(changed);
        tx.save(unchanged);
      });
      expect(models).to.deep.equal([changed, unchanged]);
      expect(changed.version).to.equal(2);
      expect(unchanged.version).to.equal(1);
      const items = spy.firstCall.args[0].TransactItems!;
      expect(Object.keys(items[0])).to.deep.equal(['Update']);
      expect(Object.keys(items[1])).to.deep.equal(['ConditionCheck']);
      expect((await Product.find(a)).stock).to.equal(7);

      // The unchanged copy is now stale for a transaction that another write overtook.
      const fresh = await Product.find(b);
      fresh.stock = 2;
      await fresh.save();
      const error = await rejection(transaction((tx) => void tx.save(unchanged)));
      expect((error as TransactionCanceledError).reasons[0].code).to.equal('ConditionalCheckFailed');
    });

    it('delete is version-checked and runs its hooks; a deleted item makes a save cancel with "no longer exists"', async () => {
      const sku = id('sku');
      await Product.create({ sku, stock: 1 });
      const copy = await Product.find(sku);
      const other = await Product.find(sku);
      await transaction((tx) => tx.delete(copy));
      expect(await stored(Product, { sku })).to.equal(undefined);
      expect(copy.isNew).to.equal(true);
      other.stock = 3;
      const error = await rejection(transaction((tx) => void tx.save(other)));
      expect((error as TransactionCanceledError).reasons[0].message).to.contain('no longer exists');
    });
  });

  it('tx.save of a new model creates it; over an existing key it cancels with "exists already"', async () => {
    const sku = id('sku');
    const [created] = await transaction((tx) => void tx.save(Product.build({ sku, stock: 2 })));
    expect((created as Product).version).to.equal(1);
    const error = await rejection(transaction((tx) => void tx.save(Product.build({ sku, stock: 3 }))));
    const [reason] = (error as TransactionCanceledError).reasons;
    expect(reason).to.deep.include({ code: 'ConditionalCheckFailed', model: 'Product' });
    expect(reason.message).to.contain('exists already');
    expect((error as Error).message).to.contain('Product.create');
    expect((await Product.find(sku)).stock).to.equal(2);
  });

  describe('bad input is refused before anything is sent', () => {
    it('a callback that throws, two operations on one item, a bad token, more than 100 actions, an invalid model', async () => {
      const spy = sandbox.spy(getConnection(), 'transactWrite');
      const sku = id('sku');
      await Product.create({ sku, stock: 1 });

      const boom = new Error('boom');
      expect(
        await rejection(
          transaction((tx) => {
            tx.update(Product, sku).increment('stock');
            throw boom;
          }),
        ),
      ).to.equal(boom);

      const twice = await rejection(
        transaction((tx) => {
          tx.update(Product, sku).increment('stock');
          tx.conditionCheck(Product, sku, 'stock > :z', { z: 0 });
        }),
      );
      expect(twice).to.be.instanceOf(TransactionError);
      expect((twice as Error).message)
        .to.contain('operation 0')
        .and.contain('operation 1')
        .and.contain(sku);

      for (const token of ['', 'x'.repeat(37)]) {
        expect(await rejection(transaction(() => undefined, { token }))).to.be.instanceOf(TransactionError);
      }

      // 50 accounts with a unique email: 100 actions, the limit; 51 are 102.
      const accounts = (n: number) => Array.from({ length: n }, (_, i) => Account.build({ id: id('lim'), email: `lim${i}-${unique}@x.co` }));
      const tooMany = await rejection(transaction((tx) => accounts(51).forEach((a) => tx.create(a))));
      expect(tooMany).to.be.instanceOf(TransactionError);
      expect((tooMany as Error).message)
        .to.contain('102')
        .and.contain('51 operations')
        .and.contain('51 unique-guard');

      const invalid = Account.build({ id: id('inv'), email: 'not an email' });
      expect(await rejection(transaction((tx) => void tx.create(invalid)))).to.be.instanceOf(ValidationError);
      expect(await rejection(transaction((tx) => void tx.update(Product, sku).set('stock', 'x' as never)))).to.be.instanceOf(ValidationError);

      expect(spy.callCount).to.equal(0);
      expect((await Product.find(sku)).stock).to.equal(1);
      expect(await Account.get(invalid.id)).to.equal(undefined);
    });

    it('exactly 100 actions, guards included, go through', async () => {
      const accounts = Array.from({ length: 50 }, (_, i) => Account.build({ id: id('hundred'), email: `hundred${i}-${unique}@x.co` }));
      const models = await transaction((tx) => accounts.forEach((a) => tx.create(a)));
      expect(models).to.have.length(50);
      expect(
        (
          await Account.batchGet(
            accounts.map((a) => a.id),
            { consistent: true },
          )
        ).length,
      ).to.equal(50);
    });

    it('an update builder of a transaction cannot be sent on its own: the transaction sends it, once', async () => {
      const sku = id('sku');
      await Product.create({ sku, stock: 1 });
      let escaped: Promise<unknown> | undefined;
      await transaction((tx) => {
        escaped = rejection(tx.update(Product, sku).increment('stock').execute());
      });
      expect(await escaped).to.be.instanceOf(TransactionError);
      expect((await Product.find(sku)).stock).to.equal(2);
    });

    it('an operation added after the callback returned is refused', async () => {
      let kept: Parameters<Parameters<typeof transaction>[0]>[0] | undefined;
      await transaction((tx) => {
        kept = tx;
      });
      expect(() => kept!.conditionCheck(Product, 'x', 'attribute_exists(sku)')).to.throw(TransactionError, 'already sent');
    });
  });

  describe('unique attributes inside transactions', () => {
    it('a taken value cancels with code UniqueConstraint on the operation that takes it', async () => {
      const email = `${id('taken')}@x.co`;
      await Account.create({ id: id('acc'), email });
      const sku = id('sku');
      await Product.create({ sku, stock: 1 });
      const error = await rejection(
        transaction((tx) => {
          tx.update(Product, sku).increment('stock');
          tx.create(Account.build({ id: id('acc'), email }));
        }),
      );
      expect(error).to.be.instanceOf(TransactionCanceledError);
      const reasons = (error as TransactionCanceledError).reasons;
      expect(reasons).to.have.length(2); // guards are folded into their operation
      expect(reasons[0].code).to.equal('None');
      expect(reasons[1]).to.deep.include({ index: 1, model: 'Account', code: 'UniqueConstraint', attribute: 'email' });
      expect((await Product.find(sku)).stock).to.equal(1);
    });

    it('two creates with one value in a transaction are a UniqueConstraintError before sending', async () => {
      const email = `${id('twice')}@x.co`;
      const spy = sandbox.spy(getConnection(), 'transactWrite');
      const error = await rejection(
        transaction((tx) => {
          tx.create(Account.build({ id: id('acc'), email }));
          tx.create(Account.build({ id: id('acc'), email }));
        }),
      );
      expect(error).to.be.instanceOf(UniqueConstraintError);
      expect((error as UniqueConstraintError).attribute).to.equal('email');
      expect(spy.callCount).to.equal(0);
    });

    it('two accounts swap emails in one transaction; each old value is then owned by the other', async () => {
      const [x, y] = [`${id('swapx')}@x.co`, `${id('swapy')}@x.co`];
      const a = await Account.create({ id: id('a'), email: x });
      const b = await Account.create({ id: id('b'), email: y });
      // A third email on the way, so neither value is ever free in between.
      const spare = `${id('spare')}@x.co`;
      await transaction((tx) => {
        a.email = y;
        b.email = spare;
        tx.save(a);
        tx.save(b);
      });
      await transaction((tx) => {
        b.email = x;
        tx.save(b);
      });
      expect((await Account.find(a.id)).email).to.equal(y);
      expect((await Account.find(b.id)).email).to.equal(x);
      // Taken values stay taken, the spare one is free again.
      expect(await rejection(Account.create({ id: id('c'), email: x }))).to.be.instanceOf(UniqueConstraintError);
      expect(await rejection(Account.create({ id: id('c'), email: y }))).to.be.instanceOf(UniqueConstraintError);
      await Account.create({ id: id('c'), email: spare });
    });

    it("a direct swap (a takes b's value while b takes a's) is one takeover per guard", async () => {
      const [x, y] = [`${id('dx')}@x.co`, `${id('dy')}@x.co`];
      const a = await Account.create({ id: id('a'), email: x });
      const b = await Account.create({ id: id('b'), email: y });
      a.email = y;
      b.email = x;
      await transaction((tx) => {
        tx.save(a);
        tx.save(b);
      });
      expect((await Account.find(a.id)).email).to.equal(y);
      expect((await Account.find(b.id)).email).to.equal(x);
      await a.delete();
      await Account.create({ id: id('c'), email: y }); // freed with a
      expect(await rejection(Account.create({ id: id('c'), email: x }))).to.be.instanceOf(UniqueConstraintError);
    });

    it('tx.delete frees the values, with the delete hooks run once', async () => {
      const email = `${id('del')}@x.co`;
      const account = await Account.create({ id: id('acc'), email });
      events.length = 0;
      await transaction((tx) => tx.delete(account));
      expect(events).to.deep.equal([`beforeDelete ${account.id}`]);
      await Account.create({ id: id('acc'), email });
    });

    it('two concurrent creates with one email: exactly one succeeds; a change and a delete free it', async () => {
      const email = `${id('race')}@x.co`;
      const results = await Promise.allSettled([Account.create({ id: id('r1'), email }), Account.create({ id: id('r2'), email })]);
      expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
      const rejected = results.find((r) => r.status === 'rejected')!;
      expect(rejected.reason).to.be.instanceOf(UniqueConstraintError);
      const winner = results.find((r) => r.status === 'fulfilled')!.value;
      winner.email = `${id('moved')}@x.co`;
      await winner.save();
      const second = await Account.create({ id: id('r3'), email });
      await second.delete();
      await Account.create({ id: id('r4'), email });
    });
  });

  describe('idempotency tokens', () => {
    it('the same token twice applies once, without running the callback or hooks again, and resolves to the same models', async () => {
      const sku = id('sku');
      await Product.create({ sku, stock: 0 });
      const token = id('token');
      const callback = sinon.spy((tx: Parameters<Parameters<typeof transaction>[0]>[0]) => {
        tx.create(Order.build({ customerId: 'c5', orderId: token, lines: [{ sku, qty: 1 }] }));
        tx.update(Product, sku).increment('stock');
      });
      const spy = sandbox.spy(getConnection(), 'transactWrite');
      const first = await transaction(callback, { token });
      events.length = 0;
      const second = await transaction(callback, { token });
      expect(callback.callCount).to.equal(1);
      expect(events).to.deep.equal([]);
      expect(second).to.equal(first);
      expect(spy.callCount).to.equal(2);
      expect(spy.secondCall.args[0]).to.deep.equal(spy.firstCall.args[0]);
      expect(spy.firstCall.args[0].ClientRequestToken).to.equal(token);
      expect((await Product.find(sku)).stock).to.equal(1);
      expect((first[0] as Order).version).to.equal(1);
    });

    it('a token whose transaction was cancelled runs the callback afresh on the next call', async () => {
      const sku = id('sku');
      await Product.create({ sku, stock: 0 });
      const token = id('token');
      const attempt = () => transaction((tx) => void tx.update(Product, sku).decrement('stock').if('stock >= :one', { one: 1 }), { token });
      expect(await rejection(attempt())).to.be.instanceOf(TransactionCanceledError);
      await Product.update(sku).increment('stock').execute();
      await attempt();
      expect((await Product.find(sku)).stock).to.equal(0);
    });
    describe('tokens belong to the connection that sent them', () => {
      type Tx = Parameters<Parameters<typeof transaction>[0]>[0];
      // One event fanned out to partners: each partner's order and stock, under one token.
      const place = (customerId: string, orderId: string, sku: string) =>
        sinon.spy((tx: Tx) => {
          tx.create(Order.build({ customerId, orderId, lines: [{ sku, qty: 1 }] }));
          tx.update(Product, sku).increment('stock');
        });
      const orderKey = (customerId: string, orderId: string) => ({ customerId, orderId });

      it('another account (its own server) and tablePrefix: both callbacks run, each write lands in its own tables, each resolves to its own models; repeats replay', async () => {
        const account = await startLocalDynamo({ ttlSweepMs: 60_000 });
        const other = new Connection({ region: 'local', endpoint: account.endpoint, credentials: testCredentials, tablePrefix: 'tx2_' });
        try {
          await other.run(() => Promise.all([ensureTable(Product), ensureTable(Order)]));
          const token = id('event');
          const sku = id('sku');
          await Product.create({ sku, stock: 0 });
          await other.run(() => Product.create({ sku, stock: 10 }));
          const [forA, forB] = [place('partner-a', token, sku), place('partner-b', token, sku)];

          const [orderA] = (await transaction(forA, { token })) as Order[];
          const [orderB] = (await other.run(() => transaction(forB, { token }))) as Order[];
          expect([forA.callCount, forB.callCount]).to.deep.equal([1, 1]);
          expect([orderA.customerId, orderB.customerId]).to.deep.equal(['partner-a', 'partner-b']);

          expect(await Order.get(orderKey('partner-a', token), { consistent: true })).to.be.instanceOf(Order);
          expect(await Order.get(orderKey('partner-b', token), { consistent: true })).to.equal(undefined);
          expect(await other.run(() => Order.get(orderKey('partner-b', token), { consistent: true }))).to.be.instanceOf(Order);
          expect(await other.run(() => Order.get(orderKey('partner-a', token), { consistent: true }))).to.equal(undefined);
          expect((await Product.find(sku, { consistent: true })).stock).to.equal(1);
          expect((await other.run(() => Product.find(sku, { consistent: true }))).stock).to.equal(11);

          // A repeat on each connection replays its own request: no callback, applied once, its own models.
          expect(await transaction(forA, { token })).to.deep.equal([orderA]);
          expect(await other.run(() => transaction(forB, { token }))).to.deep.equal([orderB]);
          expect([forA.callCount, forB.callCount]).to.deep.equal([1, 1]);
          expect((await Product.find(sku, { consistent: true })).stock).to.equal(1);
          expect((await other.run(() => Product.find(sku, { consistent: true }))).stock).to.equal(11);
        } finally {
          other.close();
          await account.stop();
        }
      });

      it('another tablePrefix in the same account: its callback runs and its own input is sent, which DynamoDB refuses as IdempotentParameterMismatch; nothing written there', async () => {
        const other = new Connection({ region: 'local', endpoint: localEndpoint(), credentials: testCredentials, tablePrefix: 'tx3_' });
        try {
          await other.run(() => Promise.all([ensureTable(Product), ensureTable(Order)]));
          const token = id('event');
          const sku = id('sku');
          await Product.create({ sku, stock: 0 });
          await other.run(() => Product.create({ sku, stock: 10 }));
          const [forA, forB] = [place('partner-a', token, sku), place('partner-b', token, sku)];
          const spy = sandbox.spy(other, 'transactWrite');

          const [orderA] = (await transaction(forA, { token })) as Order[];
          // DynamoDB scopes a token to the account: the other prefix's request is not the first one.
          const error = await rejection(other.run(() => transaction(forB, { token })));
          expect(error).to.be.instanceOf(TransactionError);
          expect((error as Error).message).to.contain('used for a different transaction');
          expect(forB.callCount).to.equal(1);
          const sent = spy.firstCall.args[0] as { TransactItems: Array<Record<string, { TableName: string }>> };
          expect(sent.TransactItems.map((a) => Object.values(a)[0].TableName)).to.deep.equal(['tx3_tx_orders', 'tx3_tx_products']);
          expect(await other.run(() => Order.get(orderKey('partner-b', token), { consistent: true }))).to.equal(undefined);
          expect((await other.run(() => Product.find(sku, { consistent: true }))).stock).to.equal(10);
          // The first connection's transaction is intact and still replays.
          expect(await transaction(forA, { token })).to.deep.equal([orderA]);
          expect(forA.callCount).to.equal(1);
          expect((await Product.find(sku, { consistent: true })).stock).to.equal(1);
        } finally {
          other.close();
        }
      });
    });
  });

  describe('transactGet', () => {
    it('reads several models in key order: instances of the right classes, undefined for missing and expired items', async () => {
      const sku = id('sku');
      await Product.create({ sku, stock: 4 });
      const orderId = id('o');
      await Order.create({ customerId: 'c6', orderId, lines: [] });
      const expired = await Account.create({ id: id('exp'), email: `${id('exp')}@x.co`, expiresAt: new Date(Date.now() - 60_000) });
      const [order, missing, product, gone, again] = await transactGet([
        Order.key({ customerId: 'c6', orderId }),
        Product.key(id('none')),
        Product.key(sku),
        Account.key(expired.id),
        Product.key(sku),
      ]);
      expect(order).to.be.instanceOf(Order);
      expect(order?.orderId).to.equal(orderId);
      expect(missing).to.equal(undefined);
      expect(product).to.be.instanceOf(Product);
      expect(product?.stock).to.equal(4);
      expect(gone).to.equal(undefined);
      expect(again).to.equal(product);
    });

    it('refuses more than 100 keys and keys missing a part, before sending', async () => {
      const spy = sandbox.spy(getConnection(), 'transactGet');
      const keys = Array.from({ length: 101 }, (_, i) => Product.key(`k${i}`));
      expect(await rejection(transactGet(keys))).to.be.instanceOf(TransactionError);
      expect(() => Order.key({ customerId: 'c' })).to.throw(ValidationError);
      expect(spy.callCount).to.equal(0);
    });
  });
});
