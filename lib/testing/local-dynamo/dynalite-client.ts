import http from 'node:http';
import { DynamoError } from './errors';
import type { TableDescription, WireBody, WireItem } from './wire';

/**
 * Talks to the inner dynalite server directly, in DynamoDB's JSON protocol.
 *
 * Raw JSON rather than the SDK because bodies arrive from clients already in wire
 * form (binaries as base64), and going through the SDK would encode them twice.
 * These calls bypass the front server, so they never wait for its lock: the
 * caller already holds it.
 */
export class DynaliteClient {
  private readonly agent = new http.Agent({ keepAlive: true });

  constructor(private readonly port: number) {}

  /** Calls `operation`; resolves with the response body or rejects with a {@link DynamoError}. */
  call<T = WireBody>(operation: string, body: WireBody): Promise<T> {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: 'POST',
          path: '/',
          agent: this.agent,
          headers: {
            'Content-Type': 'application/x-amz-json-1.0',
            'Content-Length': payload.length,
            'X-Amz-Target': `DynamoDB_20120810.${operation}`,
            'X-Amz-Date': '20200101T000000Z',
            // dynalite checks that these parts are present, never the signature itself.
            Authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text ? JSON.parse(text) : {};
            } catch {
              parsed = { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: text };
            }
            const status = res.statusCode ?? 500;
            if (status >= 400) reject(DynamoError.fromWire(status, parsed));
            else resolve(parsed as T);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** DescribeTable's `Table`. */
  async describeTable(tableName: string): Promise<TableDescription> {
    const out = await this.call<{ Table: TableDescription }>('DescribeTable', { TableName: tableName });
    return out.Table;
  }

  /** A strongly consistent read of one item, or undefined. */
  async getItem(tableName: string, key: WireItem): Promise<WireItem | undefined> {
    const out = await this.call<{ Item?: WireItem }>('GetItem', { TableName: tableName, Key: key, ConsistentRead: true });
    return out.Item;
  }

  /** Every item of a table, read consistently page by page. */
  async scanAll(tableName: string, extra: WireBody = {}): Promise<WireItem[]> {
    const items: WireItem[] = [];
    let startKey: WireItem | undefined;
    do {
      const out = await this.call<{ Items?: WireItem[]; LastEvaluatedKey?: WireItem }>('Scan', {
        ...extra,
        TableName: tableName,
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      });
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** Closes the kept-alive sockets so the process can exit. */
  close(): void {
    this.agent.destroy();
  }
}
