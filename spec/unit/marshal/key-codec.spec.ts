import { expect } from 'chai';
import { Attribute, BaseModel, Index, Model, PartitionKey, SortKey, ValidationError } from '../../../lib';
import { resolveModel } from '../../../lib/metadata/resolve';
import { formatKey, keyFromInput, keyOfItem } from '../../../lib/marshal/key-codec';
import { renderTemplate } from '../../../lib/marshal/key-template-value';
import { parseKeyTemplate } from '../../../lib/metadata/key-template';
import { thrown } from '../../support/thrown';

// DESIGN §11 Keys / Key templates: a key missing a part is a ValidationError; a value whose
// JS type does not match the declared key type is a ValidationError naming the `type`
// option; template values escape `\` as `\\` and `#` as `\#`.

const validationError = (fn: () => unknown): ValidationError => thrown(ValidationError, fn);

@Model({ table: 'mkc_users' })
class User extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() name?: string;
}

@Model({ table: 'mkc_orders' })
class Order extends BaseModel {
  @PartitionKey({ name: 'customer_id' }) customerId!: string;
  @SortKey({ type: Number }) orderNo!: number;
}

@Model({ table: 'mkc_projects' })
class Project extends BaseModel {
  @PartitionKey({ template: 'ORG#{orgId}#PROJECT#{projectId}' }) pk!: string;
  @SortKey({ template: 'TASK#{taskId}' }) sk!: string;
  @Attribute() orgId!: string;
  @Attribute({ type: Number }) projectId!: number;
  @Attribute() taskId!: string;
}

@Model({ table: 'mkc_events' })
class Event extends BaseModel {
  @PartitionKey({ type: Uint8Array }) device!: Uint8Array;
  @SortKey({ type: Date }) at!: Date;
}

@Model({ table: 'mkc_metrics' })
class Metric extends BaseModel {
  @PartitionKey({ type: BigInt }) id!: bigint;
  @SortKey({ format: 'epoch' }) at!: Date;
  @Index('gsi', 'pk') g?: string;
}

describe('marshal: keyFromInput', () => {
  it('a single value is the partition key of a model without a sort key', () => {
    expect(keyFromInput(resolveModel(User), '123')).to.deep.equal({ id: '123' });
    expect(keyFromInput(resolveModel(User), { id: '123' })).to.deep.equal({ id: '123' });
  });

  it('an object gives partition and sort key, under their attribute names', () => {
    expect(keyFromInput(resolveModel(Order), { customerId: 'c1', orderNo: 7 })).to.deep.equal({ customer_id: 'c1', orderNo: 7 });
  });

  it('ignores properties that are not key parts', () => {
    expect(keyFromInput(resolveModel(User), { id: '1', name: 'x' })).to.deep.equal({ id: '1' });
  });

  it('encodes keys of every key type', () => {
    const device = new Uint8Array([1, 2]);
    expect(keyFromInput(resolveModel(Event), { device, at: new Date('2024-01-02T03:04:05.678Z') })).to.deep.equal({
      device: new Uint8Array([1, 2]),
      at: '2024-01-02T03:04:05.678Z',
    });
    expect(keyFromInput(resolveModel(Metric), { id: 2n ** 70n, at: new Date(1_700_000_000_999) })).to.deep.equal({
      id: 2n ** 70n,
      at: 1_700_000_000,
    });
  });

  it('computes templated keys from their sources, escaping the separator', () => {
    expect(keyFromInput(resolveModel(Project), { orgId: 'acme', projectId: 42, taskId: 't-1' })).to.deep.equal({
      pk: 'ORG#acme#PROJECT#42',
      sk: 'TASK#t-1',
    });
    expect(keyFromInput(resolveModel(Project), { orgId: 'a#b\\c', projectId: 1, taskId: '#' })).to.deep.equal({
      pk: 'ORG#a\\#b\\\\c#PROJECT#1',
      sk: 'TASK#\\#',
    });
  });

  it('takes a templated key given directly', () => {
    expect(keyFromInput(resolveModel(Project), { pk: 'ORG#x#PROJECT#1', sk: 'TASK#2' })).to.deep.equal({ pk: 'ORG#x#PROJECT#1', sk: 'TASK#2' });
  });

  it('a missing part is a ValidationError naming it', () => {
    const order = validationError(() => keyFromInput(resolveModel(Order), { customerId: 'c1' }));
    expect(order.message).to.equal("Order: the key is missing 'orderNo' (a Order key is { customerId, orderNo }).");
    expect(order.errors[0].property).to.equal('orderNo');
    const user = validationError(() => keyFromInput(resolveModel(User), { id: '' }));
    expect(user.message).to.equal("User: the key has an empty 'id' (a User key is { id }).");
    validationError(() => keyFromInput(resolveModel(User), { id: null }));
    validationError(() => keyFromInput(resolveModel(User), {}));
    validationError(() => keyFromInput(resolveModel(User), ''));
  });

  it('a template source missing or empty is a ValidationError naming that component', () => {
    const err = validationError(() => keyFromInput(resolveModel(Project), { orgId: 'acme', taskId: 't' }));
    expect(err.message).to.equal("Project: the key is missing 'projectId' (a Project key is { orgId, projectId, taskId }).");
    expect(err.errors[0].property).to.equal('projectId');
    const empty = validationError(() => keyFromInput(resolveModel(Project), { orgId: '', projectId: 'p', taskId: 't' }));
    expect(empty.message).to.equal("Project: the key has an empty 'orgId' (a Project key is { orgId, projectId, taskId }).");
  });

  it('a single value for a model with a sort key (or a template) is a ValidationError', () => {
    expect(validationError(() => keyFromInput(resolveModel(Order), 'c1')).message).to.equal('Order: a key needs { customerId, orderNo }, not a single value.');
    expect(validationError(() => keyFromInput(resolveModel(Project), 'x')).message).to.equal(
      'Project: a key needs { orgId, projectId, taskId }, not a single value.',
    );
  });

  it('a part of the wrong type is a ValidationError naming the type option', () => {
    const str = validationError(() => keyFromInput(resolveModel(User), 5));
    expect(str.message).to.equal(
      'User.id: expected a string, got number 5. If this key is not a string, declare it: { type: Number } (or BigInt, Date, Uint8Array).',
    );
    expect(str.errors).to.deep.equal([{ property: 'id', value: 5, constraints: { type: 'expected a string' } }]);

    const num = validationError(() => keyFromInput(resolveModel(Order), { customerId: 'c', orderNo: '7' }));
    expect(num.message).to.equal(
      'Order.orderNo: expected a number, got the string "7". Assign the declared type, or declare another with the \'type\' option (e.g. @Attribute({ type: Number })).',
    );

    const date = validationError(() => keyFromInput(resolveModel(Event), { device: new Uint8Array([1]), at: '2024-01-01' }));
    expect(date.message).to.equal(
      `Event.at: expected a Date, got the string "2024-01-01". Assign a Date (new Date(...)), or declare the property's type with the 'type' option.`,
    );

    const bin = validationError(() => keyFromInput(resolveModel(Event), { device: 'abc', at: new Date() }));
    expect(bin.message).to.include('Event.device: expected a Uint8Array or Buffer, got the string "abc".');
    expect(bin.message).to.include("'type' option");

    const big = validationError(() => keyFromInput(resolveModel(Metric), { id: 1.5, at: new Date() }));
    expect(big.message).to.include('Metric.id: expected a bigint, got number 1.5.');
  });

  it('a bigint key takes a bigint (a number is refused, as on writes), and checks it', () => {
    expect(keyFromInput(resolveModel(Metric), { id: 7n, at: new Date(5000) })).to.deep.equal({ id: 7n, at: 5 });
    expect(validationError(() => keyFromInput(resolveModel(Metric), { id: 7, at: new Date(5000) })).message).to.equal(
      'Metric.id: expected a bigint, got number 7. Write BigInt(7) (or 7n).',
    );
    validationError(() => keyFromInput(resolveModel(Metric), { id: 10n ** 40n + 1n, at: new Date(0) }));
  });

  it('a template component that is not a scalar is a ValidationError', () => {
    const err = validationError(() => keyFromInput(resolveModel(Project), { orgId: { a: 1 }, projectId: 1, taskId: 't' }));
    expect(err.message).to.equal("Project.pk: the key template component 'orgId' must be a string, number, bigint, boolean or Date.");
  });
});

