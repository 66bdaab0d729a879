// What an application gets from `npm install dynamorm`: the tarball `npm pack` makes (its
// `prepack` script builds), extracted into fresh apps' node_modules — a copy, not a link to
// this repo, so that dynamorm resolves its peers from the app, as when it is installed.
//
// The apps live in .tmp/ (git-ignored), so TypeScript, the AWS SDK, class-validator, sinon
// and their types resolve from this repo's node_modules by walking up: no network and no
// npm install per app. The one app that must not see sinon's types lives outside the repo,
// with links to exactly what it needs.
//
// TypeScript: every app is compiled by this repo's tsc with `strict` and `skipLibCheck:
// false` (dynamorm's declarations are checked too) under each moduleResolution an app may
// use. Runtime: a model with class-validator constraints is validated by the built package
// with class-validator 0.14 and 0.15 (the peer range) as the app's copy; and an app started
// from another directory finds the optional peers installed beside dynamorm, with either build.
import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { localEndpoint, testCredentials } from '../support/root-hooks';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const repoModules = path.join(root, 'node_modules');
const tsc = path.join(repoModules, 'typescript', 'bin', 'tsc');
/** TypeScript 7 (the native compiler), installed as the dev dependency `typescript-7`, beside 5.9. */
const tsc7 = path.join(repoModules, 'typescript-7', 'bin', 'tsc');

/**
 * `tar -xzf` of the package into `<app>/node_modules/dynamorm`, and the app's own files. An
 * app has its own package.json: without one, the repo's (named dynamorm) would be the app's
 * package scope, and `dynamorm` would resolve to the repo itself (a self-reference).
 */
function makeApp(dir: string, tarball: string, files: Record<string, string>): void {
  const installed = path.join(dir, 'node_modules', 'dynamorm');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  const all = { 'package.json': `${JSON.stringify({ name: path.basename(dir), private: true })}\n`, ...files };
  for (const [name, text] of Object.entries(all)) fs.writeFileSync(path.join(dir, name), text);
}

function link(dir: string, name: string, target: string): void {
  const at = path.join(dir, 'node_modules', name);
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.symlinkSync(target, at, 'dir');
}

/** Runs `tasks` at most `limit` at a time. */
async function pooled<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

const ownSource = (file: string): boolean => ['lib', 'dist'].some((dir) => file.startsWith(path.join(root, dir) + path.sep));

interface Compiled {
  /** tsc's diagnostics ('' when the app compiles). */
  diagnostics: string;
  /** The files of dynamorm's that the program read (its declarations, never this repo's sources). */
  dynamormFiles: string[];
}

async function typecheck(dir: string, compiler = tsc): Promise<Compiled> {
  let output: string;
  try {
    output = (await run(process.execPath, [compiler, '-p', dir, '--pretty', 'false', '--listFiles'], { cwd: dir })).stdout;
  } catch (error) {
    const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
    output = `${stdout ?? ''}${stderr ?? ''}` || message;
  }
  const lines = output.split(/\r?\n/).filter(Boolean);
  const listed = (line: string): boolean => path.isAbsolute(line) && !/\(\d+,\d+\)/.test(line);
  return {
    diagnostics: lines.filter((line) => !listed(line)).join('\n'),
    dynamormFiles: lines.filter((line) => listed(line) && (/[\\/]dynamorm[\\/]dist[\\/]/.test(line) || ownSource(line))),
  };
}

const tsconfig = (options: Record<string, unknown>): string =>
  JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        ...options,
        strict: true,
        skipLibCheck: false,
        experimentalDecorators: true,
        noUncheckedSideEffectImports: true,
        noEmit: true,
        types: ['node'],
      },
      include: ['*.ts'],
    },
    null,
    2,
  );

// --- The apps' TypeScript sources ----------------------------------------------------------

const modelTs = `
import { IsEmail, Length } from 'class-validator';
import { Attribute, BaseModel, CreatedAt, Index, Model, PartitionKey, SortKey, UpdatedAt, Version } from 'dynamorm';

@Model({ table: 'users' })
export class User extends BaseModel {
  @PartitionKey() id!: string;
  @SortKey({ type: Number }) since!: number;
  @Index('by-email', 'pk') @IsEmail() email!: string;
  @Attribute() @Length(2, 40) name!: string;
  @Attribute({ type: Number }) age?: number;
  @Attribute({ set: true }) tags?: Set<string>;
  @CreatedAt() createdAt!: Date;
  @UpdatedAt() updatedAt!: Date;
  @Version() version!: number;
}
`;

