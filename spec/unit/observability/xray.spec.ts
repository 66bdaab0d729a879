import { expect } from 'chai';
import Module from 'node:module';
import path from 'node:path';
import sinon from 'sinon';
import { Connection, DynamormError } from '../../../lib';
import { captured, seen } from './fake-xray-sdk';

// DESIGN §2: `xray: true` wraps the client with aws-xray-sdk-core's captureAWSv3Client, the
// peer loaded only then (lib/peers/load-peer.ts); without the peer, a clear error.

const FAKE = path.join(__dirname, 'fake-xray-sdk.ts');
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

describe('observability: xray', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => {
    sandbox.restore();
    captured.length = 0;
    seen.length = 0;
  });

  // Resolves the peer's name to the fake module, as if the app had installed it.
  function installFakePeer(): void {
    const modules = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
    const resolve = modules._resolveFilename;
    sandbox.stub(modules, '_resolveFilename').callsFake(function (this: unknown, request: string, ...rest: unknown[]) {
      return request === 'aws-xray-sdk-core' ? FAKE : resolve.call(this, request, ...rest);
    });
  }

  it('xray: true hands the client to captureAWSv3Client, and requests go through what it added', async () => {
    installFakePeer();
    const conn = new Connection({ region: 'local', endpoint: 'http://127.0.0.1:1', credentials, xray: true });
    const client = conn.client;
    expect(captured).to.deep.equal([client]);
    const out = await conn.get({ TableName: 't', Key: { id: '1' } });
    // The answer came from the middleware captureAWSv3Client added: no request left the process.
    expect(JSON.stringify(out.Item)).to.contain('from-xray');
    expect(seen).to.deep.equal(['TableName,Key']);
  });

  it('without xray the peer is not loaded, even when installed', () => {
    installFakePeer();
    const conn = new Connection({ region: 'local', credentials });
    void conn.client;
    expect(captured).to.deep.equal([]);
  });

  it('xray: true without aws-xray-sdk-core installed: a DynamormError that says what to install', () => {
    const conn = new Connection({ region: 'local', credentials, xray: true });
    expect(() => conn.client).to.throw(
      DynamormError,
      'connect({ xray: true }) needs the optional peer dependency aws-xray-sdk-core: npm install aws-xray-sdk-core',
    );
  });
});
