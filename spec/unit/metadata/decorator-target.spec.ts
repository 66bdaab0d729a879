import { expect } from 'chai';
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
  Index,
  Model,
  ModelDefinitionError,
  PartitionKey,
  SortKey,
  TTL,
  UpdatedAt,
  Version,
} from '../../../lib';
import { thrown } from '../../support/thrown';

// DESIGN §11: decorators called the TC39 way (no experimentalDecorators) throw a
// ModelDefinitionError that says which option to set. We simulate the TC39 calling
// convention: (value, context) with a context object carrying `kind` and `name`.

type AnyDecorator = (target: unknown, context: unknown, descriptor?: unknown) => unknown;

const definitionError = (fn: () => unknown): ModelDefinitionError => thrown(ModelDefinitionError, fn);

const HOW_TO_FIX = 'set "experimentalDecorators": true in tsconfig.json';

describe('metadata: decorators called the TC39 way', () => {
  const propertyDecorators: Array<[string, unknown]> = [
    ['PartitionKey', PartitionKey()],
    ['SortKey', SortKey()],
    ['Attribute', Attribute()],
    ['Index', Index('gsi', 'pk')],
    ['CreatedAt', CreatedAt()],
    ['UpdatedAt', UpdatedAt()],
    ['Version', Version()],
    ['TTL', TTL()],
  ];
  for (const [name, decorator] of propertyDecorators) {
    it(`@${name} on a field`, () => {
      const err = definitionError(() => (decorator as AnyDecorator)(undefined, { kind: 'field', name: 'x' }));
      expect(err.message).to.equal(
        `@${name} on 'x' was called as a TC39 decorator. dynamorm uses TypeScript's legacy decorators: ${HOW_TO_FIX} (esbuild and tsx read it from there too).`,
      );
    });
  }

  it('@Model on a class', () => {
    class Tc39Model extends BaseModel {}
    const err = definitionError(() => (Model({ table: 'tc39' }) as unknown as AnyDecorator)(Tc39Model, { kind: 'class', name: 'Tc39Model' }));
    expect(err.message).to.include('@Model was called as a TC39 decorator');
    expect(err.message).to.include(HOW_TO_FIX);
  });

  const hookDecorators: Array<[string, () => unknown]> = [
    ['BeforeValidate', BeforeValidate],
    ['BeforeCreate', BeforeCreate],
    ['BeforeUpdate', BeforeUpdate],
    ['BeforeSave', BeforeSave],
    ['AfterCreate', AfterCreate],
    ['AfterUpdate', AfterUpdate],
    ['AfterSave', AfterSave],
    ['BeforeDelete', BeforeDelete],
    ['AfterDelete', AfterDelete],
    ['AfterLoad', AfterLoad],
  ];
  for (const [name, factory] of hookDecorators) {
    it(`@${name} on a method`, () => {
      const err = definitionError(() =>
        (factory() as AnyDecorator)(
          function hook() {
            // Never called: the decorator refuses a TC39 context before it would be.
          },
          { kind: 'method', name: 'touch' },
        ),
      );
      expect(err.message).to.include(`@${name} on 'touch' was called as a TC39 decorator`);
      expect(err.message).to.include(HOW_TO_FIX);
    });
  }

  it('a TC39 accessor context is refused the same way', () => {
    const err = definitionError(() => (Attribute() as AnyDecorator)(undefined, { kind: 'accessor', name: 'y' }));
    expect(err.message).to.include("@Attribute on 'y' was called as a TC39 decorator");
  });
});

describe('metadata: decorators in the wrong place (legacy calls)', () => {
  it('a property decorator on a static property', () => {
    class StaticHolder {}
    const err = definitionError(() => (Attribute() as AnyDecorator)(StaticHolder, 'count'));
    expect(err.message).to.equal('@Attribute goes on an instance property of a model class (string-named, not static).');
  });

  it('a property decorator on a symbol-named property', () => {
    const err = definitionError(() => (PartitionKey() as AnyDecorator)({}, Symbol('id')));
    expect(err.message).to.equal('@PartitionKey goes on an instance property of a model class (string-named, not static).');
  });

  it('a hook decorator on a property (no method descriptor)', () => {
    const err = definitionError(() => (BeforeSave() as AnyDecorator)({}, 'notAMethod', undefined));
    expect(err.message).to.equal('@BeforeSave goes on an instance method of a model class.');
  });

  it('@Model on something that is not a class', () => {
    const err = definitionError(() => (Model({ table: 't' }) as unknown as AnyDecorator)({}, undefined));
    expect(err.message).to.equal('@Model goes on a class.');
  });
});
