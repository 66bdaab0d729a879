import { expect } from 'chai';
import { compileCondition, cond } from '../../../lib/expressions/condition';
import { Placeholders } from '../../../lib/expressions/placeholders';
import { compileUpdate, type UpdateAction } from '../../../lib/expressions/update';

function compile(actions: UpdateAction[]) {
  const p = new Placeholders();
  const expression = compileUpdate(actions, p);
  return { expression, ...p.toParams() };
}

describe('expressions: update', () => {
  it('SET', () => {
    expect(compile([{ kind: 'set', path: ['status'], value: 'premium' }])).to.deep.equal({
      expression: 'SET #n1 = :v1',
      ExpressionAttributeNames: { '#n1': 'status' },
      ExpressionAttributeValues: { ':v1': 'premium' },
    });
  });

  it('SET if_not_exists', () => {
    expect(compile([{ kind: 'setIfNotExists', path: ['score'], value: 0 }])).to.deep.equal({
      expression: 'SET #n1 = if_not_exists(#n1, :v1)',
      ExpressionAttributeNames: { '#n1': 'score' },
      ExpressionAttributeValues: { ':v1': 0 },
    });
  });

  it('increment: if_not_exists(path, start) + by', () => {
    expect(compile([{ kind: 'increment', path: ['count'], by: 1, start: 0 }])).to.deep.equal({
      expression: 'SET #n1 = if_not_exists(#n1, :v1) + :v2',
      ExpressionAttributeNames: { '#n1': 'count' },
      ExpressionAttributeValues: { ':v1': 0, ':v2': 1 },
    });
  });

  it('decrement is an increment by a negative amount, bigints kept', () => {
    expect(compile([{ kind: 'increment', path: ['credits'], by: -5n, start: 0n }])).to.deep.equal({
      expression: 'SET #n1 = if_not_exists(#n1, :v1) + :v2',
      ExpressionAttributeNames: { '#n1': 'credits' },
      ExpressionAttributeValues: { ':v1': 0n, ':v2': -5n },
    });
  });

  it('append: list_append(if_not_exists(path, []), values)', () => {
    expect(compile([{ kind: 'append', path: ['history'], values: ['x', 'y'] }])).to.deep.equal({
      expression: 'SET #n1 = list_append(if_not_exists(#n1, :v1), :v2)',
      ExpressionAttributeNames: { '#n1': 'history' },
      ExpressionAttributeValues: { ':v1': [], ':v2': ['x', 'y'] },
    });
  });

  it('prepend: list_append(values, if_not_exists(path, []))', () => {
    expect(compile([{ kind: 'prepend', path: ['history'], values: ['w'] }])).to.deep.equal({
      expression: 'SET #n1 = list_append(:v1, if_not_exists(#n1, :v2))',
      ExpressionAttributeNames: { '#n1': 'history' },
      ExpressionAttributeValues: { ':v1': ['w'], ':v2': [] },
    });
  });

  it('REMOVE uses names only', () => {
    expect(
      compile([
        { kind: 'remove', path: ['nickname'] },
        { kind: 'remove', path: ['list', 3] },
      ]),
    ).to.deep.equal({
      expression: 'REMOVE #n1, #n2[3]',
      ExpressionAttributeNames: { '#n1': 'nickname', '#n2': 'list' },
    });
  });

  it('ADD and DELETE', () => {
    const add = new Set(['vip']);
    const del = new Set(['old']);
    expect(
      compile([
        { kind: 'add', path: ['tags'], value: add },
        { kind: 'delete', path: ['labels'], value: del },
      ]),
    ).to.deep.equal({
      expression: 'ADD #n1 :v1 DELETE #n2 :v2',
      ExpressionAttributeNames: { '#n1': 'tags', '#n2': 'labels' },
      ExpressionAttributeValues: { ':v1': add, ':v2': del },
    });
  });

  it('orders the clauses SET, REMOVE, ADD, DELETE whatever the action order, placeholders numbered in text order', () => {
    const actions: UpdateAction[] = [
      { kind: 'delete', path: ['d'], value: new Set([1]) },
      { kind: 'remove', path: ['r'] },
      { kind: 'set', path: ['s1'], value: 'a' },
      { kind: 'add', path: ['n'], value: 2 },
      { kind: 'increment', path: ['s2'], by: 3, start: 0 },
      { kind: 'remove', path: ['r2'] },
    ];
    expect(compile(actions)).to.deep.equal({
      expression: 'SET #n1 = :v1, #n2 = if_not_exists(#n2, :v2) + :v3 REMOVE #n3, #n4 ADD #n5 :v4 DELETE #n6 :v5',
      ExpressionAttributeNames: { '#n1': 's1', '#n2': 's2', '#n3': 'r', '#n4': 'r2', '#n5': 'n', '#n6': 'd' },
      ExpressionAttributeValues: { ':v1': 'a', ':v2': 0, ':v3': 3, ':v4': 2, ':v5': new Set([1]) },
    });
  });

  it('nested paths and list elements', () => {
    expect(
      compile([
        { kind: 'set', path: ['profile', 'address', 'zip'], value: '123' },
        { kind: 'set', path: ['items', 2, 'qty'], value: 4 },
        { kind: 'remove', path: ['profile', 'old'] },
      ]),
    ).to.deep.equal({
      expression: 'SET #n1.#n2.#n3 = :v1, #n4[2].#n5 = :v2 REMOVE #n1.#n6',
      ExpressionAttributeNames: { '#n1': 'profile', '#n2': 'address', '#n3': 'zip', '#n4': 'items', '#n5': 'qty', '#n6': 'old' },
      ExpressionAttributeValues: { ':v1': '123', ':v2': 4 },
    });
  });

  it('no actions is an empty expression with no placeholders', () => {
    expect(compile([])).to.deep.equal({ expression: '' });
  });

  it('shares one compiler with the condition of the same request', () => {
    const p = new Placeholders();
    const UpdateExpression = compileUpdate([{ kind: 'increment', path: ['version'], by: 1, start: 0 }], p);
    const ConditionExpression = compileCondition(cond.and(cond.exists(['id']), cond.eq(['version'], 3))!, p);
    expect({ UpdateExpression, ConditionExpression, ...p.toParams() }).to.deep.equal({
      UpdateExpression: 'SET #n1 = if_not_exists(#n1, :v1) + :v2',
      ConditionExpression: 'attribute_exists(#n2) AND #n1 = :v3',
      ExpressionAttributeNames: { '#n1': 'version', '#n2': 'id' },
      ExpressionAttributeValues: { ':v1': 0, ':v2': 1, ':v3': 3 },
    });
  });
});
