import { expect } from 'chai';
import { compareKeyValues, compareNumbers, partitionHash } from '../../../lib/testing/local-dynamo/multi-key/multi-key-order';
import { isMultiKeySchema, standInSchema } from '../../../lib/testing/local-dynamo/multi-key/multi-key-schema';

describe('local server: multi-attribute key order', () => {
  it('compares numbers as exact decimals, whatever their spelling', () => {
    expect(compareNumbers('12345678901234567890123456789012345679', '12345678901234567890123456789012345678')).to.equal(1);
    expect(compareNumbers('-1.50', '-1.5')).to.equal(0);
    expect(compareNumbers('1e1', '10')).to.equal(0);
    expect(compareNumbers('0.001', '1e-3')).to.equal(0);
    expect(compareNumbers('-0', '0')).to.equal(0);
    expect(compareNumbers('-2', '-1e-3')).to.equal(-1);
    expect(compareNumbers('-1e-3', '0')).to.equal(-1);
    expect(compareNumbers('0.5', '0.05')).to.equal(1);
    expect(compareNumbers('-0.5', '-0.05')).to.equal(-1);
    expect(compareNumbers('99', '100')).to.equal(-1);
  });

  it('orders strings by UTF-8 bytes and binaries by bytes', () => {
    expect(compareKeyValues({ S: '\uffff' }, { S: '😀' }, 'S')).to.equal(-1);
    expect(compareKeyValues({ S: 'Z' }, { S: 'a' }, 'S')).to.equal(-1);
    expect(compareKeyValues({ B: Buffer.from([1]).toString('base64') }, { B: Buffer.from([1, 0]).toString('base64') }, 'B')).to.equal(-1);
    expect(compareKeyValues({ B: Buffer.from([255]).toString('base64') }, { B: Buffer.from([1, 2]).toString('base64') }, 'B')).to.equal(1);
  });

  it('hashes a partition alike however its numbers are spelled', () => {
    const partition = [
      { name: 'a', type: 'S' as const },
      { name: 'n', type: 'N' as const },
    ];
    expect(partitionHash({ a: { S: 'x' }, n: { N: '2.0' } }, partition)).to.equal(partitionHash({ a: { S: 'x' }, n: { N: '2' } }, partition));
    expect(partitionHash({ a: { S: 'x' }, n: { N: '2' } }, partition)).not.to.equal(partitionHash({ a: { S: 'y' }, n: { N: '2' } }, partition));
  });

  it('tells multi-attribute key schemas, and gives dynalite a two-element stand-in', () => {
    const schema = [
      { AttributeName: 'a', KeyType: 'HASH' as const },
      { AttributeName: 'b', KeyType: 'HASH' as const },
      { AttributeName: 'c', KeyType: 'RANGE' as const },
    ];
    expect(isMultiKeySchema(schema)).to.equal(true);
    expect(isMultiKeySchema(schema.slice(1))).to.equal(false);
    expect(standInSchema(schema)).to.deep.equal([schema[0], schema[2]]);
    expect(standInSchema([schema[2], schema[0]])).to.deep.equal([schema[2]]);
  });
});
