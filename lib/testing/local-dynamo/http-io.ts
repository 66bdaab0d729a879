import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { isRecord, type WireBody } from './wire';

/** Reads a whole request body. */
export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Sends a JSON response with the headers DynamoDB (and dynalite) send. */
export function sendJson(req: http.IncomingMessage, res: http.ServerResponse, statusCode: number, data: unknown): void {
  const body = Buffer.from(JSON.stringify(data));
  // Some clients check the body against this header (the v2 SDKs and boto do).
  res.setHeader('x-amz-crc32', crc32(body));
  res.setHeader('x-amzn-RequestId', randomBytes(39).toString('base64').toUpperCase().replace(/[+/]/g, '0'));
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
  res.setHeader('Content-Type', contentType === 'application/x-amz-json-1.0' ? contentType : 'application/json');
  res.setHeader('Content-Length', body.length);
  res.statusCode = statusCode;
  res.end(body);
}

/** An answer to send instead of an error answer of dynalite's. */
export interface ErrorAnswer {
  statusCode: number;
  toBody(): unknown;
}

/**
 * Sends the request on to `port` with its method, path, headers and body
 * unchanged, and streams the answer back. Resolves with the upstream status once
 * the answer has been fully received. With `reword`, a 400 answer is read whole first and
 * replaced by what `reword` returns for its body, if anything (only error answers pay).
 */
export function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Buffer,
  port: number,
  agent: http.Agent,
  reword?: (answer: Buffer) => ErrorAnswer | undefined,
): Promise<number> {
  return new Promise((resolve) => {
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      if (reword && answer.statusCode === 400) {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const whole = Buffer.concat(chunks);
          const replaced = reword(whole);
          if (replaced) sendJson(req, res, replaced.statusCode, replaced.toBody());
          else res.writeHead(400, answer.rawHeaders).end(whole);
          resolve(replaced ? replaced.statusCode : 400);
        });
        answer.on('error', () => resolve(502));
        return;
      }
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
      answer.on('end', () => resolve(answer.statusCode ?? 502));
      answer.on('error', () => resolve(502));
      answer.on('aborted', () => resolve(502));
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
      resolve(502);
    });
    upstream.end(body);
  });
}

let crcTable: Uint32Array | undefined;

function crc32(data: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * The request body, or undefined when it is not JSON. JSON that is not an object
 * reads as an empty request, which is what dynalite makes of it.
 */
export function parseBody(raw: Buffer): WireBody | undefined {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return isRecord(parsed) ? parsed : {};
  } catch {
    return undefined;
  }
}
