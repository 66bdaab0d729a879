import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type CreateTableCommandOutput,
  DeleteTableCommand,
  type DeleteTableCommandInput,
  type DeleteTableCommandOutput,
  DescribeTableCommand,
  type DescribeTableCommandInput,
  type DescribeTableCommandOutput,
  DescribeTimeToLiveCommand,
  type DescribeTimeToLiveCommandInput,
  type DescribeTimeToLiveCommandOutput,
  DynamoDBClient,
  ListTablesCommand,
  type ListTablesCommandInput,
  type ListTablesCommandOutput,
  UpdateTableCommand,
  type UpdateTableCommandInput,
  type UpdateTableCommandOutput,
  UpdateTimeToLiveCommand,
  type UpdateTimeToLiveCommandInput,
  type UpdateTimeToLiveCommandOutput,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  DeleteCommand,
  type DeleteCommandInput,
  type DeleteCommandOutput,
  DynamoDBDocumentClient,
  GetCommand,
  type GetCommandInput,
  type GetCommandOutput,
  PutCommand,
  type PutCommandInput,
  type PutCommandOutput,
  QueryCommand,
  type QueryCommandInput,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandInput,
  type ScanCommandOutput,
  TransactGetCommand,
  type TransactGetCommandInput,
  type TransactGetCommandOutput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  type TransactWriteCommandOutput,
  UpdateCommand,
  type UpdateCommandInput,
  type UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { DynamormError } from '../errors/dynamorm-error';
import type { ConnectionConfig, RequestOptions } from './config';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { processState } from '../process-state';
import { loadPeer } from '../peers/load-peer';
import { currentDeadline } from './deadline';
import { withCapacityRequested } from '../observability/consumed-capacity';
import { guardRequest, isDelegated, operationOf, type RequestMethod } from './request-guard';

interface SendableCommand {
  readonly input: object;
}

type CommandClass = new (input: never) => SendableCommand;

interface Sender {
  send(command: SendableCommand, options?: RequestOptions): Promise<unknown>;
}

/**
 * The gateway to DynamoDB: every model operation goes through one of these methods and
 * nothing else, so `sinon.stub(getConnection(), 'query')` controls a test completely.
 * Data operations take and return DocumentClient shapes (native values, Sets; numbers
 * arrive wrapped, see NumberValue); table operations take client-dynamodb shapes.
 *
 * @example
 * const conn = connect({ region: 'us-east-1', tablePrefix: 'dev_' });
 * const out = await conn.get({ TableName: 'dev_users', Key: { id: '1' } });
 */
export class Connection {
  readonly config: Readonly<ConnectionConfig>;
  readonly tablePrefix: string;
  private clientInstance?: DynamoDBClient;
  private documentInstance?: DynamoDBDocumentClient;
  private closed = false;

  constructor(config: ConnectionConfig = {}) {
    this.config = Object.freeze({ ...config });
    this.tablePrefix = config.tablePrefix ?? '';
  }

  /** The full table name of a model's `@Model` table. */
  tableName(table: string): string {
    return this.tablePrefix + table;
  }

  /** The underlying client, built on first use. */
  get client(): DynamoDBClient {
    this.assertOpen();
    this.clientInstance ??= this.buildClient();
    return this.clientInstance;
  }

  private get document(): DynamoDBDocumentClient {
    this.documentInstance ??= DynamoDBDocumentClient.from(this.client, {
      marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
      unmarshallOptions: { wrapNumbers: true },
    });
    return this.documentInstance;
  }

  private buildClient(): DynamoDBClient {
    const { config } = this;
    const client =
      config.client ??
      new DynamoDBClient({
        ...config.clientConfig,
        region: config.region,
        endpoint: config.endpoint,
        credentials: config.credentials,
        maxAttempts: config.maxAttempts ?? 5,
      });
    if (!config.xray) return client;
    const xray = loadPeer<{ captureAWSv3Client<T>(client: T): T }>('aws-xray-sdk-core');
    if (!xray) throw new DynamormError('connect({ xray: true }) needs the optional peer dependency aws-xray-sdk-core: npm install aws-xray-sdk-core');
    return xray.captureAWSv3Client(client);
  }

  private closedError(): DynamormError {
    return new DynamormError('This dynamorm Connection is closed; create a new one with connect().');
  }

  private assertOpen(): void {
    if (this.closed) throw this.closedError();
  }

  /** Runs `fn` with this connection as the one every model call inside it uses. */
  run<T>(fn: () => T): T {
    // The scopes connection-context.ts reads (getConnection); taken from the process state, not
    // from there, because that file names this class.
    return (processState.scopes as AsyncLocalStorage<Connection>).run(this, fn);
  }