const apiTs = `
import 'dynamorm/class-validator';
import 'dynamorm/class-transformer';
import * as dynamorm from 'dynamorm';
import {
  BaseModel, ConditionFailedError, Connection, DynamormError, ItemNotFoundError, ValidationError, VersionConflictError,
  connect, createTable, ensureTable, getConnection,
  type DecodeIssue, type ModelInput, type ModelKey,
} from 'dynamorm';
import { User } from './model.js';

export async function useTheApi(): Promise<string[]> {
  const conn: Connection = connect({ region: 'local', endpoint: 'http://127.0.0.1:8000', tablePrefix: 'dev_' });
  const same: boolean = getConnection() === conn;
  const created = await createTable(User);
  const table: string | undefined = (await ensureTable(User)).TableName;

  const built: User = User.build({ id: 'u1', since: 2024, email: 'ann@example.com', name: 'Ann' });
  await built.save();
  const bob: User = await User.create({ id: 'u2', since: 2024, email: 'bob@example.com', name: 'Bob', age: 30, tags: new Set(['a']) });
  const key: ModelKey<User> = { id: 'u1', since: 2024 };
  const found: User = await User.find(key);
  const maybe: User | undefined = await User.get({ id: 'u3', since: 1 }, { consistent: true });
  found.name = 'Annie';
  const changed: string[] = found.changedAttributes();
  const saved: User = await found.save();
  const updated: User = await found.update({ age: 31 });
  const input: ModelInput<User> = { name: 'Bo' };
  await bob.update(input);
  const issues: DecodeIssue[] = found.decodeErrors();
  const json: Record<string, unknown> = found.toJSON();
  await bob.delete();
  const isModel: boolean = found instanceof BaseModel && dynamorm.BaseModel === BaseModel;

  const other = new Connection({ region: 'local', endpoint: 'http://127.0.0.1:8001' });
  const inScope: User | undefined = await other.run(() => User.get(key));
  other.close();

  // @ts-expect-error a misspelt property is a compile-time error
  User.build({ id: 'u4', since: 1, emial: 'x' });
  // @ts-expect-error ... and so is one on an instance
  found.nmae = 'Ann';
  // @ts-expect-error ... and a value of the wrong type
  await found.update({ age: 'thirty' });

  try {
    await User.create({ id: 'u1', since: 2024, email: 'not an email', name: 'A' });
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => Object.values(e.constraints ?? {}).join());
    if (error instanceof VersionConflictError || error instanceof ConditionFailedError || error instanceof ItemNotFoundError) {
      return [error.name, error.message];
    }
    if (error instanceof DynamormError) return [error.message];
    throw error;
  }
  return [String(same), String(created?.TableName), String(table), String(maybe), String(changed), String(saved.version),
    String(updated.age), String(issues.length), String(json), String(isModel), String(inScope)];
}
`;

const localServerTs = `
import { connect } from 'dynamorm';
import { startLocalDynamo, type LocalDynamo, type LocalDynamoOptions } from 'dynamorm/testing';

export async function withLocalServer(options: LocalDynamoOptions = { ttlSweepMs: 100 }): Promise<void> {
  const local: LocalDynamo = await startLocalDynamo(options);
  connect({ region: 'local', endpoint: local.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  await local.stop();
}
`;

const stubsTs = `
import { assert as sinonAssert, createSandbox } from 'sinon';
import type { GetCommandInput } from '@aws-sdk/lib-dynamodb';
import { stubConnection, type StubbedConnection } from 'dynamorm/testing';
import { User } from './model.js';

export async function withStubs(): Promise<void> {
  const sandbox = createSandbox();
  const conn: StubbedConnection = stubConnection(sandbox, { tablePrefix: 'test_' });
  conn.get.resolves({ Item: { id: 'u1', since: 2024, email: 'ann@example.com', name: 'Ann' } });
  conn.put.onFirstCall().rejects(Object.assign(new Error('taken'), { name: 'ConditionalCheckFailedException' }));
  // @ts-expect-error stubs resolve what the method resolves (an Item is an object)
  conn.get.resolves({ Item: 'not an item' });
  const user: User = await User.find({ id: 'u1', since: 2024 });
  const input: GetCommandInput = conn.get.firstCall.args[0];
  const table: string | undefined = conn.get.firstCall.args[0].TableName;
  // @ts-expect-error the recorded arguments are typed
  conn.get.firstCall.args[0].NoSuchField;
  sinonAssert.calledOnce(conn.get);
  const calls: number = conn.put.callCount;
  sandbox.restore();
  void [user, input, table, calls];
}
`;

