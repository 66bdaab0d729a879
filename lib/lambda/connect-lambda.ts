// Named imports: a default import of a Node module costs a copy of all its properties at
// import time in the CommonJS build (esbuild's __toESM).
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { ConnectionConfig } from '../connection/config';
import { connect } from '../connection/connect';
import type { Connection } from '../connection/connection';
import { DynamormError } from '../errors/dynamorm-error';

/** Options of `connectLambda()`: those of `connect()`, and the transport's bounds. */
export interface LambdaConnectionConfig extends ConnectionConfig {
  /** Time to open a TCP (and TLS) connection before the attempt fails and is retried. Default 1000 ms. */
  connectionTimeoutMs?: number;
  /** Time one attempt (request and response) may take before it fails and is retried. Default 3000 ms. */
  requestTimeoutMs?: number;
  /** Sockets kept per endpoint by the keep-alive agents. Default 50. */
  maxSockets?: number;
}

/** What connectLambda uses where the config says nothing. */
const LAMBDA_DEFAULTS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000, maxSockets: 50, maxAttempts: 3 } as const;

function bound(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new DynamormError(`connectLambda: ${name} must be a positive number (got ${String(value)}).`);
  }
  return value;
}

/**
 * connect() for AWS Lambda: builds the client now, during init, so warm invocations reuse it
 * and its open sockets; keep-alive agents (a TLS handshake per request costs more than
 * DynamoDB's answer); bounded connection and request times, so a lost packet costs one
 * retry instead of the whole invocation; `maxAttempts` 3 (the function's deadline, not the
 * retries, should decide when to stop). Everything can be overridden: `maxAttempts`, the
 * bounds below, `clientConfig.requestHandler`, or a ready `client`. Sets the default
 * connection and returns it.
 *
 * @example
 * const conn = connectLambda({ region: process.env.AWS_REGION });
 * preRegister(User, Order);
 * export const handler = (event: { id: string }, context: Context) => withLambdaTimeout(context, () => User.find(event.id));
 */
export function connectLambda(config: LambdaConnectionConfig = {}): Connection {
  const { connectionTimeoutMs, requestTimeoutMs, maxSockets, ...rest } = config;
  const connectionTimeout = bound('connectionTimeoutMs', connectionTimeoutMs, LAMBDA_DEFAULTS.connectionTimeoutMs);
  const requestTimeout = bound('requestTimeoutMs', requestTimeoutMs, LAMBDA_DEFAULTS.requestTimeoutMs);
  const sockets = bound('maxSockets', maxSockets, LAMBDA_DEFAULTS.maxSockets);
  const requestHandler = rest.clientConfig?.requestHandler ?? {
    connectionTimeout,
    requestTimeout,
    // Without it a request over its requestTimeout is only logged as a warning.
    throwOnRequestTimeout: true,
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: sockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: sockets }),
  };
  const conn = connect({
    ...rest,
    maxAttempts: rest.maxAttempts ?? LAMBDA_DEFAULTS.maxAttempts,
    clientConfig: { ...rest.clientConfig, requestHandler },
  });
  // Built during init (Lambda gives the init phase a full CPU burst), not by the first
  // invocation's first request.
  void conn.client;
  return conn;
}
