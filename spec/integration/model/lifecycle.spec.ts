import 'reflect-metadata';
import { expect } from 'chai';
import { IsEmail, Min } from 'class-validator';
import {
  AfterCreate,
  AfterDelete,
  AfterLoad,
  AfterSave,
  AfterUpdate,
  Attribute,
  BaseModel,
  BeforeCreate,
  BeforeDelete,
  BeforeSave,
  BeforeUpdate,
  BeforeValidate,
  CreatedAt,
  ensureTable,
  getConnection,
  Index,
  ItemExistsError,
  ItemNotFoundError,
  Model,
  ModelDefinitionError,
  PartitionKey,
  TTL,
  UniqueConstraintError,
  UpdatedAt,
  ValidationError,
  Version,
  VersionConflictError,
} from '../../../lib';

const events: string[] = [];

class Audited extends BaseModel {
  @BeforeValidate() a1() {
    events.push('base:beforeValidate');
  }
  @BeforeSave() a2() {
    events.push('base:beforeSave');
  }
}

@Model({ table: 'life_accounts' })
class Account extends Audited {
  @PartitionKey() id!: string;
  @IsEmail() @Index('gsi-email', 'pk', { unique: true }) email!: string;
  @Min(0) @Attribute({ type: Number }) balance!: number;
  @Attribute({ default: 'active' }) status?: string;
  @Attribute() note?: string;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
  @TTL() expiresAt?: Date;

  @BeforeValidate() h1() {
    events.push(`beforeValidate status=${this.status} version=${this.version}`);
  }
  @BeforeCreate() h2() {
    events.push('beforeCreate');
  }
  @BeforeUpdate() h3() {
    events.push('beforeUpdate');
  }
  @BeforeSave() h4() {
    events.push(`beforeSave updatedAt=${this.updatedAt === undefined ? 'unset' : 'set'}`);
  }
  @AfterCreate() h5() {
    events.push(`afterCreate version=${this.version}`);
  }
  @AfterUpdate() h6() {
    events.push(`afterUpdate version=${this.version}`);
  }
  @AfterSave() h7() {
    events.push('afterSave');
  }
  @BeforeDelete() h8() {
    events.push('beforeDelete');
  }
  @AfterDelete() h9() {
    events.push('afterDelete');
  }
  @AfterLoad() h10() {
    events.push('afterLoad');
  }
}

async function rawItem(id: string): Promise<Record<string, unknown> | undefined> {
  const conn = getConnection();
  return (await conn.get({ TableName: conn.tableName('life_accounts'), Key: { id }, ConsistentRead: true })).Item;
}

let seq = 0;
const nextId = () => `acct-${++seq}`;

