import { expect } from 'chai';
import Module from 'node:module';
import path from 'node:path';
import sinon from 'sinon';
import { DynamormError, MultiAccount } from '../../../lib';
import { loadPeer } from '../../../lib/peers/load-peer';
import { startLocalDynamo } from '../../../lib/testing';

// lib/peers/load-peer.ts: an optional peer that is not installed is undefined (the caller says
// what to install); one that is installed but fails to load is a DynamormError carrying the
// failure as its cause, never "needs the optional peer dependency".

const FIXTURES = path.join(__dirname, '../../support/fixtures/peers');
const fixture = (name: string): string => path.join(FIXTURES, `${name}.js`);

describe('loadPeer: optional peers that are missing, and peers that fail to load', () => {
  const sandbox = sinon.createSandbox();
  afterEach(() => sandbox.restore());

  // Resolves each peer name to its fixture file, as if the app had installed it there.
  function installPeers(peers: Record<string, string>): void {
    const modules = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
    const resolve = modules._resolveFilename;
    sandbox.stub(modules, '_resolveFilename').callsFake(function (this: unknown, request: string, ...rest: unknown[]) {
      return request in peers ? peers[request] : resolve.call(this, request, ...rest);
    });
  }

  const thrown = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (error) {
      return error;
    }
    return expect.fail('expected an error');
  };

  it('is undefined for a peer that is not installed, and the module of one that is', () => {
    installPeers({ 'dynamorm-fixture-peer': fixture('loads') });
    expect(loadPeer('dynamorm-fixture-peer-not-installed')).to.equal(undefined);
    expect(loadPeer('dynamorm-fixture-peer')).to.deep.equal({ loaded: true });
  });

  it('a peer that throws while loading: a DynamormError with the failure as cause', () => {
    installPeers({ 'dynamorm-fixture-peer': fixture('throws-on-load') });
    const error = thrown(() => loadPeer('dynamorm-fixture-peer')) as DynamormError;
    expect(error).to.be.instanceOf(DynamormError);
    expect(error.message).to.equal(
      'The optional peer dependency dynamorm-fixture-peer is installed but failed to load: this peer failed while loading (reinstall it if its install is broken).',
    );
    expect(error.cause).to.be.instanceOf(Error).and.have.property('message', 'this peer failed while loading');
  });

  it('a peer whose own dependency is missing: a DynamormError naming that dependency, not the peer as missing', () => {
    installPeers({ 'dynamorm-fixture-peer': fixture('missing-dependency') });
    const error = thrown(() => loadPeer('dynamorm-fixture-peer')) as DynamormError;
    expect(error).to.be.instanceOf(DynamormError);
    expect(error.message).to.match(
      /^The optional peer dependency dynamorm-fixture-peer is installed but failed to load: Cannot find module 'dynamorm-fixture-dependency-that-is-not-installed'/,
    );
    expect(error.cause).to.have.property('code', 'MODULE_NOT_FOUND');
  });

  it('a peer that resolves to a broken package (an error other than not found): a DynamormError with the cause', () => {
    const broken = Object.assign(new Error('Invalid package config /app/node_modules/dynamorm-fixture-peer/package.json.'), {
      code: 'ERR_INVALID_PACKAGE_CONFIG',
    });
    const modules = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
    const resolve = modules._resolveFilename;
    sandbox.stub(modules, '_resolveFilename').callsFake(function (this: unknown, request: string, ...rest: unknown[]) {
      if (request === 'dynamorm-fixture-peer') throw broken;
      return resolve.call(this, request, ...rest);
    });
    const error = thrown(() => loadPeer('dynamorm-fixture-peer')) as DynamormError;
    expect(error).to.be.instanceOf(DynamormError);
    expect(error.message).to.include('is installed but failed to load: Invalid package config');
    expect(error.cause).to.equal(broken);
  });

  it('startLocalDynamo with a dynalite that fails to load says why, not that dynalite is missing', async () => {
    installPeers({ dynalite: fixture('throws-on-load') });
    const error = await startLocalDynamo().then(
      (local) => local.stop().then(() => expect.fail('started')),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(DynamormError);
    expect((error as Error).message).to.include('dynalite is installed but failed to load: this peer failed while loading');
    expect((error as Error).message).not.to.include('needs the optional peer');
    expect((error as Error).cause).to.have.property('message', 'this peer failed while loading');
  });

  it('new MultiAccount with credential providers that fail to load says why, not that they are missing', () => {
    installPeers({ '@aws-sdk/credential-providers': fixture('missing-dependency') });
    const error = thrown(() => new MultiAccount({ a: { roleArn: 'arn:aws:iam::111111111111:role/r', externalId: 'ext', region: 'eu-west-1' } }));
    expect(error).to.be.instanceOf(DynamormError);
    expect((error as Error).message).to.include(
      "@aws-sdk/credential-providers is installed but failed to load: Cannot find module 'dynamorm-fixture-dependency-that-is-not-installed'",
    );
    expect((error as Error).message).not.to.include('needs the optional peer');
  });
});