// A CommonJS app gets a module object; an ES module has no default export to import.
const esmOnlyTs = `
// @ts-expect-error dynamorm's ES module has no default export
import dynamorm from 'dynamorm';
import { BaseModel } from 'dynamorm';
import { startLocalDynamo } from 'dynamorm/testing';
export const same = [dynamorm, BaseModel, startLocalDynamo];
`;

const appSources = { 'model.ts': modelTs, 'api.ts': apiTs, 'local-server.ts': localServerTs, 'stubs.ts': stubsTs };

interface TsApp {
  name: string;
  title: string;
  /** Outside the repo: nothing resolves by walking up into its node_modules. */
  isolated?: boolean;
  /** The declarations its imports of `dynamorm` and `dynamorm/testing` must reach. */
  entries: string[];
  files: Record<string, string>;
}

const tsApps: TsApp[] = [
  {
    name: 'node10',
    title: 'moduleResolution node10 (module commonjs, the defaults)',
    entries: ['dist/index.d.ts', 'dist/testing/index.d.ts'],
    files: { ...appSources, 'tsconfig.json': tsconfig({ module: 'commonjs' }) },
  },
  {
    name: 'node16-cjs',
    title: 'moduleResolution node16, a CommonJS app',
    entries: ['dist/index.d.ts', 'dist/testing/index.d.ts'],
    files: {
      ...appSources,
      'package.json': '{ "name": "node16-cjs", "private": true, "type": "commonjs" }\n',
      'tsconfig.json': tsconfig({ module: 'node16' }),
    },
  },
  {
    name: 'node16-esm',
    title: 'moduleResolution node16, an ES module app ("type": "module")',
    entries: ['dist/esm/index.d.mts', 'dist/esm/testing/index.d.mts'],
    files: {
      ...appSources,
      'esm-only.ts': esmOnlyTs,
      'package.json': '{ "name": "node16-esm", "private": true, "type": "module" }\n',
      'tsconfig.json': tsconfig({ module: 'node16' }),
    },
  },
  {
    name: 'bundler',
    title: 'moduleResolution bundler (module esnext)',
    entries: ['dist/esm/index.d.mts', 'dist/esm/testing/index.d.mts'],
    files: { ...appSources, 'esm-only.ts': esmOnlyTs, 'tsconfig.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }) },
  },
  {
    name: 'no-sinon',
    title: 'an app without sinon or @types/sinon that uses startLocalDynamo',
    entries: ['dist/testing/index.d.ts'],
    isolated: true,
    files: { 'local-server.ts': localServerTs, 'tsconfig.json': tsconfig({ module: 'commonjs' }) },
  },
];

// --- The runtime apps: class-validator 0.14 and 0.15 --------------------------------------

// Plain JavaScript, decorators applied as TypeScript's experimentalDecorators emit does.
const validateBody = (table: string): string => `
class Signup extends BaseModel {}
const decorate = (key, ...decorators) => decorators.reverse().forEach((d) => d(Signup.prototype, key));
decorate('id', PartitionKey());
decorate('email', Attribute(), IsEmail());
decorate('name', Attribute(), Length(2, 40));
Model({ table: ${JSON.stringify(table)} })(Signup);

connect({ region: 'local', endpoint: process.env.ENDPOINT, credentials: ${JSON.stringify(testCredentials)} });
await ensureTable(Signup);
try {
  let rejected;
  try {
    await Signup.create({ id: 'bad', email: 'not an email', name: 'A' });
  } catch (error) {
    rejected = { validationError: error instanceof ValidationError, message: error.message, constraints: error.errors.map((e) => e.constraints) };
  }
  await Signup.create({ id: 'good', email: 'ann@example.com', name: 'Ann' });
  const stored = await Signup.get('good');
  // Which class-validator ran: the copies in the module cache, by version.
  const versions = new Set(Object.keys(cache).flatMap((file) => {
    const dir = /^(.*[\\\\/]node_modules[\\\\/]class-validator[^\\\\/]*)[\\\\/]/.exec(file)?.[1];
    return dir ? [JSON.parse(readFileSync(dir + '/package.json', 'utf8')).version] : [];
  }));
  console.log(JSON.stringify({
    rejected,
    written: { bad: (await Signup.get('bad')) !== undefined, good: stored && { email: stored.email, name: stored.name } },
    versions: [...versions],
    dynamorm: resolved,
  }));
} finally {
  await deleteTable(Signup, { ifExists: true });
}
`;

const validateCjs = (table: string): string => `
const { readFileSync } = require('node:fs');
const { cache } = require;
const resolved = require.resolve('dynamorm');
const { Attribute, BaseModel, Model, PartitionKey, ValidationError, connect, deleteTable, ensureTable } = require('dynamorm');
const { IsEmail, Length } = require('class-validator');
(async () => {${validateBody(table)}})().catch((error) => { console.error(error); process.exitCode = 1; });
`;

// The ES module registers class-validator through the subpath, as a bundled app does.
const validateMjs = (table: string): string => `
import 'dynamorm/class-validator';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { IsEmail, Length } from 'class-validator';
import { Attribute, BaseModel, Model, PartitionKey, ValidationError, connect, deleteTable, ensureTable } from 'dynamorm';
const { cache } = createRequire(import.meta.url);
const resolved = fileURLToPath(import.meta.resolve('dynamorm'));
${validateBody(table)}
`;

// Each app's node_modules/class-validator links to this repo's copy of that version (0.14 is
// the devDependency alias class-validator-0.14); the module cache then shows which one ran.
const validators = [
  { version: '0.14', copy: path.join(repoModules, 'class-validator-0.14') },
  { version: '0.15', copy: path.join(repoModules, 'class-validator') },
];

// --- The optional peers, found from where dynamorm is installed ------------------------------

// Each optional peer dynamorm loads by itself (no `dynamorm/class-validator` import), in an
// app started from another directory: a monorepo root, a CI step's working directory.
const peersBody = `
const out = {};
const attempt = async (peer, use) => {
  try {
    out[peer] = await use();
  } catch (error) {
    out[peer] = error.name + ': ' + error.message;
  }
};
class Signup extends BaseModel {}
PartitionKey()(Signup.prototype, 'id');
Attribute()(Signup.prototype, 'email');
IsEmail()(Signup.prototype, 'email');
Model({ table: 'peers_signups' })(Signup);
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
// Nothing listens there: validation fails before any request is sent.
connect({ region: 'local', endpoint: 'http://127.0.0.1:9', credentials });

await attempt('dynalite', async () => {
  const local = await startLocalDynamo();
  const conn = new Connection({ region: 'local', endpoint: local.endpoint, credentials });
  try {
    return Array.isArray((await conn.listTables({})).TableNames);
  } finally {
    conn.close();
    await local.stop();
  }
});
await attempt('class-validator', async () => {
  const error = await Signup.create({ id: 'x', email: 'not an email' }).then(() => 'written', (e) => e);
  return error instanceof ValidationError ? error.errors.map((e) => e.constraints) : String(error);
});
await attempt('class-transformer', () => Signup.fromPlain({ id: 'x', email: 'ann@example.com' }) instanceof Signup);
await attempt('@aws-sdk/credential-providers', () => new MultiAccount({ a: { roleArn: 'arn:aws:iam::111111111111:role/r', externalId: 'ext', region: 'eu-west-1' } }).ids);
console.log(JSON.stringify({ dynamorm: resolved, cwd: process.cwd(), peers: out }));
`;

const peersMjs = `
import { fileURLToPath } from 'node:url';
import { IsEmail } from 'class-validator';
import { Attribute, BaseModel, Connection, Model, MultiAccount, PartitionKey, ValidationError, connect } from 'dynamorm';
import { startLocalDynamo } from 'dynamorm/testing';
const resolved = fileURLToPath(import.meta.resolve('dynamorm'));
${peersBody}
`;

const peersCjs = `
const { IsEmail } = require('class-validator');
const { Attribute, BaseModel, Connection, Model, MultiAccount, PartitionKey, ValidationError, connect } = require('dynamorm');
const { startLocalDynamo } = require('dynamorm/testing');
const resolved = require.resolve('dynamorm');
(async () => {${peersBody}})().catch((error) => { console.error(error); process.exitCode = 1; });
`;

describe('the package as installed from its tarball (npm pack)', function () {
  this.timeout(120_000);
  // One folder per run (two runs at once must not share apps), removed afterwards.
  let work: string;
  let isolated: string;
  let tarball: string;

  before(() => {
    fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
    work = fs.mkdtempSync(path.join(root, '.tmp', 'install-'));
    isolated = fs.mkdtempSync(path.join(os.tmpdir(), 'dynamorm-install-'));
    execFileSync('npm', ['pack', '--pack-destination', work], { cwd: root, stdio: 'pipe' });
    const packed = fs.readdirSync(work).filter((f) => f.endsWith('.tgz'));
    expect(packed).to.have.length(1);
    tarball = path.join(work, packed[0]);
  });

  after(() => {
    for (const dir of [work, isolated]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('compiled by TypeScript (strict, skipLibCheck false)', () => {
    const compiled = new Map<string, Compiled & { dir: string }>();

    before(async () => {
      const dirs = tsApps.map((app) => {
        const dir = path.join(app.isolated ? isolated : work, app.name);
        makeApp(dir, tarball, app.files);
        if (app.isolated) {
          // Exactly what dynamorm's declarations import, and nothing of sinon.
          for (const name of ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@types/node']) link(dir, name, path.join(repoModules, name));
        }
        return dir;
      });
      const results = await pooled(
        dirs.map((dir) => () => typecheck(dir)),
        os.availableParallelism(),
      );
      tsApps.forEach((app, i) => compiled.set(app.name, { ...results[i], dir: dirs[i] }));
    });

    for (const app of tsApps) {
      it(`compiles under ${app.title}`, () => {
        const { diagnostics, dynamormFiles, dir } = compiled.get(app.name)!;
        expect(diagnostics).to.equal('');
        // The installed copy's declarations, not this repo's sources or dist.
        const installed = path.join(dir, 'node_modules', 'dynamorm');
        expect(dynamormFiles.filter((file) => !file.startsWith(installed + path.sep))).to.deep.equal([]);
        expect(dynamormFiles).to.include.members(app.entries.map((file) => path.join(installed, file)));
      });
    }

    it('the app without sinon really cannot see it', () => {
      const dir = path.join(isolated, 'no-sinon');
      for (const name of ['sinon', '@types/sinon']) {
        expect(() => require.resolve(`${name}/package.json`, { paths: [dir] }), name).to.throw();
      }
    });
  });

  // The tsconfig.json the README's Installation section gives, as it is, in an app outside the
  // repo that has only what the README tells it to install (and @types/node): it must compile
  // with the TypeScript 5.x and the 7.x that `npm i typescript` gives.
  describe("the README's tsconfig.json, with TypeScript 5.9 and 7", () => {
    const readmeTsconfig = (): Record<string, unknown> => {
      const blocks = [...fs.readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
      const block = blocks.find((text) => text.includes('"compilerOptions"'));
      if (!block) throw new Error('README.md has no tsconfig.json block');
      return JSON.parse(block) as Record<string, unknown>;
    };
    const makeReadmeApp = (name: string, config: Record<string, unknown>): string => {
      const dir = path.join(isolated, name);
      makeApp(dir, tarball, { 'tsconfig.json': JSON.stringify(config, null, 2) });
      fs.mkdirSync(path.join(dir, 'src'));
      for (const [file, text] of Object.entries({ 'model.ts': modelTs, 'api.ts': apiTs, 'local-server.ts': localServerTs })) {
        fs.writeFileSync(path.join(dir, 'src', file), text);
      }
      for (const peer of ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', '@types/node', '@types/mocha', 'class-validator', 'class-transformer']) {
        link(dir, peer, path.join(repoModules, peer));
      }
      return dir;
    };

    it('lists "node" in types, which TypeScript 7 needs (it includes no @types by default)', () => {
      const options = readmeTsconfig().compilerOptions as Record<string, unknown>;
      expect(options.types).to.include('node');
    });

    for (const [version, compiler] of [
      ['5.9', tsc],
      ['7', tsc7],
    ] as const) {
      it(`compiles an app with it under TypeScript ${version}`, async () => {
        const dir = makeReadmeApp(`readme-ts${version}`, readmeTsconfig());
        expect((await typecheck(dir, compiler)).diagnostics).to.equal('');
      });
    }

    it('fails under TypeScript 7 without "node" in types, as the README says', async () => {
      const config = readmeTsconfig();
      const options = config.compilerOptions as { types: string[] };
      const dir = makeReadmeApp('readme-ts7-no-types', { ...config, compilerOptions: { ...options, types: options.types.filter((t) => t !== 'node') } });
      expect((await typecheck(dir, tsc7)).diagnostics).to.match(/Cannot find name '(?:Buffer|node:[a-z_]+)'/);
    });
  });

  describe('started from another directory, finds the optional peers installed beside dynamorm', () => {
    // Outside the repo, so that nothing resolves from the repo's node_modules: the app's own
    // node_modules has dynamorm (the tarball), its dependencies and the peers, linked to this
    // repo's copies; the app runs with the folder above it as its current directory.
    let app: string;
    before(() => {
      app = path.join(isolated, 'peers');
      makeApp(app, tarball, { 'peers.mjs': peersMjs, 'peers.cjs': peersCjs });
      for (const name of ['@aws-sdk', 'dynalite', 'class-validator', 'class-transformer']) link(app, name, path.join(repoModules, name));
    });

    for (const [format, entry] of [
      ['mjs', ['esm', 'index.mjs']],
      ['cjs', ['index.js']],
    ] as const) {
      it(`${format === 'mjs' ? 'the ESM build' : 'the CommonJS build'}: dynalite, class-validator, class-transformer and the credential providers`, async () => {
        const { stdout } = await run(process.execPath, [path.join(app, `peers.${format}`)], { cwd: isolated });
        const out = JSON.parse(stdout) as { dynamorm: string; cwd: string; peers: unknown };
        expect(out.dynamorm).to.equal(path.join(app, 'node_modules', 'dynamorm', 'dist', ...entry));
        expect(out.cwd).to.equal(isolated);
        expect(out.peers).to.deep.equal({
          dynalite: true,
          'class-validator': [{ isEmail: 'email must be an email' }],
          'class-transformer': true,
          '@aws-sdk/credential-providers': ['a'],
        });
      });
    }

    it('the directory it starts from has none of them (so the spec can fail)', () => {
      for (const name of ['dynalite', 'class-validator', 'class-transformer', '@aws-sdk/credential-providers']) {
        expect(() => require.resolve(name, { paths: [isolated] }), name).to.throw();
      }
    });
  });

  describe("validates class-validator constraints with the app's class-validator", () => {
    for (const { version, copy } of validators) {
      for (const format of ['cjs', 'mjs'] as const) {
        it(`${version} (${format === 'cjs' ? 'CommonJS, found by dynamorm' : 'ES module, registered by dynamorm/class-validator'})`, async () => {
          const dir = path.join(work, `class-validator-${version}`);
          if (!fs.existsSync(dir)) {
            makeApp(dir, tarball, {});
            link(dir, 'class-validator', copy);
          }
          const table = `install_signups_${version.replace('.', '_')}_${format}`;
          const script = path.join(dir, `validate.${format}`);
          fs.writeFileSync(script, format === 'cjs' ? validateCjs(table) : validateMjs(table));
          const { stdout } = await run(process.execPath, [script], { cwd: dir, env: { ...process.env, ENDPOINT: localEndpoint() } });
          const out = JSON.parse(stdout) as {
            rejected: { validationError: boolean; message: string; constraints: unknown[] };
            written: unknown;
            dynamorm: string;
            versions: string[];
          };
          expect(out.rejected).to.deep.include({ validationError: true });
          expect(out.rejected.message).to.include('email must be an email').and.include('name must be longer than or equal to 2 characters');
          expect(out.rejected.constraints).to.deep.equal([
            { isEmail: 'email must be an email' },
            { isLength: 'name must be longer than or equal to 2 characters' },
          ]);
          expect(out.written).to.deep.equal({ bad: false, good: { email: 'ann@example.com', name: 'Ann' } });
          const entry = format === 'cjs' ? ['index.js'] : ['esm', 'index.mjs'];
          expect(out.dynamorm).to.equal(path.join(dir, 'node_modules', 'dynamorm', 'dist', ...entry));
          expect(out.versions).to.have.length(1);
          expect(out.versions[0]).to.match(new RegExp(`^${version.replace('.', '\\.')}\\.`));
        });
      }
    }
  });
});
