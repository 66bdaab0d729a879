import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildPackageOnce } from '../support/build-package';

// What users install: the CommonJS build in dist/, reached through package.json `exports`.
describe('the published package', function () {
  this.timeout(120_000);
  const root = path.resolve(__dirname, '../..');

  before(() => {
    buildPackageOnce();
  });

  it("resolves 'dynamorm' and 'dynamorm/testing' through exports, sharing one connection registry", () => {
    const script = `
      const dynamorm = require('dynamorm');
      const testing = require('dynamorm/testing');
      const sinon = require('sinon');
      const sandbox = sinon.createSandbox();
      const stub = testing.stubConnection(sandbox);
      const same = dynamorm.getConnection() === stub;
      sandbox.restore();
      process.stdout.write(JSON.stringify({
        main: require.resolve('dynamorm').replace(process.cwd(), ''),
        testing: require.resolve('dynamorm/testing').replace(process.cwd(), ''),
        same,
        exports: Object.keys(dynamorm).length,
      }));`;
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
    expect(out.main).to.equal(path.join(path.sep, 'dist', 'index.js'));
    expect(out.testing).to.equal(path.join(path.sep, 'dist', 'testing', 'index.js'));
    expect(out.same).to.equal(true);
    expect(out.exports).to.be.greaterThan(30);
  });
  it('shares one process-wide state between the CommonJS and the ESM build loaded side by side', () => {
    // An ES module that imports the ESM build and requires the CommonJS one.
    const script = `
      import { createRequire } from 'node:module';
      import * as esm from 'dynamorm';
      import * as esmTesting from 'dynamorm/testing';
      const require = createRequire(import.meta.url);
      const cjs = require('dynamorm');
      const cjsTesting = require('dynamorm/testing');
      const out = { twoCopies: esm.BaseModel !== cjs.BaseModel, esmFile: import.meta.resolve('dynamorm').replace(/^.*[\\/]dist/, 'dist') };

      const conn = esm.connect({ region: 'x' });
      out.defaultShared = cjs.getConnection() === conn;
      const other = new cjs.Connection({ region: 'y' });
      out.runShared = other.run(() => esm.getConnection() === other);

      const sinon = require('sinon');
      const sandbox = sinon.createSandbox();
      const stub = cjsTesting.stubConnection(sandbox);
      out.stubShared = esm.getConnection() === stub;
      sandbox.restore();
      out.restored = esm.getConnection() === conn;

      // Decorators of one copy, models used through the other: one registry of facts.
      class Note extends cjs.BaseModel {}
      esm.PartitionKey()(Note.prototype, 'id');
      esm.Attribute()(Note.prototype, 'body');
      esm.Model({ table: 'notes' })(Note);
      const sandbox2 = sinon.createSandbox();
      const stub2 = esmTesting.stubConnection(sandbox2);
      stub2.get.resolves({ Item: { id: '1', body: 'hi' } });
      const found = await Note.find('1');
      out.crossModel = found.body === 'hi' && stub2.get.firstCall.args[0].TableName === 'notes';
      stub2.get.resolves({});
      const error = await Note.find('2').catch((e) => e);
      out.crossErrors = error instanceof esm.ItemNotFoundError && error instanceof cjs.ItemNotFoundError && error.name === 'ItemNotFoundError';
      sandbox2.restore();
      process.stdout.write(JSON.stringify(out));`;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }));
    expect(out).to.deep.equal({
      twoCopies: true, esmFile: 'dist/esm/index.mjs', defaultShared: true, runShared: true, stubShared: true, restored: true, crossModel: true, crossErrors: true,
    });
  });
});
