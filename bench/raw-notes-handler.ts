// The notes handler of examples/lambda written by hand with the raw SDK, as a careful
// user would: the baseline of `npm run bench:bundles`' cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION ?? 'us-east-1', endpoint: process.env.DYNAMODB_ENDPOINT }));

export interface NoteEvent {
  id: string;
  body?: string;
}

export async function handler(event: NoteEvent): Promise<{ statusCode: number; body: string }> {
  if (event.body === undefined) {
    const { Item } = await client.send(new GetCommand({ TableName: 'lambda_notes', Key: { id: event.id } }));
    return Item ? { statusCode: 200, body: JSON.stringify(Item) } : { statusCode: 400, body: JSON.stringify({ error: 'ItemNotFound' }) };
  }
  const Item = { id: event.id, body: event.body, createdAt: new Date().toISOString(), version: 1 };
  try {
    await client.send(
      new PutCommand({ TableName: 'lambda_notes', Item, ConditionExpression: 'attribute_not_exists(#id)', ExpressionAttributeNames: { '#id': 'id' } }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return { statusCode: 400, body: JSON.stringify({ error: 'ItemExists' }) };
    throw error;
  }
  return { statusCode: 200, body: JSON.stringify(Item) };
}
