// User management: a unique email (guarded through a GSI-backed unique index), validation
// with class-validator, hooks, timestamps, optimistic locking with @Version, and an
// invitation that expires through @TTL.
//
//   npx tsx examples/user-management.ts
//   DYNAMODB_ENDPOINT=http://127.0.0.1:8000 npx tsx examples/user-management.ts
import 'reflect-metadata';
import { IsEmail, IsIn, Min } from 'class-validator';
import {
  AfterCreate,
  Attribute,
  BaseModel,
  BeforeSave,
  CreatedAt,
  Index,
  Model,
  PartitionKey,
  TTL,
  UniqueConstraintError,
  UpdatedAt,
  ValidationError,
  Version,
  VersionConflictError,
  deleteTable,
  ensureTable,
} from 'dynamorm';
import { withDynamo } from './support/local';

export interface Profile {
  bio?: string;
  locale?: string;
}

const STATUSES = ['invited', 'active', 'deactivated'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

@Model({ table: 'users' })
export class User extends BaseModel {
  @PartitionKey() id!: string;
  @Index('gsi-email', 'pk', { unique: true }) @IsEmail() email!: string;
  @Attribute() name!: string;
  @Attribute({ type: Number }) @Min(0) age!: number;
  @Attribute({ default: 'invited' }) @IsIn(STATUSES) status!: (typeof STATUSES)[number];
  @Attribute({ set: true }) tags?: Set<string>;
  @Attribute({ json: true }) profile?: Profile;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
  /** A pending invitation expires: DynamoDB deletes the item after this time. */
  @TTL() invitationExpiresAt?: Date;

  @BeforeSave()
  normaliseEmail(): void {
    this.email = this.email.trim().toLowerCase();
  }

  @AfterCreate()
  logCreated(): void {
    console.log(`  [AfterCreate] welcome mail queued for ${this.email}`);
  }
}

/** Runs `action`, expecting it to fail with `errorClass`; returns the error. */
async function expectFailure<E extends Error>(errorClass: new (...args: never[]) => E, action: () => Promise<unknown>): Promise<E> {
  try {
    await action();
  } catch (error) {
    if (error instanceof errorClass) return error;
    throw error;
  }
  throw new Error(`expected ${errorClass.name}, but the call succeeded`);
}

export async function main(): Promise<void> {
  await withDynamo(async () => {
    await ensureTable(User);
    console.log('ensureTable(User): users table with gsi-email and TTL on invitationExpiresAt');

    try {
      // 1. Invite a user: the e-mail is stored lower-case by the @BeforeSave hook.
      const ann = await User.create({
        id: 'u-ann',
        email: 'Ann@Example.COM',
        name: 'Ann',
        age: 34,
        tags: new Set(['admin', 'beta']),
        profile: { bio: 'Runs the platform team', locale: 'en-GB' },
        invitationExpiresAt: new Date(Date.now() + 7 * DAY_MS),
      });
      console.log(`registered ${ann.id}: email ${ann.email}, status ${ann.status}, version ${ann.version}, tags ${[...(ann.tags ?? [])].join('+')}`);

      // 2. The same e-mail, in another case, is refused by the unique guard.
      const duplicate = await expectFailure(UniqueConstraintError, () => User.create({ id: 'u-impostor', email: 'ANN@example.com', name: 'Not Ann', age: 30 }));
      console.log(`duplicate email: ${duplicate.name} on '${duplicate.attribute}'`);
      console.log(`  u-impostor stored: ${(await User.get('u-impostor')) !== undefined}`);

      // 3. class-validator runs before every write; nothing is written on failure.
      const invalid = await expectFailure(ValidationError, () => User.create({ id: 'u-bad', email: 'not-an-email', name: 'Bad', age: 20 }));
      console.log(`invalid email: ${invalid.name}: ${invalid.message}`);
      const negative = await expectFailure(ValidationError, () => User.create({ id: 'u-young', email: 'young@example.com', name: 'Young', age: -1 }));
      console.log(`negative age: ${negative.name} (${negative.errors.map((e) => e.property).join(', ')})`);

      // 4. Accepting the invitation: activate and clear the expiry (the attribute is removed).
      const loaded = await User.find('u-ann');
      console.log(`loaded: profile ${JSON.stringify(loaded.profile)}, invitation expires ${loaded.invitationExpiresAt?.toISOString().slice(0, 10)}`);
      await loaded.update({ status: 'active', invitationExpiresAt: undefined });
      const active = await User.find('u-ann');
      console.log(
        `activated: status ${active.status}, version ${active.version}, invitation expiry ${active.invitationExpiresAt?.toISOString() ?? 'none'}, updatedAt > createdAt: ${active.updatedAt > active.createdAt}`,
      );

      // 5. Optimistic locking: two copies of the same user, both edited; the second save loses.
      const first = await User.find('u-ann');
      const second = await User.find('u-ann');
      first.name = 'Ann Admin';
      await first.save();
      second.age = 35;
      const conflict = await expectFailure(VersionConflictError, () => second.save());
      console.log(`stale copy: first save -> version ${first.version}; second save -> ${conflict.name}`);
      await second.reload();
      second.age = 35;
      await second.save();
      console.log(`after reload the second copy saves: name ${second.name}, age ${second.age}, version ${second.version}`);

      // 6. Changing the e-mail moves the unique guard: the old address is free again.
      await second.update({ email: 'ann@newcorp.example' });
      console.log(`email changed to ${second.email} (version ${second.version})`);
      const bob = await User.create({ id: 'u-bob', email: 'ann@example.com', name: 'Bob', age: 41 });
      console.log(`${bob.id} took the old email ${bob.email}`);
      const taken = await expectFailure(UniqueConstraintError, () => User.create({ id: 'u-carl', email: 'ann@newcorp.example', name: 'Carl', age: 29 }));
      console.log(`the new email is guarded: ${taken.name}`);

      // 7. Deactivate: status change and tag removal in one save.
      const tags = new Set(second.tags);
      tags.delete('admin');
      await second.update({ status: 'deactivated', tags });
      const deactivated = await User.find('u-ann');
      console.log(`deactivated: status ${deactivated.status}, tags ${[...(deactivated.tags ?? [])].join('+')}, version ${deactivated.version}`);

      // 8. Delete: the item and its e-mail guard go, so the address can be registered again.
      await deactivated.delete();
      console.log(`deleted u-ann: get -> ${String(await User.get('u-ann'))}`);
      const dana = await User.create({ id: 'u-dana', email: 'ANN@NEWCORP.EXAMPLE', name: 'Dana', age: 27 });
      console.log(`${dana.id} registered with the freed email ${dana.email}`);
      await Promise.all([bob.delete(), dana.delete()]);
      console.log('cleaned up u-bob and u-dana');
    } finally {
      await deleteTable(User, { ifExists: true });
    }
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
