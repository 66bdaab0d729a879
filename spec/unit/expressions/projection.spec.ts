import { expect } from 'chai';
import { QueryError } from '../../../lib/errors/dynamorm-error';
import { Placeholders } from '../../../lib/expressions/placeholders';
import { compileProjection } from '../../../lib/expressions/projection';
import { thrown } from '../../support/thrown';

describe('expressions: projection', () => {
  it('lists each attribute as a placeholder, sharing them with other expressions of the request', () => {
    const p = new Placeholders();
    p.name('status');
    expect(compileProjection(['id', 'status', 'name', 'size'], p)).to.equal('#n2, #n1, #n3, #n4');
    expect(p.toParams()).to.deep.equal({ ExpressionAttributeNames: { '#n1': 'status', '#n2': 'id', '#n3': 'name', '#n4': 'size' } });
  });

  it('an empty list is an empty expression', () => {
    const p = new Placeholders();
    expect(compileProjection([], p)).to.equal('');
    expect(p.toParams()).to.deep.equal({});
  });

  it('nested paths and list elements, every name segment a placeholder', () => {
    const p = new Placeholders();
    expect(compileProjection(['id', ['address', 'lines', 0], ['address', 'zip']], p)).to.equal('#n1, #n2.#n3[0], #n2.#n4');
    expect(p.names()).to.deep.equal({ '#n1': 'id', '#n2': 'address', '#n3': 'lines', '#n4': 'zip' });
  });

  it('a string is one attribute name, dots, brackets and placeholder look-alikes included', () => {
    const p = new Placeholders();
    expect(compileProjection(['a.b', 'c[0]', '#n1', ':v1'], p)).to.equal('#n1, #n2, #n3, #n4');
    expect(p.names()).to.deep.equal({ '#n1': 'a.b', '#n2': 'c[0]', '#n3': '#n1', '#n4': ':v1' });
  });

  it('sends a repeated path once (DynamoDB refuses overlapping paths)', () => {
    expect(compileProjection(['id', 'email', 'id', ['email']], new Placeholders())).to.equal('#n1, #n2');
  });

  it('drops a path inside another listed path, whichever comes first', () => {
    expect(compileProjection([['profile', 'name'], 'id', 'profile'], new Placeholders())).to.equal('#n1, #n2');
    expect(compileProjection(['profile', ['profile', 'name'], ['profile', 'tags', 1]], new Placeholders())).to.equal('#n1');
    expect(
      compileProjection(
        [
          ['a', 'b'],
          ['a', 'bc'],
        ],
        new Placeholders(),
      ),
    ).to.equal('#n1.#n2, #n1.#n3');
  });

  it('paths that name a map key and a list index at one place conflict: QueryError', () => {
    expect(
      thrown(QueryError, () =>
        compileProjection(
          [
            ['a', 0],
            ['a', 'b'],
          ],
          new Placeholders(),
        ),
      ).message,
    ).to.equal("Projected paths 'a[0]' and 'a.b' conflict: one indexes a list where the other names a map key.");
  });
});
