import { expect } from 'chai';
import { DescribeTableCommand, ListTagsOfResourceCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-dynamodb';
import { createTable, rawCall, rejection, useLocalServer } from './support';

describe('local server: TagResource, UntagResource and ListTagsOfResource name their table by ARN as DynamoDB checks it', () => {
  const h = useLocalServer();
  const missingArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/nonexistent_table_xyz';

  it('refuses an ARN that is not one with a ValidationException', async () => {
    const calls = [
      () => h.client.send(new TagResourceCommand({ ResourceArn: 'not-a-valid-arn', Tags: [{ Key: 'env', Value: 'test' }] })),
      () => h.client.send(new UntagResourceCommand({ ResourceArn: 'not-a-valid-arn', TagKeys: ['env'] })),
      () => h.client.send(new ListTagsOfResourceCommand({ ResourceArn: 'not-a-valid-arn' })),
    ];
    for (const call of calls) {
      const err = await rejection(call(), 'ValidationException');
      expect(err.message).to.equal('Invalid TableArn: Invalid ResourceArn provided as input not-a-valid-arn');
    }
  });

  it('denies access to a well-formed ARN naming no table', async () => {
    const listed = await rejection(h.client.send(new ListTagsOfResourceCommand({ ResourceArn: missingArn })), 'AccessDeniedException');
    expect(listed.message).to.equal(
      `User: arn:aws:iam::000000000000:dynalite is not authorized to perform: dynamodb:ListTagsOfResource on resource: ${missingArn}`,
    );
    await rejection(h.client.send(new TagResourceCommand({ ResourceArn: missingArn, Tags: [{ Key: 'k', Value: 'v' }] })), 'AccessDeniedException');
    await rejection(h.client.send(new UntagResourceCommand({ ResourceArn: missingArn, TagKeys: ['k'] })), 'AccessDeniedException');
  });

  it("keeps dynalite's earlier checks in their place", async () => {
    const notString = await rawCall(h.local.endpoint, 'TagResource', { ResourceArn: 5, Tags: [] });
    expect(notString.body).to.deep.include({ __type: 'com.amazon.coral.service#SerializationException' });
    const absent = await rawCall(h.local.endpoint, 'ListTagsOfResource', {});
    expect(absent.body).to.deep.equal({ __type: 'com.amazon.coral.validate#ValidationException', message: 'Invalid TableArn' });
  });

  it('tags, lists and untags an existing table', async () => {
    const table = await createTable(h.client);
    const ResourceArn = (await h.client.send(new DescribeTableCommand({ TableName: table }))).Table?.TableArn;
    await h.client.send(
      new TagResourceCommand({
        ResourceArn,
        Tags: [
          { Key: 'env', Value: 'test' },
          { Key: 'team', Value: 'orm' },
        ],
      }),
    );
    await h.client.send(new UntagResourceCommand({ ResourceArn, TagKeys: ['team'] }));
    const out = await h.client.send(new ListTagsOfResourceCommand({ ResourceArn }));
    expect(out.Tags).to.deep.equal([{ Key: 'env', Value: 'test' }]);
  });
});
