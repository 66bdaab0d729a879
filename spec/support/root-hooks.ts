// One local DynamoDB for the whole run, started by the run itself; integration specs use the
// default connection made here, unit specs replace it with stubConnection(sandbox).
import { connect } from '../../lib';
import { startLocalDynamo, type LocalDynamo } from '../../lib/testing';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let local: LocalDynamo | undefined;

export const localEndpoint = (): string => {
  if (!local) throw new Error('the local DynamoDB is not started yet');
  return local.endpoint;
};

/** The run's local server itself, for what only it offers (its streams). */
export const localServer = (): LocalDynamo => {
  if (!local) throw new Error('the local DynamoDB is not started yet');
  return local;
};

export const testCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export const mochaHooks = {
  async beforeAll(this: unknown) {
    local = await startLocalDynamo({ ttlSweepMs: 100 });
    connect({ region: 'local', endpoint: local.endpoint, credentials: testCredentials });
  },
  async afterAll() {
    await local?.stop();
  },
};