describe('model lifecycle (local DynamoDB)', () => {
  before(async () => {
    await ensureTable(Account);
  });
  beforeEach(() => {
    events.length = 0;
  });

  it('runs the hook pipeline in order on create, update and delete', async () => {
    const id = nextId();
    const account = await Account.create({ id, email: `${id}@x.io`, balance: 1 });
    expect(events).to.deep.equal([
      'base:beforeValidate',
      'beforeValidate status=active version=undefined',
      'beforeCreate',
      'base:beforeSave',
      'beforeSave updatedAt=unset',
      'afterCreate version=1',
      'afterSave',
    ]);
    events.length = 0;
    const loaded = await Account.find(id);
    expect(events).to.deep.equal(['afterLoad']);
    events.length = 0;
    await loaded.update({ balance: 2 });
    expect(events).to.deep.equal([
      'base:beforeValidate',
      'beforeValidate status=active version=1',
      'beforeUpdate',
      'base:beforeSave',
      'beforeSave updatedAt=set',
      'afterUpdate version=2',
      'afterSave',
    ]);
    events.length = 0;
    await loaded.delete();
    expect(events).to.deep.equal(['beforeDelete', 'afterDelete']);
    expect(account.version).to.equal(1);
  });

  it('sets createdAt once, updatedAt on every write, version +1 per write', async () => {
    const id = nextId();
    const account = await Account.create({ id, email: `${id}@x.io`, balance: 1 });
    const created = account.createdAt;
    expect(account.updatedAt.getTime()).to.equal(created.getTime());
    await new Promise((r) => setTimeout(r, 5));
    await account.update({ balance: 3 });
    const stored = await rawItem(id);
    expect(stored?.createdAt).to.equal(created.toISOString());
    expect(String(stored?.updatedAt) > created.toISOString()).to.equal(true);
    expect(Number(String(stored?.version))).to.equal(2);
  });

  describe('bad input: typed error, nothing written', () => {
    it('validation failure', async () => {
      const id = nextId();
      const err = await Account.create({ id, email: 'not-an-email', balance: -1 }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as Error).message)
        .to.contain('email must be an email')
        .and.contain('balance must not be less than 0');
      expect((err as ValidationError).errors.map((e) => e.property).sort()).to.deep.equal(['balance', 'email']);
      expect(await rawItem(id)).to.equal(undefined);
    });

    it('NaN and Infinity', async () => {
      for (const balance of [NaN, Infinity]) {
        const id = nextId();
        const err = await Account.create({ id, email: `${id}@x.io`, balance }, { validate: false }).catch((e: unknown) => e);
        expect(err).to.be.instanceOf(ValidationError);
        expect((err as Error).message)
          .to.contain('Account.balance')
          .and.contain('not a finite number');
        expect(await rawItem(id)).to.equal(undefined);
      }
    });

    it('an empty or missing table key', async () => {
      for (const id of ['', undefined]) {
        const err = await Account.create({ id, email: 'k@x.io', balance: 1 }).catch((e: unknown) => e);
        expect(err).to.be.instanceOf(ValidationError);
        expect((err as Error).message).to.contain('Account.id is a table key');
      }
      const conn = getConnection();
      const scan = await conn.scan({
        TableName: conn.tableName('life_accounts'),
        FilterExpression: '#e = :e',
        ExpressionAttributeNames: { '#e': 'email' },
        ExpressionAttributeValues: { ':e': 'k@x.io' },
      });
      expect(scan.Items).to.deep.equal([]);
    });

    it('unknown properties passed to build and update', async () => {
      expect(() => Account.build({ id: 'x', emial: 'a@b.co' } as never)).to.throw(ValidationError, "'emial' is not a property of Account");
      const id = nextId();
      const account = await Account.create({ id, email: `${id}@x.io`, balance: 1 });
      const err = await account.update({ balanse: 5 } as never).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ValidationError);
      expect(Number(String((await rawItem(id))?.version))).to.equal(1);
    });

    it('an item over 400 KB', async () => {
      const id = nextId();
      const err = await Account.create({ id, email: `${id}@x.io`, balance: 1, note: 'é'.repeat(210 * 1024) }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as Error).message).to.match(/over DynamoDB's limit of 409600/);
      expect(await rawItem(id)).to.equal(undefined);
    });

    it('create of an existing key', async () => {
      const id = nextId();
      await Account.create({ id, email: `${id}@x.io`, balance: 1 });
      const err = await Account.create({ id, email: `${id}-2@x.io`, balance: 9 }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ItemExistsError);
      expect((err as Error).message).to.contain(`id="${id}"`);
      expect(Number(String((await rawItem(id))?.balance))).to.equal(1);
    });

    it('find of a missing key', async () => {
      const err = await Account.find('missing-key').catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ItemNotFoundError);
      expect(await Account.get('missing-key')).to.equal(undefined);
    });

    it('a stale version on save and on delete', async () => {
      const id = nextId();
      await Account.create({ id, email: `${id}@x.io`, balance: 1 });
      const first = await Account.find(id);
      const second = await Account.find(id);
      await first.update({ balance: 2 });
      const saveErr = await second.update({ balance: 3 }).catch((e: unknown) => e);
      expect(saveErr).to.be.instanceOf(VersionConflictError);
      expect((saveErr as Error).message).to.contain('expected version 1');
      const deleteErr = await second.delete().catch((e: unknown) => e);
      expect(deleteErr).to.be.instanceOf(VersionConflictError);
      const stored = await rawItem(id);
      expect(Number(String(stored?.balance))).to.equal(2);
      expect(Number(String(stored?.version))).to.equal(2);
    });

    it('save of an item deleted meanwhile', async () => {
      const id = nextId();
      const account = await Account.create({ id, email: `${id}@x.io`, balance: 1 });
      await (await Account.find(id)).delete();
      const err = await account.update({ balance: 5 }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ItemNotFoundError);
      expect(await rawItem(id)).to.equal(undefined);
    });

    it('changing a key of a loaded item', async () => {
      const id = nextId();
      const account = await Account.create({ id, email: `${id}@x.io`, balance: 1 });
      account.id = `${id}-moved`;
      const err = await account.save().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as Error).message).to.contain('delete the item and create a new one'.replace('delete', 'Delete'));
      expect(await rawItem(`${id}-moved`)).to.equal(undefined);
    });

    it('attributes lost to class-field semantics in new Model({...})', async () => {
      const id = nextId();
      const account = new Account({ id, email: `${id}@x.io`, balance: 1 });
      const err = await account.save().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ModelDefinitionError);
      expect((err as Error).message).to.contain('Account.build');
      expect(await rawItem(id)).to.equal(undefined);
    });
  });

  describe('unique attributes', () => {
    it('refuses a taken value, moves the guard on change and frees it on delete', async () => {
      const a = await Account.create({ id: nextId(), email: 'taken@x.io', balance: 1 });
      const err = await Account.create({ id: nextId(), email: 'taken@x.io', balance: 1 }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(UniqueConstraintError);
      expect((err as UniqueConstraintError).attribute).to.equal('email');
      expect((err as Error).message).to.contain('taken@x.io');

      await a.update({ email: 'moved@x.io' });
      const b = await Account.create({ id: nextId(), email: 'taken@x.io', balance: 1 });
      const again = await Account.create({ id: nextId(), email: 'moved@x.io', balance: 1 }).catch((e: unknown) => e);
      expect(again).to.be.instanceOf(UniqueConstraintError);

      await a.delete();
      const c = await Account.create({ id: nextId(), email: 'moved@x.io', balance: 1 });
      expect(c.isNew).to.equal(false);
      expect(b.email).to.equal('taken@x.io');
    });
  });

  describe('TTL', () => {
    it('stores epoch seconds, hides expired items and lets create replace them', async () => {
      const id = nextId();
      const expiresAt = new Date(Date.now() - 60_000);
      await Account.create({ id, email: `${id}@x.io`, balance: 1, expiresAt });
      const stored = await rawItem(id);
      expect(Number(String(stored?.expiresAt))).to.equal(Math.floor(expiresAt.getTime() / 1000));
      // The local server's sweeper may delete it any moment; either way dynamorm hides it.
      expect(await Account.get(id)).to.equal(undefined);
      const err = await Account.find(id).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ItemNotFoundError);
      const replaced = await Account.create({ id, email: `${id}-new@x.io`, balance: 2 });
      expect(replaced.version).to.equal(1);
      expect((await Account.find(id)).balance).to.equal(2);
    });
  });

  it('20 concurrent read-increment-save loops end at exactly 20', async () => {
    const id = nextId();
    await Account.create({ id, email: `${id}@x.io`, balance: 0 });
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (;;) {
          const account = await Account.find(id, { consistent: true });
          account.balance += 1;
          try {
            await account.save();
            return;
          } catch (error) {
            if (!(error instanceof VersionConflictError)) throw error;
            conflicts += 1;
          }
        }
      }),
    );
    const final = await Account.find(id, { consistent: true });
    expect(final.balance).to.equal(20);
    expect(final.version).to.equal(21);
    expect(conflicts).to.be.greaterThan(0);
  });
});
