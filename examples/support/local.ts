// Where the examples run: DynamoDB at $DYNAMODB_ENDPOINT (DynamoDB Local, LocalStack, ...)
// when it is set, else an embedded in-memory server from 'dynamorm/testing' that lives for
// the duration of one example.
import { connect, type Connection } from 'dynamorm';
import { startLocalDynamo, type LocalDynamo } from 'dynamorm/testing';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface DynamoTarget {
  /** The endpoint the connection talks to. */
  endpoint: string;
  /** True when the embedded server was started for this run. */
  embedded: boolean;
  /** The embedded server, for what only it offers (its streams as Lambda events); absent with an external endpoint. */
  local?: LocalDynamo;
  connection: Connection;
}

const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Connects (the default dynamorm connection), runs `fn`, then closes the connection and
 * stops the embedded server if one was started.
 *
 * With an external endpoint the tables get a per-run prefix (override it with
 * $DYNAMORM_TABLE_PREFIX), so a run never meets the leftovers of an earlier one; the
 * examples delete their tables when they finish.
 *
 * @example
 * await withDynamo(async () => { await ensureTable(User); ... });
 */
export async function withDynamo<T>(fn: (target: DynamoTarget) => Promise<T>): Promise<T> {
  const external = process.env.DYNAMODB_ENDPOINT;
  if (external) {
    const hasEnvCredentials = Boolean(process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY);
    const connection = connect({
      region: process.env.AWS_REGION ?? 'local',
      endpoint: external,
      // Without credentials in the environment, DynamoDB Local accepts any.
      credentials: hasEnvCredentials ? undefined : localCredentials,
      tablePrefix: process.env.DYNAMORM_TABLE_PREFIX ?? `examples_${Date.now().toString(36)}_`,
    });
    try {
      return await fn({ endpoint: external, embedded: false, connection });
    } finally {
      connection.close();
    }
  }

  const local = await startLocalDynamo();
  const connection = connect({ region: 'local', endpoint: local.endpoint, credentials: localCredentials });
  try {
    return await fn({ endpoint: local.endpoint, embedded: true, local, connection });
  } finally {
    connection.close();
    await local.stop();
  }
}
