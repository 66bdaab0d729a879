// arn:<partition>:dynamodb:<region>:<account>:table/<table>/stream/<label>
const STREAM_ARN = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\/[^/]+$/;

/**
 * The table a stream record's `eventSourceARN` names (prefix included), or undefined when it
 * is not a DynamoDB stream ARN.
 *
 * @example
 * tableOfArn('arn:aws:dynamodb:eu-west-1:123456789012:table/dev_users/stream/2024-01-01T00:00:00.000'); // 'dev_users'
 */
export function tableOfArn(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  return STREAM_ARN.exec(arn)?.[1];
}
