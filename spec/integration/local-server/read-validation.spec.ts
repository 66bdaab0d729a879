import { expect } from 'chai';
import { PutItemCommand, QueryCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { createTable, rawCall, rejection, S, useLocalServer, usePlainDynalite } from './support';

const NO_TOTAL_SEGMENTS = 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present';
const NO_PROJECTION = 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES';

describe('local server: Query and Scan requests DynamoDB refuses, or words the refusal of, unlike dynalite', () => {
  const h = useLocalServer();
  const plain = usePlainDynalite();
  let table: string;

  before(async () => {
    table = await createTable(h.client);
    await h.client.send(new PutItemCommand({ TableName: table, Item: { pk: S('a'), data: S('x') } }));
  });

  describe('Segment without TotalSegments', () => {
    it('refuses the first segment as it refuses every other one', async () => {
      for (const Segment of [0, 1]) {
        const err = await rejection(h.client.send(new ScanCommand({ TableName: table, Segment })), 'ValidationException');
        expect(err.message).to.equal(NO_TOTAL_SEGMENTS);
      }
    });

    it('still scans the first segment of several', async () => {
      const result = await h.client.send(new ScanCommand({ TableName: table, Segment: 0, TotalSegments: 1 }));
      expect(result.Items).to.deep.equal([{ pk: S('a'), data: S('x') }]);
    });

    it('lets an error dynalite finds first keep its place, as plain dynalite answers it', async () => {
      for (const body of [
        { TableName: 'ab', Segment: 0 },
        { TableName: table, Segment: 0, ScanFilter: { data: { ComparisonOperator: 'EQ' } } },
      ]) {
        const expected = await rawCall(plain.endpoint, 'Scan', body);
        expect(expected.status, 'plain dynalite refuses it').to.equal(400);
        expect(await rawCall(h.local.endpoint, 'Scan', body)).to.deep.equal(expected);
      }
    });
  });

  describe('a Limit below 1', () => {
    it("refuses a Query naming 'Limit' without the value, as DynamoDB words it there", async () => {
      for (const Limit of [0, -3]) {
        const request = { TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': S('a') }, Limit };
        const err = await rejection(h.client.send(new QueryCommand(request)), 'ValidationException');
        expect(err.message).to.equal(
          "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
        );
      }
    });

    it("refuses a Scan with the value and 'limit', as DynamoDB (and dynalite) word it there", async () => {
      const err = await rejection(h.client.send(new ScanCommand({ TableName: table, Limit: 0 })), 'ValidationException');
      expect(err.message).to.equal(
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
      );
    });

    it('still reads with a Limit of 1 or more', async () => {
      const result = await h.client.send(
        new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': S('a') }, Limit: 10 }),
      );
      expect(result.Count).to.equal(1);
    });
  });

  describe("Select: 'SPECIFIC_ATTRIBUTES' without a projection", () => {
    const query = { TableName: '', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': S('a') } };

    it('refuses a Query, in the envelope DynamoDB gives it there', async () => {
      const err = await rejection(h.client.send(new QueryCommand({ ...query, TableName: table, Select: 'SPECIFIC_ATTRIBUTES' })), 'ValidationException');
      expect(err.message).to.equal(`1 validation error detected: ${NO_PROJECTION}`);
    });

    it('refuses a Scan, with the bare message', async () => {
      const err = await rejection(h.client.send(new ScanCommand({ TableName: table, Select: 'SPECIFIC_ATTRIBUTES' })), 'ValidationException');
      expect(err.message).to.equal(NO_PROJECTION);
    });

    it('reads with a ProjectionExpression or AttributesToGet', async () => {
      const projected = await h.client.send(new QueryCommand({ ...query, TableName: table, Select: 'SPECIFIC_ATTRIBUTES', ProjectionExpression: 'pk' }));
      expect(projected.Items).to.deep.equal([{ pk: S('a') }]);
      const legacy = await h.client.send(new ScanCommand({ TableName: table, Select: 'SPECIFIC_ATTRIBUTES', AttributesToGet: ['data'] }));
      expect(legacy.Items).to.deep.equal([{ data: S('x') }]);
    });

    it('lets an error dynalite finds first keep its place, as plain dynalite answers it', async () => {
      for (const body of [
        { TableName: table, Select: 'SPECIFIC_ATTRIBUTES' },
        { TableName: table, Select: 'SPECIFIC_ATTRIBUTES', KeyConditionExpression: 'pk = :pk' },
      ]) {
        const expected = await rawCall(plain.endpoint, 'Query', body);
        expect(expected.status, 'plain dynalite refuses it').to.equal(400);
        expect(await rawCall(h.local.endpoint, 'Query', body)).to.deep.equal(expected);
      }
    });
  });
});
