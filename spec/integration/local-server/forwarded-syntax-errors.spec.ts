import { expect } from 'chai';
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createTable, rawCall, rejection, S, useLocalServer, usePlainDynalite } from './support';

// GetItem and UpdateItem go to dynalite as they are; its answer to an expression that does not
// parse says what its parser expected, where DynamoDB names the token it stopped at and the
// text near it. The layer rewords that one answer and leaves every other as dynalite sent it.
describe('local server: syntax errors of expressions in forwarded requests, worded as DynamoDB words them', () => {
  const h = useLocalServer();
  const plain = usePlainDynalite();
  let table: string;

  before(async () => {
    table = await createTable(h.client);
  });

  it("GetItem's ProjectionExpression", async () => {
    const err = await rejection(
      h.client.send(new GetItemCommand({ TableName: table, Key: { pk: S('a') }, ProjectionExpression: '!!' })),
      'ValidationException',
    );
    expect(err.message).to.equal('Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"');
  });

  it("UpdateItem's UpdateExpression", async () => {
    const request = { TableName: table, Key: { pk: S('a') }, UpdateExpression: 'INVALID SYNTAX HERE' };
    const err = await rejection(h.client.send(new UpdateItemCommand(request)), 'ValidationException');
    expect(err.message).to.equal('Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"');
  });

  it('answers other refusals of forwarded requests as plain dynalite does', async () => {
    for (const body of [
      { TableName: table, Key: { pk: S('a') }, ProjectionExpression: '#missing' },
      { TableName: 'no-such-table', Key: { pk: S('a') } },
    ]) {
      const expected = await rawCall(plain.endpoint, 'GetItem', body);
      expect(expected.status, 'plain dynalite refuses it').to.equal(400);
      expect(await rawCall(h.local.endpoint, 'GetItem', body)).to.deep.equal(expected);
    }
  });
});
