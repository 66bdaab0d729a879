import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

// Lambda pays for every module loaded at import: class-validator alone costs ~100 ms.
describe('importing dynamorm', () => {
  it('loads neither class-validator nor class-transformer', () => {
    const root = path.resolve(__dirname, '../..');
    const script = `
      require('./lib');
      require('./lib/testing');
      const loaded = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](class-validator|class-transformer|reflect-metadata|dynalite)[\\\\/]/.test(f));
      process.stdout.write(JSON.stringify(loaded));`;
    const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out)).to.deep.equal([]);
  });
});
