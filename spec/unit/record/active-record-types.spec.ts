import { expect } from 'chai';
import { Attribute, BaseModel, Model, PartitionKey, type ActiveRecord, type StreamChange } from '../../../lib';

@Model({ table: 'active-record-types' })
class Note extends BaseModel {
  @PartitionKey() id!: string;
  @Attribute() text?: string;
}

// BaseModel's instance half lives in lib/record/active-record.ts, beneath the capabilities,
// so that transactions and streams can name "a model instance" without importing the facade.
// BaseModel adds no instance member, so the two types must stay interchangeable: what
// transaction() and parseStreamEvent() return (typed with ActiveRecord) is usable where user
// code says BaseModel, as it was before the move. tsc (npm run typecheck) checks these lines.
describe('ActiveRecord and BaseModel', () => {
  it('are one instance type: arrays of either are assignable to the other', () => {
    const note = Note.build({ id: '1', text: 'a' });
    const records: ActiveRecord[] = [note];
    const models: BaseModel[] = records;
    const back: ActiveRecord[] = models;
    const change: Pick<StreamChange, 'newItem'> = { newItem: note };
    const asBase: BaseModel | undefined = change.newItem;
    expect(back[0]).to.equal(note);
    expect(asBase).to.equal(note);
    expect(note).to.be.instanceOf(BaseModel);
  });

  it('BaseModel inherits the instance methods from ActiveRecord and declares none of its own', () => {
    const base = Object.getPrototypeOf(BaseModel.prototype) as object;
    expect(base.constructor.name).to.equal('ActiveRecord');
    expect(Object.getOwnPropertyNames(BaseModel.prototype)).to.deep.equal(['constructor']);
    for (const method of ['save', 'create', 'update', 'delete', 'reload', 'changedAttributes', 'decodeErrors', 'toJSON']) {
      expect(typeof (base as Record<string, unknown>)[method], method).to.equal('function');
    }
  });
});
