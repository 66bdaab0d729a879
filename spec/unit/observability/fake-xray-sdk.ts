// Stands in for the optional peer aws-xray-sdk-core in xray.spec.ts: its
// captureAWSv3Client adds a middleware to the client (as the real one does, to open a
// subsegment per call), which here answers every request itself, so no server is needed.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export const captured: DynamoDBClient[] = [];
export const seen: string[] = [];

export function captureAWSv3Client<T extends DynamoDBClient>(client: T): T {
  captured.push(client);
  client.middlewareStack.add(
    () => async (args) => {
      seen.push(Object.keys(args.input ?? {}).join(','));
      return { response: {}, output: { Item: { id: { S: 'from-xray' } }, $metadata: {} } };
    },
    { step: 'build', name: 'fakeXRay' },
  );
  return client;
}
