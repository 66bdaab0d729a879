// The bench models: a realistic user record (string key, strings, a number, a boolean, a
// Date, a Set<string>, a small map, plus @CreatedAt/@UpdatedAt/@Version), once without
// class-validator constraints (validation is skipped) and once with them (class-validator
// runs on every write). UserDto carries the same constraints for the hand-written baseline
// "validate, then PutCommand". AppUser is the user table most applications start with: a
// string id, an email GSI, a few plain attributes, a string Set, timestamps, a version and
// a TTL. BenchOrder is what a query returns in the query case: a customer's orders, keyed by
// customer and time (a Date sort key), each with four Dates and a Set.

import { IsBoolean, IsDate, IsEmail, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { orm } from './dynamorm';

const { Attribute, BaseModel, CreatedAt, Index, Model, PartitionKey, SortKey, TTL, UpdatedAt, Version } = orm;

export interface Address {
  street: string;
  city: string;
  zip: string;
  country: string;
}

@Model({ table: 'bench_users' })
export class BenchUser extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() email!: string;
  @Attribute() name!: string;
  @Attribute() status!: string;
  @Attribute({ type: Number }) age!: number;
  @Attribute({ type: Boolean }) active!: boolean;
  @Attribute({ type: Date }) birthday!: Date;
  @Attribute({ set: true }) tags!: Set<string>;
  @Attribute({ type: Object }) address!: Address;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
}

@Model({ table: 'bench_checked_users' })
export class CheckedUser extends BaseModel {
  @PartitionKey() @IsString() @Length(1, 64) id!: string;
  @Attribute() @IsEmail() email!: string;
  @Attribute() @IsString() @Length(1, 100) name!: string;
  @Attribute() @IsIn(['active', 'suspended', 'deleted']) status!: string;
  @Attribute({ type: Number }) @IsInt() @Min(0) @Max(150) age!: number;
  @Attribute({ type: Boolean }) @IsBoolean() active!: boolean;
  @Attribute({ type: Date }) @IsDate() birthday!: Date;
  @Attribute({ set: true }) @IsOptional() tags!: Set<string>;
  @Attribute({ type: Object }) @IsObject() address!: Address;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
}

/** The typical user table: what `build(u).save()` and `find(id)` are timed on as a second case. */
@Model({ table: 'bench_app_users' })
export class AppUser extends BaseModel {
  @PartitionKey() id!: string;
  @Index('gsi-email', 'pk') email!: string;
  @Attribute() name!: string;
  @Attribute({ type: Number }) age!: number;
  @Attribute() status!: string;
  @Attribute({ set: true }) roles!: Set<string>;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
  @TTL() expiresAt!: Date;
}

/** A customer's order: the rows of the query case (the fake DynamoDB answers Query with 25 of them). */
@Model({ table: 'bench_orders' })
export class BenchOrder extends BaseModel {
  @PartitionKey() customerId!: string;
  @SortKey({ type: Date }) placedAt!: Date;
  @Attribute() orderId!: string;
  @Attribute() status!: string;
  @Attribute({ type: Number }) total!: number;
  @Attribute({ type: Number }) items!: number;
  @Attribute({ set: true }) tags!: Set<string>;
  @Attribute({ type: Date }) shippedAt?: Date;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
}

/** The same constraints on a plain class, for the hand-written "validate, then put" baseline. */
export class UserDto {
  @IsString() @Length(1, 64) id!: string;
  @IsEmail() email!: string;
  @IsString() @Length(1, 100) name!: string;
  @IsIn(['active', 'suspended', 'deleted']) status!: string;
  @IsInt() @Min(0) @Max(150) age!: number;
  @IsBoolean() active!: boolean;
  @IsDate() birthday!: Date;
  @IsOptional() tags!: Set<string>;
  @IsObject() address!: Address;
}

export interface UserInput {
  id: string;
  email: string;
  name: string;
  status: string;
  age: number;
  active: boolean;
  birthday: Date;
  tags: Set<string>;
  address: Address;
}

const BIRTHDAY = new Date('1815-12-10T00:00:00.000Z');

/** The attributes of user number `i` (fresh objects each call, as a request handler would build them). */
export function userInput(i: number): UserInput {
  return {
    id: `user-${String(i).padStart(6, '0')}`,
    email: 'ada.lovelace@example.com',
    name: 'Ada Lovelace',
    status: 'active',
    age: 36,
    active: true,
    birthday: new Date(BIRTHDAY.getTime()),
    tags: new Set(['admin', 'beta', 'math']),
    address: { street: '12 St James Square', city: 'London', zip: 'SW1Y 4JH', country: 'GB' },
  };
}

export interface AppUserInput {
  id: string;
  email: string;
  name: string;
  age: number;
  status: string;
  roles: Set<string>;
  expiresAt: Date;
}

// One expiry for the whole run (30 days ahead), so both sides of a pair send the same item.
const EXPIRES_AT_MS = Date.now() + 30 * 24 * 3600 * 1000;

/** The attributes of app user number `i` (fresh objects each call). */
export function appUserInput(i: number): AppUserInput {
  const id = `user-${String(i).padStart(6, '0')}`;
  return {
    id,
    email: `${id}@example.com`,
    name: 'Grace Hopper',
    age: 45,
    status: 'active',
    roles: new Set(['admin', 'beta']),
    expiresAt: new Date(EXPIRES_AT_MS),
  };
}