describe('marshal: renderTemplate', () => {
  const template = parseKeyTemplate('A#{a}#B#{b}', 'X.pk');
  const render = (values: Record<string, unknown>) => renderTemplate(template, (p) => values[p], 'X.pk');

  it('renders strings (escaped), numbers, bigints, booleans and Dates', () => {
    expect(render({ a: 'x', b: 1 })).to.equal('A#x#B#1');
    expect(render({ a: 2n ** 70n, b: true })).to.equal('A#1180591620717411303424#B#true');
    expect(render({ a: new Date('2020-01-01T00:00:00.000Z'), b: -1.5 })).to.equal('A#2020-01-01T00:00:00.000Z#B#-1.5');
    expect(render({ a: 'x#y', b: 'back\\slash' })).to.equal('A#x\\#y#B#back\\\\slash');
    expect(render({ a: '\\#', b: 'z' })).to.equal('A#\\\\\\##B#z');
  });

  it('an Invalid Date component is a ValidationError, not a RangeError', () => {
    expect(() => render({ a: new Date('nope'), b: 1 })).to.throw(ValidationError, 'X.pk (a): Invalid Date cannot be stored.');
  });

  it('returns undefined when a source is missing, null or empty', () => {
    expect(render({ a: 'x' })).to.equal(undefined);
    expect(render({ a: 'x', b: null })).to.equal(undefined);
    expect(render({ a: '', b: 'y' })).to.equal(undefined);
  });

  it('escaped values keep distinct inputs distinct', () => {
    expect(render({ a: 'x#B#y', b: 'z' })).not.to.equal(render({ a: 'x', b: 'y#B#z' }));
  });
});

describe('marshal: keyOfItem and formatKey', () => {
  it('picks the key attributes of an item under a key schema', () => {
    const schema = resolveModel(Order);
    expect(keyOfItem({ customer_id: 'c', orderNo: 1, other: 'x' }, schema.tableKey)).to.deep.equal({ customer_id: 'c', orderNo: 1 });
    expect(keyOfItem({ id: 'u', name: 'n' }, resolveModel(User).tableKey)).to.deep.equal({ id: 'u' });
    const gsi = resolveModel(Metric).indexes[0];
    expect(keyOfItem({ id: 1n, at: 2, g: 'x' }, gsi)).to.deep.equal({ g: 'x' });
  });

  it('formats keys readably', () => {
    expect(formatKey({ id: '1', n: 2, big: 2n ** 64n, bin: new Uint8Array(3) })).to.equal('id="1", n=2, big=18446744073709551616n, bin=<3 bytes>');
  });
});
