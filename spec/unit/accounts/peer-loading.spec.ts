import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const run = (script: string) => execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: root, encoding: 'utf8' });

// STS and the credential providers are for MultiAccount only: no app that does not use it
// may pay for loading them (a Lambda cold start) or find them in its bundle.
describe('MultiAccount: loading @aws-sdk/credential-providers', () => {
  it('importing dynamorm loads no STS code; building a MultiAccount and assuming a role does', () => {
    const script = `
      const stsCode = () => Object.keys(require.cache).filter((f) => /node_modules[\\\\/]@aws-sdk[\\\\/](credential-providers|client-sts|nested-clients[\\\\/].*sts)/.test(f));
      const { MultiAccount } = require('./lib');
      require('./lib/testing');
      const atImport = stsCode();
      const { fakeSts } = require('./examples/support/fake-sts');
      const sts = fakeSts();
      const accounts = new MultiAccount({ a: { roleArn: 'arn:aws:iam::111111111111:role/r', externalId: 'ext', region: 'eu-west-1',
        masterCredentials: { accessKeyId: 'm', secretAccessKey: 'm' }, stsClientConfig: { requestHandler: sts.requestHandler } } });
      const afterNew = stsCode();
      accounts.partner('a').client.config.credentials().then((credentials) => {
        process.stdout.write(JSON.stringify({ atImport, afterNew, afterAssume: stsCode(), key: credentials.accessKeyId }));
      });`;
    const out = JSON.parse(run(script)) as { atImport: string[]; afterNew: string[]; afterAssume: string[]; key: string };
    expect(out.atImport).to.deep.equal([]);
    // The same filter does see them once MultiAccount is used (so the first check can fail).
    expect(out.afterNew.some((f) => f.includes('credential-providers'))).to.equal(true);
    expect(out.afterAssume.some((f) => f.slice(f.lastIndexOf('nested-clients')).includes('sts'))).to.equal(true);
    expect(out.key).to.equal('ASIA1111111111111');
  });

  it('without the package installed, new MultiAccount says what to install', () => {
    const script = `
      const Module = require('node:module');
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request === '@aws-sdk/credential-providers') {
          throw Object.assign(new Error("Cannot find module '@aws-sdk/credential-providers'"), { code: 'MODULE_NOT_FOUND' });
        }
        return resolve.call(this, request, ...rest);
      };
      const { MultiAccount, DynamormError } = require('./lib');
      try {
        new MultiAccount({ a: { roleArn: 'arn:aws:iam::111111111111:role/r', externalId: 'ext', region: 'eu-west-1' } });
        process.stdout.write('no error');
      } catch (error) {
        process.stdout.write(JSON.stringify({ dynamorm: error instanceof DynamormError, message: error.message }));
      }`;
    const out = JSON.parse(run(script)) as { dynamorm: boolean; message: string };
    expect(out.dynamorm).to.equal(true);
    expect(out.message).to.contain('npm install @aws-sdk/credential-providers');
  });
});
