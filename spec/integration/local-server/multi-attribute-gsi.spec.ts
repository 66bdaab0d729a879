import { expect } from 'chai';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeValue,
  type CreateTableCommandInput,
  type GlobalSecondaryIndex,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { createTable, eventually, N, rejection, S, useLocalServer } from './support';

const B = (bytes: number[]): AttributeValue => ({ B: Uint8Array.from(bytes) });

/** tournament + region (partition), round + at (sort): DESIGN §12's example. */
const BRACKET: GlobalSecondaryIndex = {
  IndexName: 'bracket',
  KeySchema: [
    { AttributeName: 'tournament', KeyType: 'HASH' },
    { AttributeName: 'region', KeyType: 'HASH' },
    { AttributeName: 'round', KeyType: 'RANGE' },
    { AttributeName: 'at', KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
};

const BRACKET_DEFINITIONS = [
  { AttributeName: 'id', AttributeType: 'S' as const },
  { AttributeName: 'tournament', AttributeType: 'S' as const },
  { AttributeName: 'region', AttributeType: 'S' as const },
  { AttributeName: 'round', AttributeType: 'S' as const },
  { AttributeName: 'at', AttributeType: 'N' as const },
];

describe('local server: GSIs with multi-attribute keys', () => {
  const h = useLocalServer({ ttlSweepMs: 50 });

  const bracketTable = (extra: Partial<CreateTableCommandInput> = {}) =>
    createTable(h.client, {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: BRACKET_DEFINITIONS,
      GlobalSecondaryIndexes: [BRACKET],
      ...extra,
    });
  const put = (TableName: string, Item: Record<string, AttributeValue>) => h.client.send(new PutItemCommand({ TableName, Item }));
  const match = (id: string, region: string, round: string, at: number, extra: Record<string, AttributeValue> = {}) => ({
    id: S(id),
    tournament: S('T1'),
    region: S(region),
    round: S(round),
    at: N(at),
    ...extra,
  });
  const query = (TableName: string, input: Partial<QueryCommandInput>) => h.client.send(new QueryCommand({ TableName, IndexName: 'bracket', ...input }));
  const ids = (items: Array<Record<string, AttributeValue>> | undefined) => (items ?? []).map((item) => item.id.S!);
  const values = { ':t': S('T1'), ':r': S('eu') };
  const partition = 'tournament = :t AND #region = :r';
  const names = { '#region': 'region' };
  /** The names a key condition on the partition and `condition` uses (DynamoDB refuses unused ones). */
  const namesFor = (condition: string) => ({
    ...names,
    ...(condition.includes('#round') ? { '#round': 'round' } : {}),
    ...(condition.includes('#at') ? { '#at': 'at' } : {}),
  });

  async function seeded(extra: Partial<CreateTableCommandInput> = {}): Promise<string> {
    const table = await bracketTable(extra);
    await put(table, match('m1', 'eu', 'final', 30));
    await put(table, match('m2', 'eu', 'semi', 20));
    await put(table, match('m3', 'eu', 'semi', 10));
    await put(table, match('m4', 'us', 'semi', 5));
    await put(table, match('m5', 'eu', 'quarter', 1, { note: S('n5') }));
    return table;
  }

  describe('CreateTable and DescribeTable', () => {
    it('shows the index with its key schema as given, its definitions, status, ARN and throughput', async () => {
      const table = await bracketTable();
      const described = (await h.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
      const [gsi] = described.GlobalSecondaryIndexes!;
      expect(gsi.IndexName).to.equal('bracket');
      expect(gsi.KeySchema).to.deep.equal(BRACKET.KeySchema);
      expect(gsi.Projection).to.deep.equal({ ProjectionType: 'ALL' });
      expect(gsi.IndexStatus).to.equal('ACTIVE');
      expect(gsi.IndexArn).to.equal(`${described.TableArn}/index/bracket`);
      expect(gsi).to.include({ ItemCount: 0, IndexSizeBytes: 0 });
      expect(gsi.ProvisionedThroughput).to.deep.equal({ ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 });
      expect(described.AttributeDefinitions).to.have.deep.members(BRACKET_DEFINITIONS);
      expect(described.KeySchema).to.deep.equal([{ AttributeName: 'id', KeyType: 'HASH' }]);
    });

    it("keeps dynalite's own GSIs beside it, in the order they were given", async () => {
      const table = await bracketTable({
        AttributeDefinitions: [...BRACKET_DEFINITIONS, { AttributeName: 'email', AttributeType: 'S' }],
        GlobalSecondaryIndexes: [
          { IndexName: 'by-email', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
          BRACKET,
        ],
      });
      const described = (await h.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
      expect(described.GlobalSecondaryIndexes!.map((gsi) => gsi.IndexName)).to.deep.equal(['by-email', 'bracket']);
      await put(table, match('m1', 'eu', 'final', 1, { email: S('a@x') }));
      const byEmail = await h.client.send(
        new QueryCommand({ TableName: table, IndexName: 'by-email', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': S('a@x') } }),
      );
      expect(ids(byEmail.Items)).to.deep.equal(['m1']);
    });

    it('shows provisioned throughput as given on a provisioned table', async () => {
      const table = await bracketTable({
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        GlobalSecondaryIndexes: [{ ...BRACKET, ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } }],
      });
      const [gsi] = (await h.client.send(new DescribeTableCommand({ TableName: table }))).Table!.GlobalSecondaryIndexes!;
      expect(gsi.ProvisionedThroughput).to.deep.equal({ ReadCapacityUnits: 3, WriteCapacityUnits: 4, NumberOfDecreasesToday: 0 });
    });

    const refusal = async (input: Partial<CreateTableCommandInput>) => {
      const err = await rejection(
        h.client.send(
          new CreateTableCommand({
            TableName: `refused_${Date.now()}`,
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            AttributeDefinitions: BRACKET_DEFINITIONS,
            BillingMode: 'PAY_PER_REQUEST',
            ...input,
          }),
        ),
        'ValidationException',
      );
      return err.message;
    };
    const gsi = (KeySchema: GlobalSecondaryIndex['KeySchema']): GlobalSecondaryIndex => ({
      IndexName: 'bracket',
      KeySchema,
      Projection: { ProjectionType: 'ALL' },
    });
    const hash = (AttributeName: string) => ({ AttributeName, KeyType: 'HASH' as const });
    const range = (AttributeName: string) => ({ AttributeName, KeyType: 'RANGE' as const });
    const many = (count: number, prefix: string) => Array.from({ length: count }, (_, i) => ({ AttributeName: `${prefix}${i}`, AttributeType: 'S' as const }));

    it('refuses more than 4 partition-key or 4 sort-key attributes', async () => {
      const definitions = [...BRACKET_DEFINITIONS, ...many(5, 'h'), ...many(5, 'r')];
      expect(await refusal({ AttributeDefinitions: definitions, GlobalSecondaryIndexes: [gsi(many(5, 'h').map((d) => hash(d.AttributeName)))] })).to.equal(
        'One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of HASH key attributes',
      );
      expect(
        await refusal({ AttributeDefinitions: definitions, GlobalSecondaryIndexes: [gsi([hash('h0'), ...many(5, 'r').map((d) => range(d.AttributeName))])] }),
      ).to.equal('One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of RANGE key attributes');
    });

    it('refuses a key schema of more than 8 elements as a constraint', async () => {
      const definitions = [...BRACKET_DEFINITIONS, ...many(5, 'h'), ...many(4, 'r')];
      const schema = [...many(5, 'h').map((d) => hash(d.AttributeName)), ...many(4, 'r').map((d) => range(d.AttributeName))];
      const message = await refusal({ AttributeDefinitions: definitions, GlobalSecondaryIndexes: [gsi(schema)] });
      expect(message).to.match(/^1 validation error detected: Value '\[KeySchemaElement\(attributeName=h0, keyType=HASH\), /);
      expect(message).to.match(
        /at 'globalSecondaryIndexes\.1\.member\.keySchema' failed to satisfy constraint: Member must have length less than or equal to 8$/,
      );
    });

    it('refuses a key type other than HASH or RANGE in any element', async () => {
      const message = await refusal({
        GlobalSecondaryIndexes: [gsi([hash('tournament'), hash('region'), range('round'), { AttributeName: 'at', KeyType: 'SORT' as 'RANGE' }])],
      });
      expect(message).to.equal(
        "1 validation error detected: Value 'SORT' at 'globalSecondaryIndexes.1.member.keySchema.4.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
      );
    });

    it('refuses a HASH after a RANGE, a first element that is not a HASH, and an attribute named twice', async () => {
      expect(await refusal({ GlobalSecondaryIndexes: [gsi([hash('tournament'), range('round'), range('at'), hash('region')])] })).to.equal(
        'One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema',
      );
      expect(await refusal({ GlobalSecondaryIndexes: [gsi([range('round'), range('at'), hash('region')])] })).to.equal(
        'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
      );
      expect(await refusal({ GlobalSecondaryIndexes: [gsi([hash('tournament'), hash('tournament'), range('at')])] })).to.equal(
        'The KeySchema contains multiple key attributes with the same name',
      );
    });

    it('refuses key attributes without a definition, in DynamoDB words', async () => {
      expect(await refusal({ GlobalSecondaryIndexes: [gsi([hash('tournament'), hash('nowhere'), range('at')])] })).to.equal(
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [tournament, nowhere, at], AttributeDefinitions: [id, tournament, region, round, at]',
      );
    });

    it("keeps dynalite's own checks of the rest of the request (index name, projection, billing)", async () => {
      expect(await refusal({ GlobalSecondaryIndexes: [{ ...BRACKET, Projection: { ProjectionType: 'KEYS_ONLY', NonKeyAttributes: ['x'] } }] })).to.equal(
        'One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified',
      );
      expect(await refusal({ GlobalSecondaryIndexes: [BRACKET, BRACKET] })).to.equal(
        'One or more parameter values were invalid: Duplicate index name: bracket',
      );
    });

    it('keeps LSIs and the table key single-attribute', async () => {
      expect(
        await refusal({
          KeySchema: [hash('id'), hash('tournament')],
        }),
      ).to.equal('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
      expect(
        await refusal({
          KeySchema: [hash('id'), range('round')],
          LocalSecondaryIndexes: [{ IndexName: 'local', KeySchema: [hash('id'), hash('tournament')], Projection: { ProjectionType: 'ALL' } }],
          GlobalSecondaryIndexes: [BRACKET],
        }),
      ).to.equal('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
    });

    it('DeleteTable drops the index with the table; a table created anew under the name starts empty', async () => {
      const table = await seeded();
      const deleted = await h.client.send(new DeleteTableCommand({ TableName: table }));
      expect(deleted.TableDescription?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).to.deep.equal(['bracket']);
      await rejection(h.client.send(new DescribeTableCommand({ TableName: table })), 'ResourceNotFoundException');
      await h.client.send(
        new CreateTableCommand({
          TableName: table,
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: BRACKET_DEFINITIONS,
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [BRACKET],
        }),
      );
      const out = await query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
      expect(out.Items).to.deep.equal([]);
    });
  });

  describe('writes', () => {
    it('indexes puts, updates, deletes, batches and transactions; items missing a key attribute are left out', async () => {
      const table = await bracketTable();
      await put(table, match('m1', 'eu', 'semi', 1));
      await put(table, { id: S('sparse'), tournament: S('T1'), region: S('eu'), round: S('semi') });
      await h.client.send(
        new BatchWriteItemCommand({
          RequestItems: { [table]: [{ PutRequest: { Item: match('m2', 'eu', 'semi', 2) } }, { PutRequest: { Item: match('m3', 'eu', 'semi', 3) } }] },
        }),
      );
      await h.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: match('m4', 'eu', 'semi', 4) } }] }));
      await h.client.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { id: S('m1') },
          UpdateExpression: 'SET #at = :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':at': N(9) },
        }),
      );
      await h.client.send(
        new UpdateItemCommand({ TableName: table, Key: { id: S('m2') }, UpdateExpression: 'REMOVE #round', ExpressionAttributeNames: { '#round': 'round' } }),
      );
      await h.client.send(new DeleteItemCommand({ TableName: table, Key: { id: S('m3') } }));
      const out = await query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
      expect(ids(out.Items)).to.deep.equal(['m4', 'm1']);
    });

    it('refuses a key attribute of the wrong type and leaves the item as it was', async () => {
      const table = await bracketTable();
      await put(table, match('m1', 'eu', 'semi', 1));
      const err = await rejection(put(table, { ...match('m1', 'eu', 'semi', 1), at: S('soon') }), 'ValidationException');
      expect(err.message).to.equal('One or more parameter values were invalid: Type mismatch for Index Key at Expected: N Actual: S IndexName: bracket');
      const updated = await rejection(
        h.client.send(
          new UpdateItemCommand({
            TableName: table,
            Key: { id: S('m1') },
            UpdateExpression: 'SET #region = :r',
            ExpressionAttributeNames: { '#region': 'region' },
            ExpressionAttributeValues: { ':r': N(1) },
          }),
        ),
        'ValidationException',
      );
      expect(updated.message).to.equal(
        'One or more parameter values were invalid: Type mismatch for Index Key region Expected: S Actual: N IndexName: bracket',
      );
      const item = (await h.client.send(new GetItemCommand({ TableName: table, Key: { id: S('m1') } }))).Item;
      expect(item).to.deep.equal(match('m1', 'eu', 'semi', 1));
    });

    it('cancels a transaction whose item has a key attribute of the wrong type, at that action, and undoes every write of it', async () => {
      const table = await bracketTable();
      await put(table, match('m1', 'eu', 'semi', 1));
      const err = await rejection<Error & { CancellationReasons?: Array<{ Code?: string; Message?: string }> }>(
        h.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: { TableName: table, Item: match('m2', 'eu', 'semi', 2) } },
              {
                Update: {
                  TableName: table,
                  Key: { id: S('m1') },
                  UpdateExpression: 'SET #at = :at',
                  ExpressionAttributeNames: { '#at': 'at' },
                  ExpressionAttributeValues: { ':at': S('late') },
                },
              },
            ],
          }),
        ),
        'TransactionCanceledException',
      );
      expect(err.CancellationReasons).to.deep.equal([
        { Code: 'None' },
        {
          Code: 'ValidationError',
          Message: 'One or more parameter values were invalid: Type mismatch for Index Key at Expected: N Actual: S IndexName: bracket',
        },
      ]);
      expect((await h.client.send(new GetItemCommand({ TableName: table, Key: { id: S('m2') } }))).Item).to.equal(undefined);
      expect((await h.client.send(new GetItemCommand({ TableName: table, Key: { id: S('m1') } }))).Item).to.deep.equal(match('m1', 'eu', 'semi', 1));
      const out = await query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
      expect(ids(out.Items)).to.deep.equal(['m1']);
    });

    it('drops items the TTL sweeper removes', async () => {
      const table = await bracketTable();
      await h.client.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
      await put(table, match('m1', 'eu', 'semi', 1, { expires: N(1) }));
      await put(table, match('m2', 'eu', 'semi', 2));
      const left = await eventually(async () => {
        const out = await query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
        return ids(out.Items).join() === 'm2';
      });
      expect(left).to.equal(true);
    });

    it('refuses an empty string as a key attribute', async () => {
      const table = await bracketTable();
      const err = await rejection(put(table, match('m1', '', 'semi', 1)), 'ValidationException');
      expect(err.message).to.equal(
        'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: bracket, IndexKey: region',
      );
    });

    it('leaves nothing of the index in the items, their sizes or a table Scan', async () => {
      const table = await seeded();
      const scanned = await h.client.send(new ScanCommand({ TableName: table, ReturnConsumedCapacity: 'TOTAL' }));
      expect(scanned.Count).to.equal(5);
      for (const item of scanned.Items!)
        expect(item).to.have.all.keys(item.note ? ['at', 'id', 'note', 'region', 'round', 'tournament'] : ['at', 'id', 'region', 'round', 'tournament']);
    });
  });

  describe('Query', () => {
    it('needs = on every partition-key attribute and reads the partition in sort-key order', async () => {
      const table = await seeded();
      const out = await query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
      // round: 'final' < 'quarter' < 'semi'; then at.
      expect(ids(out.Items)).to.deep.equal(['m1', 'm5', 'm3', 'm2']);
      expect(out.Count).to.equal(4);
      expect(out.ScannedCount).to.equal(4);
      const back = await query(table, {
        KeyConditionExpression: partition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
      });
      expect(ids(back.Items)).to.deep.equal(['m2', 'm3', 'm5', 'm1']);
    });

    it('takes = on a sort-key prefix, then one range condition on the next attribute', async () => {
      const table = await seeded();
      const run = async (condition: string, more: Record<string, AttributeValue>) =>
        ids(
          (
            await query(table, {
              KeyConditionExpression: `${partition} AND ${condition}`,
              ExpressionAttributeNames: namesFor(condition),
              ExpressionAttributeValues: { ...values, ...more },
            })
          ).Items,
        );
      expect(await run('#round = :s', { ':s': S('semi') })).to.deep.equal(['m3', 'm2']);
      expect(await run('#round = :s AND #at > :a', { ':s': S('semi'), ':a': N(10) })).to.deep.equal(['m2']);
      expect(await run('#round = :s AND #at BETWEEN :a AND :b', { ':s': S('semi'), ':a': N(10), ':b': N(20) })).to.deep.equal(['m3', 'm2']);
      expect(await run('begins_with(#round, :p)', { ':p': S('s') })).to.deep.equal(['m3', 'm2']);
      expect(await run('#round < :s', { ':s': S('semi') })).to.deep.equal(['m1', 'm5']);
      expect(await run('#round >= :s', { ':s': S('quarter') })).to.deep.equal(['m5', 'm3', 'm2']);
    });

    const refused = async (table: string, input: Partial<QueryCommandInput>) => (await rejection(query(table, input), 'ValidationException')).message;

    it('refuses the shapes DynamoDB forbids', async () => {
      const table = await seeded();
      expect(await refused(table, { KeyConditionExpression: 'tournament = :t', ExpressionAttributeValues: { ':t': S('T1') } })).to.equal(
        'Query condition missed key schema element: region',
      );
      expect(
        await refused(table, {
          KeyConditionExpression: `${partition} AND #at = :a`,
          ExpressionAttributeNames: namesFor('#at'),
          ExpressionAttributeValues: { ...values, ':a': N(1) },
        }),
      ).to.equal('Query condition missed key schema element: round');
      expect(
        await refused(table, {
          KeyConditionExpression: `${partition} AND #round > :s AND #at = :a`,
          ExpressionAttributeNames: namesFor('#round #at'),
          ExpressionAttributeValues: { ...values, ':s': S('a'), ':a': N(1) },
        }),
      ).to.equal('Query key condition not supported');
      expect(
        await refused(table, {
          KeyConditionExpression: 'tournament = :t AND #region > :r',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ).to.equal('Query key condition not supported');
      expect(
        await refused(table, {
          KeyConditionExpression: `${partition} AND note = :n`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':n': S('x') },
        }),
      ).to.equal('Query condition missed key schema element: round');
      expect(
        await refused(table, {
          KeyConditionExpression: `${partition} AND #round = :s AND #at = :a AND note = :n`,
          ExpressionAttributeNames: namesFor('#round #at'),
          ExpressionAttributeValues: { ...values, ':s': S('semi'), ':a': N(1), ':n': S('x') },
        }),
      ).to.equal('Query key condition not supported');
      expect(
        await refused(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: { ':t': S('T1'), ':r': N(1) } }),
      ).to.equal('One or more parameter values were invalid: Condition parameter type does not match schema type');
    });

    it("refuses the index's key attributes in a FilterExpression", async () => {
      const table = await seeded();
      expect(
        await refused(table, {
          KeyConditionExpression: partition,
          FilterExpression: '#at > :a',
          ExpressionAttributeNames: { ...names, '#at': 'at' },
          ExpressionAttributeValues: { ...values, ':a': N(1) },
        }),
      ).to.equal('Filter Expression can only contain non-primary key attributes: Primary key attribute: at');
    });

    it('refuses ConsistentRead, and ALL_ATTRIBUTES on an index that does not project all', async () => {
      const table = await seeded();
      expect(
        await refused(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values, ConsistentRead: true }),
      ).to.equal('Consistent reads are not supported on global secondary indexes');
      const keysOnly = await seeded({ GlobalSecondaryIndexes: [{ ...BRACKET, Projection: { ProjectionType: 'KEYS_ONLY' } }] });
      expect(
        await refused(keysOnly, {
          KeyConditionExpression: partition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          Select: 'ALL_ATTRIBUTES',
        }),
      ).to.equal(
        'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index bracket because its projection type is not ALL',
      );
    });

    it('orders BETWEEN bounds of strings by UTF-8 bytes', async () => {
      const table = await seeded();
      await put(table, match('high', 'eu', '\uffff', 1));
      await put(table, match('emoji', 'eu', '😀', 1));
      const out = await query(table, {
        KeyConditionExpression: `${partition} AND #round BETWEEN :low AND :high`,
        ExpressionAttributeNames: namesFor('#round'),
        ExpressionAttributeValues: { ...values, ':low': S('\uffff'), ':high': S('😀') },
      });
      expect(ids(out.Items)).to.deep.equal(['high', 'emoji']);
    });

    it('takes the legacy KeyConditions with more than two attributes', async () => {
      const table = await seeded();
      const out = await query(table, {
        KeyConditions: {
          tournament: { ComparisonOperator: 'EQ', AttributeValueList: [S('T1')] },
          region: { ComparisonOperator: 'EQ', AttributeValueList: [S('eu')] },
          round: { ComparisonOperator: 'EQ', AttributeValueList: [S('semi')] },
          at: { ComparisonOperator: 'LT', AttributeValueList: [N(15)] },
        },
      });
      expect(ids(out.Items)).to.deep.equal(['m3']);
    });

    it('refuses a projection into a key attribute of the index', async () => {
      const table = await seeded();
      expect(
        await refused(table, {
          KeyConditionExpression: partition,
          ProjectionExpression: '#round.x',
          ExpressionAttributeNames: namesFor('#round'),
          ExpressionAttributeValues: values,
        }),
      ).to.equal("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: round");
    });

    it('pages with Limit, LastEvaluatedKey (table key + index key) and ExclusiveStartKey, forwards and back', async () => {
      const table = await seeded();
      for (const forward of [true, false]) {
        const seen: string[] = [];
        let start: Record<string, AttributeValue> | undefined;
        let pages = 0;
        do {
          const out = await query(table, {
            KeyConditionExpression: partition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            Limit: 3,
            ScanIndexForward: forward,
            ExclusiveStartKey: start,
          });
          seen.push(...ids(out.Items));
          start = out.LastEvaluatedKey;
          if (start) expect(Object.keys(start).sort()).to.deep.equal(['at', 'id', 'region', 'round', 'tournament']);
          pages += 1;
        } while (start);
        expect(pages).to.equal(2);
        expect(seen).to.deep.equal(forward ? ['m1', 'm5', 'm3', 'm2'] : ['m2', 'm3', 'm5', 'm1']);
      }
    });

    it('ends a page at 1 MB of index entries', async () => {
      const table = await bracketTable();
      const big = S('x'.repeat(350 * 1024));
      for (let i = 0; i < 4; i += 1) await put(table, match(`m${i}`, 'eu', 'semi', i, { big }));
      const first = await query(table, {
        KeyConditionExpression: partition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Select: 'COUNT',
      });
      expect(first.Count).to.equal(3);
      expect(first.LastEvaluatedKey?.id).to.deep.equal(S('m2'));
      const rest = await query(table, {
        KeyConditionExpression: partition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Select: 'COUNT',
        ExclusiveStartKey: first.LastEvaluatedKey,
      });
      expect(rest.Count).to.equal(1);
      expect(rest.LastEvaluatedKey).to.equal(undefined);
    });

    it('refuses a start key outside the partition or off the sort-key predicate', async () => {
      const table = await seeded();
      const start = match('m4', 'us', 'semi', 5);
      expect(
        await refused(table, {
          KeyConditionExpression: partition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: start,
        }),
      ).to.equal('The provided starting key is outside query boundaries based on provided conditions');
      expect(
        await refused(table, {
          KeyConditionExpression: `${partition} AND #round = :s`,
          ExpressionAttributeNames: { ...names, '#round': 'round' },
          ExpressionAttributeValues: { ...values, ':s': S('final') },
          ExclusiveStartKey: match('m2', 'eu', 'semi', 20),
        }),
      ).to.equal('The provided starting key does not match the range key predicate');
      expect(
        await refused(table, {
          KeyConditionExpression: partition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: { id: S('m1') },
        }),
      ).to.equal('The provided starting key is invalid');
    });

    it('filters after Limit, projects, counts, and reports capacity as for any GSI', async () => {
      const table = await seeded();
      const filtered = await query(table, {
        KeyConditionExpression: partition,
        FilterExpression: 'attribute_exists(note)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Limit: 2,
      });
      expect(ids(filtered.Items)).to.deep.equal(['m5']);
      expect(filtered).to.include({ Count: 1, ScannedCount: 2 });
      const projected = await query(table, {
        KeyConditionExpression: partition,
        ProjectionExpression: 'id, note',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      });
      expect(projected.Items).to.deep.equal([{ id: S('m1') }, { id: S('m5'), note: S('n5') }, { id: S('m3') }, { id: S('m2') }]);
      const counted = await query(table, {
        KeyConditionExpression: partition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        Select: 'COUNT',
      });
      expect(counted.Items).to.equal(undefined);
      expect(counted.Count).to.equal(4);
      const capacity = await query(table, {
        KeyConditionExpression: partition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnConsumedCapacity: 'INDEXES',
      });
      expect(capacity.ConsumedCapacity).to.deep.equal({
        CapacityUnits: 0.5,
        TableName: table,
        Table: { CapacityUnits: 0 },
        GlobalSecondaryIndexes: { bracket: { CapacityUnits: 0.5 } },
      });
    });

    it('projects KEYS_ONLY and INCLUDE indexes', async () => {
      const table = await seeded({ GlobalSecondaryIndexes: [{ ...BRACKET, Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['note'] } }] });
      await put(table, match('m6', 'eu', 'semi', 40, { other: S('o') }));
      const out = await query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
      expect(out.Items?.at(-1)).to.deep.equal(match('m6', 'eu', 'semi', 40));
      expect(out.Items?.find((item) => item.id.S === 'm5')?.note).to.deep.equal(S('n5'));
    });

    it('orders S by UTF-8 bytes, N as exact decimals and B by bytes', async () => {
      const table = await createTable(h.client, {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [
          { AttributeName: 'id', AttributeType: 'S' },
          { AttributeName: 'p1', AttributeType: 'S' },
          { AttributeName: 'p2', AttributeType: 'N' },
          { AttributeName: 's', AttributeType: 'S' },
          { AttributeName: 'n', AttributeType: 'N' },
          { AttributeName: 'b', AttributeType: 'B' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'typed',
            KeySchema: [
              { AttributeName: 'p1', KeyType: 'HASH' },
              { AttributeName: 'p2', KeyType: 'HASH' },
              { AttributeName: 's', KeyType: 'RANGE' },
              { AttributeName: 'n', KeyType: 'RANGE' },
              { AttributeName: 'b', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      });
      const rows: Array<[string, string, string, number[]]> = [
        ['a', '\uffff', '1', [0]],
        ['b', '😀', '1', [0]],
        ['c', 'x', '12345678901234567890123456789012345679', [0]],
        ['d', 'x', '12345678901234567890123456789012345678', [0]],
        ['e', 'x', '-1e-5', [0]],
        ['f', 'x', '-2', [0]],
        ['g', 'y', '0', [255]],
        ['h', 'y', '0', [1, 2]],
        ['i', 'y', '0', [1]],
      ];
      for (const [id, s, n, b] of rows) await put(table, { id: S(id), p1: S('p'), p2: { N: '1.0' }, s: S(s), n: { N: n }, b: B(b) });
      const out = await h.client.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'typed',
          KeyConditionExpression: 'p1 = :p AND p2 = :q',
          ExpressionAttributeValues: { ':p': S('p'), ':q': N(1) },
        }),
      );
      expect(ids(out.Items)).to.deep.equal(['f', 'e', 'd', 'c', 'i', 'h', 'g', 'a', 'b']);
    });
  });

  describe('Scan', () => {
    it('reads every entry of the index, in pages, and in segments that together cover it once', async () => {
      const table = await seeded();
      await put(table, { id: S('sparse'), tournament: S('T1') });
      const whole = await h.client.send(new ScanCommand({ TableName: table, IndexName: 'bracket' }));
      expect(ids(whole.Items).sort()).to.deep.equal(['m1', 'm2', 'm3', 'm4', 'm5']);
      const paged: string[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const out = await h.client.send(new ScanCommand({ TableName: table, IndexName: 'bracket', Limit: 2, ExclusiveStartKey: start }));
        paged.push(...ids(out.Items));
        start = out.LastEvaluatedKey;
      } while (start);
      expect(paged).to.deep.equal(ids(whole.Items));
      const segments = await Promise.all(
        [0, 1, 2].map((Segment) => h.client.send(new ScanCommand({ TableName: table, IndexName: 'bracket', Segment, TotalSegments: 3 }))),
      );
      expect(segments.flatMap((out) => ids(out.Items)).sort()).to.deep.equal(['m1', 'm2', 'm3', 'm4', 'm5']);
      const counted = await h.client.send(
        new ScanCommand({ TableName: table, IndexName: 'bracket', Select: 'COUNT', FilterExpression: 'attribute_exists(note)' }),
      );
      expect(counted).to.include({ Count: 1, ScannedCount: 5 });
    });
  });

  describe('Scan refusals', () => {
    it('refuses ConsistentRead and a start key of another segment', async () => {
      const table = await seeded();
      const consistent = await rejection(
        h.client.send(new ScanCommand({ TableName: table, IndexName: 'bracket', ConsistentRead: true })),
        'ValidationException',
      );
      expect(consistent.message).to.equal('Consistent reads are not supported on global secondary indexes');
      const first = await h.client.send(new ScanCommand({ TableName: table, IndexName: 'bracket', Limit: 1, Segment: 0, TotalSegments: 2 }));
      const start =
        first.LastEvaluatedKey ??
        (await h.client.send(new ScanCommand({ TableName: table, IndexName: 'bracket', Limit: 1, Segment: 1, TotalSegments: 2 }))).LastEvaluatedKey!;
      const segment = first.LastEvaluatedKey ? 1 : 0;
      const err = await rejection(
        h.client.send(new ScanCommand({ TableName: table, IndexName: 'bracket', Segment: segment, TotalSegments: 2, ExclusiveStartKey: start })),
        'ValidationException',
      );
      expect(err.message).to.equal(
        `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: ${segment}`,
      );
    });
  });

  describe('UpdateTable', () => {
    it('keeps the index through other changes of the table, and shows it in the answer', async () => {
      const table = await seeded();
      const out = await h.client.send(
        new UpdateTableCommand({ TableName: table, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }),
      );
      expect(out.TableDescription?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).to.deep.equal(['bracket']);
      const after = await query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
      expect(ids(after.Items)).to.deep.equal(['m1', 'm5', 'm3', 'm2']);
    });

    it('creates such an index on a table with items (filled at once) and deletes it', async () => {
      const table = await createTable(h.client, {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      });
      await put(table, match('m1', 'eu', 'semi', 1));
      await put(table, match('m2', 'eu', 'final', 2));
      await put(table, { ...match('m3', 'eu', 'final', 3), at: S('not a number') });
      const created = await h.client.send(
        new UpdateTableCommand({
          TableName: table,
          AttributeDefinitions: BRACKET_DEFINITIONS.slice(1),
          GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'bracket', KeySchema: BRACKET.KeySchema, Projection: BRACKET.Projection } }],
        }),
      );
      expect(created.TableDescription?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).to.deep.equal(['bracket']);
      const out = await query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
      expect(ids(out.Items)).to.deep.equal(['m2', 'm1']);

      const dropped = await h.client.send(new UpdateTableCommand({ TableName: table, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'bracket' } }] }));
      expect(dropped.TableDescription?.GlobalSecondaryIndexes ?? []).to.deep.equal([]);
      await rejection(
        query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values }),
        'ValidationException',
      );
    });

    it("keeps the layer's index through a rebuild for one of dynalite's GSIs", async () => {
      const table = await seeded();
      await h.client.send(
        new UpdateTableCommand({
          TableName: table,
          AttributeDefinitions: [{ AttributeName: 'note', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [
            { Create: { IndexName: 'by-note', KeySchema: [{ AttributeName: 'note', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } },
          ],
        }),
      );
      const described = (await h.client.send(new DescribeTableCommand({ TableName: table }))).Table!;
      expect(described.GlobalSecondaryIndexes!.map((g) => g.IndexName)).to.deep.equal(['bracket', 'by-note']);
      const out = await query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
      expect(ids(out.Items)).to.deep.equal(['m1', 'm5', 'm3', 'm2']);
      await put(table, match('m9', 'eu', 'semi', 99));
      const after = await query(table, { KeyConditionExpression: partition, ExpressionAttributeNames: names, ExpressionAttributeValues: values });
      expect(ids(after.Items).at(-1)).to.equal('m9');
    });

    it('refuses a second index of the same name', async () => {
      const table = await seeded();
      const err = await rejection(
        h.client.send(
          new UpdateTableCommand({
            TableName: table,
            AttributeDefinitions: BRACKET_DEFINITIONS.slice(1),
            GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'bracket', KeySchema: BRACKET.KeySchema, Projection: BRACKET.Projection } }],
          }),
        ),
        'ValidationException',
      );
      expect(err.message).to.equal('Attempting to create an index which already exists');
    });
  });
});
