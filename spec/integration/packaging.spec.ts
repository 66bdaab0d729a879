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
});
