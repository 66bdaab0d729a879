import { expect } from 'chai';
import { Placeholders } from '../../../lib/expressions/placeholders';

// STYLE: every name segment is a `#n` placeholder (no reserved-word list), every value a
// `:v` placeholder, one compiler per request, only used placeholders are sent.

describe('expressions: placeholders', () => {
  it('gives each distinct attribute name one #n placeholder, numbered by first use', () => {
    const p = new Placeholders();
    expect(p.name('status')).to.equal('#n1');
    expect(p.name('name')).to.equal('#n2');
    expect(p.name('status')).to.equal('#n1');
    expect(p.names()).to.deep.equal({ '#n1': 'status', '#n2': 'name' });
  });

  it('gives every value its own :v placeholder, even an equal one', () => {
    const p = new Placeholders();
    expect(p.value('a')).to.equal(':v1');
    expect(p.value('a')).to.equal(':v2');
    expect(p.value(3)).to.equal(':v3');
    expect(p.values()).to.deep.equal({ ':v1': 'a', ':v2': 'a', ':v3': 3 });
  });

  it('gives a keyed value the placeholder its key got before (one operand node, one placeholder)', () => {
    const p = new Placeholders();
    const key = {};
    expect(p.value(7, key)).to.equal(':v1');
    expect(p.value(7)).to.equal(':v2');
    expect(p.value(7, key)).to.equal(':v1');
    expect(p.value(7, {})).to.equal(':v3');
    expect(p.values()).to.deep.equal({ ':v1': 7, ':v2': 7, ':v3': 7 });
  });

  it('keeps values as given (sets, bigints, null, binary)', () => {
    const p = new Placeholders();
    const set = new Set(['x']);
    const bin = new Uint8Array([1]);
    p.value(set);
    p.value(2n ** 70n);
    p.value(null);
    p.value(bin);
    const values = p.values()!;
    expect(values[':v1']).to.equal(set);
    expect(values[':v2']).to.equal(2n ** 70n);
    expect(values[':v3']).to.equal(null);
    expect(values[':v4']).to.equal(bin);
  });

  it('compiles document paths with nested names and list indexes', () => {
    const p = new Placeholders();
    expect(p.path(['a'])).to.equal('#n1');
    expect(p.path(['a', 'b', 2, 'c'])).to.equal('#n1.#n2[2].#n3');
    expect(p.path(['list', 0, 1])).to.equal('#n4[0][1]');
    expect(p.path(['b', 'a'])).to.equal('#n2.#n1');
    expect(p.names()).to.deep.equal({ '#n1': 'a', '#n2': 'b', '#n3': 'c', '#n4': 'list' });
  });

  it('a name with dots or brackets is one segment, never split', () => {
    const p = new Placeholders();
    expect(p.path(['a.b', 'c[0]'])).to.equal('#n1.#n2');
    expect(p.names()).to.deep.equal({ '#n1': 'a.b', '#n2': 'c[0]' });
  });

  it('reports only what was used: no maps at all when nothing was', () => {
    const p = new Placeholders();
    expect(p.names()).to.equal(undefined);
    expect(p.values()).to.equal(undefined);
    expect(p.toParams()).to.deep.equal({});
    p.name('a');
    expect(p.toParams()).to.deep.equal({ ExpressionAttributeNames: { '#n1': 'a' } });
    expect(Object.keys(p.toParams())).to.deep.equal(['ExpressionAttributeNames']);
  });

  it('values only', () => {
    const p = new Placeholders();
    p.value(1);
    expect(p.toParams()).to.deep.equal({ ExpressionAttributeValues: { ':v1': 1 } });
  });

  it('two compilers do not share numbering', () => {
    const a = new Placeholders();
    const b = new Placeholders();
    a.name('x');
    a.value(1);
    expect(b.name('y')).to.equal('#n1');
    expect(b.value(2)).to.equal(':v1');
  });
});
