import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface PackageJson {
  version: string;
  license: string;
  keywords?: string[];
  scripts: Record<string, string>;
  files: string[];
  dependencies: Record<string, string>;
}

const pkg = JSON.parse(read('package.json')) as PackageJson;

// What a company's package review looks at before approving the package: a licence file that
// matches the declared licence, a changelog, no install-time scripts, dependencies in step.
describe('package metadata', () => {
  it('ships an MIT LICENSE file, as package.json declares', () => {
    expect(pkg.license).to.equal('MIT');
    expect(read('LICENSE')).to.match(/^MIT License\n\nCopyright \(c\) \d{4} /);
  });

  it('keeps a CHANGELOG.md with an entry for the current version, and ships it', () => {
    expect(read('CHANGELOG.md')).to.include(`\n## ${pkg.version}\n`);
    expect(pkg.files).to.include('CHANGELOG.md');
    const config = JSON.parse(read('.changeset/config.json')) as { access: string; baseBranch: string };
    expect(config.access).to.equal('public');
  });

  it('runs no script when an app installs it (npm 11 warns of them): the build runs before packing', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts, hook).to.not.have.property(hook);
    expect(pkg.scripts.prepack).to.equal('npm run build');
  });

  it('has keywords that name what it is', () => {
    expect(pkg.keywords).to.include.members(['dynamodb', 'orm', 'typescript']);
  });

  it('asks for @aws-sdk/util-dynamodb in the range @aws-sdk/lib-dynamodb itself requires (it has its own version line)', () => {
    const lib = JSON.parse(read('node_modules/@aws-sdk/lib-dynamodb/package.json')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['@aws-sdk/util-dynamodb']).to.equal(lib.dependencies['@aws-sdk/util-dynamodb']);
  });

  it('refers to no document outside the repository (the design notes are not shipped): no DESIGN or § in lib/ or the README', () => {
    const files = (dir: string): string[] =>
      fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const rel = path.join(dir, entry.name);
        if (entry.isDirectory()) return files(rel);
        return rel.endsWith('.ts') ? [rel] : [];
      });
    const offenders = [...files('lib'), 'README.md'].filter((file) => /DESIGN|§/.test(read(file)));
    expect(offenders).to.deep.equal([]);
  });
});
