// A stand-in for a Connection's DocumentClient and DynamoDBClient: every command the
// connection sends lands in `sent`, and `answer` decides the response, by command name
// ('GetCommand', 'QueryCommand', 'CreateTableCommand', ...).
import sinon from 'sinon';
import { Connection } from '../../../lib';
import type { ConnectionConfig } from '../../../lib';

export interface SentCommand {
  name: string;
  input: Record<string, unknown>;
}

export type Answer = (command: SentCommand) => unknown;

export function fakeConnection(sandbox: sinon.SinonSandbox, config: ConnectionConfig, answer: Answer = () => ({ $metadata: {} })) {
  const conn = new Connection({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, ...config });
  const sent: SentCommand[] = [];
  const fake = {
    answer,
    send: sinon.stub().callsFake(async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const one = { name: command.constructor.name, input: command.input };
      sent.push(one);
      return fake.answer(one);
    }),
  };
  sandbox.stub(conn as unknown as { document: unknown }, 'document').get(() => fake);
  sandbox.stub(conn as unknown as { client: unknown }, 'client').get(() => fake);
  return { conn, sent, fake };
}

/** An AWS SDK error as the client throws it. */
export function awsError(name: string, attempts = 1): Error {
  return Object.assign(new Error(`${name} (fake)`), { name, $metadata: { attempts } });
}
