import 'reflect-metadata';
import { expect } from 'chai';
import { IsEmail, Min } from 'class-validator';
import {
  AfterCreate,
  Attribute,
  BaseModel,
  BeforeCreate,
  ensureTable,
  Model,
  PartitionKey,
  UniqueConstraintError,
  ValidationError,
  Version,
} from '../../../lib';
import { factory } from '../../../lib/testing';

const created: string[] = [];

@Model({ table: 'fx_int_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute({ unique: true }) @IsEmail() email!: string;
  @Attribute() handle?: string;
  @Attribute({ type: Number }) @Min(0) age!: number;
  @Version() version!: number;

  @BeforeCreate() defaultHandle(): void {
    this.handle ??= this.email.split('@')[0];
  }

  @AfterCreate() record(): void {
    created.push(this.id);
  }
}

describe('factory (local server)', () => {
  before(() => ensureTable(User));
  beforeEach(() => (created.length = 0));

  const users = factory(User, (n) => ({ id: `fx-${n}`, email: `fx${n}@example.com`, age: n }));

  it('create() stores the instance through the model’s create, hooks included', async () => {
    const user = await users.create({ age: 40 });
    const stored = await User.find(user.id);
    expect(stored).to.include({ email: user.email, age: 40, version: 1, handle: user.email.split('@')[0] });
    expect(created).to.deep.equal([user.id]);
  });

  it('create() validates as the model does', async () => {
    let error: unknown;
    await users.create({ age: -1 }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(ValidationError);
  });

  it('createMany() stores every item with its unique guard, hooks run, values never colliding', async () => {
    const many = await users.createMany(60, { handle: 'batch' });
    expect(new Set(many.map((u) => u.email)).size).to.equal(60);
    expect(created).to.deep.equal(many.map((u) => u.id));
    const stored = await User.batchGet(many.map((u) => u.id));
    expect(stored.map((u) => u.id)).to.deep.equal(many.map((u) => u.id));
    expect(stored.every((u) => u.handle === 'batch' && u.version === 1)).to.equal(true);
    expect((await User.scan().all()).every((u) => u.id.startsWith('fx-'))).to.equal(true); // guard items stay invisible to reads

    // the guards are real: another user cannot take a factory's email
    let error: unknown;
    await User.create({ id: 'intruder', email: many[0].email, age: 1 }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(UniqueConstraintError);
  });

  it('overrides apply per call', async () => {
    const [a, b] = await users.createMany(2, { age: 7 });
    const c = await users.create();
    expect([a.age, b.age, c.age]).to.deep.equal([7, 7, users.sequence]);
  });
});