  /**
   * Releases the sockets of the client this connection built. A client passed in with
   * `connect({ client })` belongs to the caller and is left open. Using the connection
   * afterwards is an error.
   */
  close(): void {
    if (this.closed) return;
    if (!this.config.client) this.clientInstance?.destroy();
    this.closed = true;
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  // Not async: without a deadline, a logger or a tracer the SDK's own promise is returned as
  // it is, adding no promise layers to every request. Every failure rejects (never throws). A
  // request the invoker hands over (every model-layer request) has been raced, logged and
  // traced by it already; a direct call gets the same here. `via`: the document client for
  // data requests, the low-level client for table operations.
  private send<T>(method: RequestMethod, Command: CommandClass, input: object, options?: RequestOptions, via: 'document' | 'client' = 'document'): Promise<T> {
    if (this.closed) return Promise.reject(this.closedError());
    try {
      const transport = (via === 'document' ? this.document : this.client) as unknown as Sender;
      if (isDelegated(input)) return this.transmit(transport, via, Command, input, options);
      // Without a deadline, a logger or a tracer, guardRequest is the transmit call itself.
      return guardRequest<T>(this.config, this.tablePrefix, operationOf(method), input, options, currentDeadline(), (sent, given) =>
        this.transmit(transport, via, Command, sent, given),
      );
    } catch (error) {
      // A client that cannot be built (xray without its peer) or a malformed input: a rejection, never a throw.
      return Promise.reject(error);
    }
  }

  // Consumed capacity is asked for here, beneath a stub's place, so a stub sees the model's request as it is.
  private transmit<T>(transport: Sender, via: 'document' | 'client', Command: CommandClass, input: object, options?: RequestOptions): Promise<T> {
    return transport.send(new Command((via === 'document' ? withCapacityRequested(this.config, input) : input) as never), options) as Promise<T>;
  }

  get(input: GetCommandInput, options?: RequestOptions): Promise<GetCommandOutput> {
    return this.send('get', GetCommand, input, options);
  }
  put(input: PutCommandInput, options?: RequestOptions): Promise<PutCommandOutput> {
    return this.send('put', PutCommand, input, options);
  }
  update(input: UpdateCommandInput, options?: RequestOptions): Promise<UpdateCommandOutput> {
    return this.send('update', UpdateCommand, input, options);
  }
  delete(input: DeleteCommandInput, options?: RequestOptions): Promise<DeleteCommandOutput> {
    return this.send('delete', DeleteCommand, input, options);
  }
  query(input: QueryCommandInput, options?: RequestOptions): Promise<QueryCommandOutput> {
    return this.send('query', QueryCommand, input, options);
  }
  scan(input: ScanCommandInput, options?: RequestOptions): Promise<ScanCommandOutput> {
    return this.send('scan', ScanCommand, input, options);
  }
  batchGet(input: BatchGetCommandInput, options?: RequestOptions): Promise<BatchGetCommandOutput> {
    return this.send('batchGet', BatchGetCommand, input, options);
  }
  batchWrite(input: BatchWriteCommandInput, options?: RequestOptions): Promise<BatchWriteCommandOutput> {
    return this.send('batchWrite', BatchWriteCommand, input, options);
  }
  transactWrite(input: TransactWriteCommandInput, options?: RequestOptions): Promise<TransactWriteCommandOutput> {
    return this.send('transactWrite', TransactWriteCommand, input, options);
  }
  transactGet(input: TransactGetCommandInput, options?: RequestOptions): Promise<TransactGetCommandOutput> {
    return this.send('transactGet', TransactGetCommand, input, options);
  }
  createTable(input: CreateTableCommandInput, options?: RequestOptions): Promise<CreateTableCommandOutput> {
    return this.send('createTable', CreateTableCommand, input, options, 'client');
  }
  updateTable(input: UpdateTableCommandInput, options?: RequestOptions): Promise<UpdateTableCommandOutput> {
    return this.send('updateTable', UpdateTableCommand, input, options, 'client');
  }
  describeTable(input: DescribeTableCommandInput, options?: RequestOptions): Promise<DescribeTableCommandOutput> {
    return this.send('describeTable', DescribeTableCommand, input, options, 'client');
  }
  deleteTable(input: DeleteTableCommandInput, options?: RequestOptions): Promise<DeleteTableCommandOutput> {
    return this.send('deleteTable', DeleteTableCommand, input, options, 'client');
  }
  updateTimeToLive(input: UpdateTimeToLiveCommandInput, options?: RequestOptions): Promise<UpdateTimeToLiveCommandOutput> {
    return this.send('updateTimeToLive', UpdateTimeToLiveCommand, input, options, 'client');
  }
  describeTimeToLive(input: DescribeTimeToLiveCommandInput, options?: RequestOptions): Promise<DescribeTimeToLiveCommandOutput> {
    return this.send('describeTimeToLive', DescribeTimeToLiveCommand, input, options, 'client');
  }
  listTables(input: ListTablesCommandInput = {}, options?: RequestOptions): Promise<ListTablesCommandOutput> {
    return this.send('listTables', ListTablesCommand, input, options, 'client');
  }
}
