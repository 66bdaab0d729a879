import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildPackageOnce } from '../support/build-package';
import { localEndpoint, testCredentials } from '../support/root-hooks';

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
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' })) as {
      main: string;
      testing: string;
      same: boolean;
      exports: number;
    };
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
    const out: unknown = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }));
    expect(out).to.deep.equal({
      twoCopies: true,
      esmFile: 'dist/esm/index.mjs',
      defaultShared: true,
      runShared: true,
      stubShared: true,
      restored: true,
      crossModel: true,
      crossErrors: true,
    });
  });

  // The CommonJS build is the core (dist/internal.js) and feature chunks (dist/chunks/*.js)
  // that are required on first use, for the import time (scripts/build.mjs).
  describe('the feature chunks of the CommonJS build', () => {
    const dist = path.join(root, 'dist');
    const lib = path.join(root, 'lib');
    const generated = /dynamorm-(link|output|core):/; // the build's own glue

    /** The lib/ files each output file of `dir` (not descending into `skip`) was built from, by its source map. */
    function sourcesByOutput(dir: string, ext: string, skip?: string): Map<string, string[]> {
      const out = new Map<string, string[]>();
      const walk = (d: string): void => {
        for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
          const full = path.join(d, entry.name);
          if (entry.isDirectory()) {
            if (full !== skip) walk(full);
          } else if (entry.name.endsWith(`${ext}.map`)) {
            const map = JSON.parse(fs.readFileSync(full, 'utf8')) as { sources: string[] };
            const files = map.sources.filter((s) => !generated.test(s)).map((s) => path.relative(lib, path.resolve(d, s)).split(path.sep).join('/'));
            out.set(path.relative(dist, full.slice(0, -'.map'.length)).split(path.sep).join('/'), files);
          }
        }
      };
      walk(dir);
      return out;
    }

    it('puts every lib/ file of the package in exactly one CommonJS file', () => {
      const outputs = sourcesByOutput(dist, '.js', path.join(dist, 'esm'));
      const where = new Map<string, string[]>();
      for (const [output, files] of outputs) for (const file of files) where.set(file, [...(where.get(file) ?? []), output]);
      for (const file of where.keys()) expect(file, 'a file outside lib/').not.to.match(/^\.\./);
      const twice = [...where].filter(([, files]) => files.length > 1);
      expect(twice, 'lib/ files in more than one output').to.deep.equal([]);

      // Nothing lost: every lib/ file of the ESM build is in the CommonJS one.
      const esm = new Set([...sourcesByOutput(path.join(dist, 'esm'), '.mjs').values()].flat());
      expect([...esm].filter((file) => !where.has(file))).to.deep.equal([]);

      // The layout: the features in their chunks, the core without them.
      expect([...outputs.keys()].filter((o) => o.startsWith('chunks/')).sort()).to.deep.equal(
        ['accounts', 'batch', 'query', 'schema', 'streams', 'transaction', 'update'].map((c) => `chunks/${c}.js`),
      );
      expect(where.get('query/query.ts')).to.deep.equal(['chunks/query.js']);
      expect(where.get('expressions/parser.ts')).to.deep.equal(['chunks/query.js']);
      expect(where.get('update/update-builder.ts')).to.deep.equal(['chunks/update.js']);
      expect(where.get('model/base-model.ts')).to.deep.equal(['internal.js']);
      expect(where.get('index.ts')).to.deep.equal(['internal.js']);
      expect(where.get('errors/dynamorm-error.ts')).to.deep.equal(['internal.js']);
    });

    it("loads no chunk with dynamorm, and each chunk once, when its feature is first used; errors are the package's classes", () => {
      const script = `
        const Module = require('node:module');
        const path = require('node:path');
        const compiled = {};
        const compile = Module.prototype._compile;
        Module.prototype._compile = function (content, filename) {
          compiled[filename] = (compiled[filename] ?? 0) + 1;
          return compile.call(this, content, filename);
        };
        const dist = path.join(process.cwd(), 'dist');
        const chunks = () => Object.keys(require.cache).filter((f) => f.startsWith(dist + path.sep + 'chunks')).map((f) => path.basename(f, '.js')).sort();
        const d = require('./dist/index.js');
        const out = { atImport: chunks() };

        class Note extends d.BaseModel {}
        d.PartitionKey()(Note.prototype, 'id');
        d.Attribute()(Note.prototype, 'body');
        d.Model({ table: 'chunked_notes' })(Note);
        Note.build({ id: '1', body: 'x' });
        Note.key('1');
        out.afterCoreCalls = chunks();

        const caught = (fn) => { try { fn(); } catch (e) { return e; } };
        const queryError = caught(() => Note.query().limit(0));
        out.queryError = queryError instanceof d.QueryError && queryError instanceof d.DynamormError;
        out.afterQuery = chunks();
        Note.scan(); Note.query();
        const updateError = caught(() => Note.update('1').set('nope', 1));
        out.updateError = updateError instanceof d.QueryError;
        const imageError = caught(() => Note.fromItem({ body: 'no key' }));
        out.imageError = imageError instanceof d.ValidationError;
        out.afterFeatures = chunks();
        out.exported = [d.Query, d.UpdateBuilder, d.transaction, d.transactGet, d.createTable, d.autoMigrate, d.parseStreamEvent, d.MultiAccount].map((v) => typeof v);
        out.builderClass = Note.query() instanceof d.Query && Note.update('1') instanceof d.UpdateBuilder;
        out.all = chunks();
        out.compiledTwice = Object.entries(compiled).filter(([, n]) => n > 1).map(([f]) => f);
        process.stdout.write(JSON.stringify(out));`;
      const out: unknown = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
      expect(out).to.deep.equal({
        atImport: [],
        afterCoreCalls: [],
        queryError: true,
        afterQuery: ['query'],
        updateError: true,
        imageError: true,
        afterFeatures: ['query', 'streams', 'update'],
        exported: ['function', 'function', 'function', 'function', 'function', 'function', 'function', 'function'],
        builderClass: true,
        all: ['accounts', 'query', 'schema', 'streams', 'transaction', 'update'],
        compiledTwice: [],
      });
    });

    it('runs every feature through the chunks against DynamoDB', async () => {
      // Each feature, and each way a chunk reaches another's files (the update builder's
      // condition strings parsed by the query chunk, a query's deleteAll written by the batch
      // chunk, a transaction's update built by the update chunk).
      const script = `
        const d = require('./dist/index.js');
        d.connect({ region: 'local', endpoint: process.env.ENDPOINT, credentials: JSON.parse(process.env.CREDENTIALS) });
        class Tally extends d.BaseModel {}
        d.PartitionKey()(Tally.prototype, 'group');
        d.SortKey()(Tally.prototype, 'id');
        d.Attribute()(Tally.prototype, 'count');
        d.Model({ table: 'chunked_tallies' })(Tally);
        (async () => {
          const out = {};
          const report = await d.autoMigrate(Tally);
          out.migrated = report.created.length + report.drift.length >= 0;
          await Tally.create({ group: 'g', id: 'a', count: 1 });
          await Tally.batchCreate([{ group: 'g', id: 'b', count: 2 }, { group: 'g', id: 'c', count: 3 }]);
          out.found = (await Tally.find({ group: 'g', id: 'a' })).count;
          out.batchGet = (await Tally.batchGet([{ group: 'g', id: 'b' }, { group: 'g', id: 'c' }])).map((t) => t.count);
          out.queried = (await Tally.where('group', '=', 'g').filter('count >= :n', { n: 2 }).all()).map((t) => t.id);
          await Tally.update({ group: 'g', id: 'a' }).increment('count', 10).if('count < :max', { max: 5 }).execute();
          const failed = await Tally.update({ group: 'g', id: 'a' }).increment('count', 1).if('count < :max', { max: 5 }).execute().catch((e) => e);
          out.conditionFailed = failed instanceof d.ConditionFailedError;
          const [, saved] = await d.transaction(async (tx) => {
            tx.create(Tally.build({ group: 'g', id: 'd', count: 4 }));
            tx.update(Tally, { group: 'g', id: 'a' }).increment('count', 1).if('count > :min', { min: 0 });
          });
          out.transacted = (await d.transactGet([Tally.key({ group: 'g', id: 'a' }), Tally.key({ group: 'g', id: 'd' })])).map((t) => t.count);
          const canceled = await d.transaction(async (tx) => { tx.create(Tally.build({ group: 'g', id: 'd', count: 0 })); }).catch((e) => e);
          out.canceled = canceled instanceof d.TransactionCanceledError && canceled instanceof d.DynamormError;
          const image = { group: { S: 'g' }, id: { S: 'z' }, count: { N: '7' } };
          out.fromImage = Tally.fromImage(image).count;
          const changes = d.parseStreamEvent({ Records: [{ eventName: 'INSERT', eventSourceARN: 'arn:aws:dynamodb:local:000000000000:table/chunked_tallies/stream/x', dynamodb: { Keys: { group: image.group, id: image.id }, NewImage: image } }] }, [Tally]);
          out.streamed = changes.map((c) => c.eventName + ':' + c.newItem?.count + ':' + (c.newItem instanceof Tally));
          await Tally.batchDelete([{ group: 'g', id: 'b' }]);
          out.deleted = await Tally.where('group', '=', 'g').deleteAll();
          out.left = await Tally.where('group', '=', 'g').count();
          await d.deleteTable(Tally);
          process.stdout.write(JSON.stringify(out));
        })().catch((e) => { console.error(e); process.exit(1); });`;
      const env = { ...process.env, ENDPOINT: localEndpoint(), CREDENTIALS: JSON.stringify(testCredentials) };
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: root, env, encoding: 'utf8' });
      expect(JSON.parse(stdout)).to.deep.equal({
        migrated: true,
        found: 1,
        batchGet: [2, 3],
        queried: ['b', 'c'],
        conditionFailed: true,
        transacted: [12, 4],
        canceled: true,
        fromImage: 7,
        streamed: ['INSERT:7:true'],
        deleted: 3,
        left: 0,
      });
    });

    it('the ESM build resolves optional peers from its own URL, and bundles into CommonJS without a warning about import.meta', async () => {
      // Where it is an unbundled ES module: import.meta.url (spec/integration/install.spec.ts
      // runs it from another directory). An app that bundles it into CommonJS gets an empty
      // import.meta (the peers then resolve from the bundle's file), and no warning for it.
      const internal = fs.readFileSync(path.join(dist, 'esm', 'internal.mjs'), 'utf8');
      expect(internal).to.include('return import.meta.url;');
      const { build } = await import('esbuild');
      const result = await build({
        entryPoints: [path.join(dist, 'esm', 'index.mjs')],
        bundle: true,
        format: 'cjs',
        platform: 'node',
        packages: 'external',
        write: false,
        logLevel: 'silent',
      });
      expect(result.warnings.map((w) => w.text)).to.deep.equal([]);
      expect(result.outputFiles[0].text).not.to.include('import.meta');
    });

    it('keeps the ESM build one file, with no require() of its own files', () => {
      const esm = path.join(dist, 'esm');
      expect(fs.existsSync(path.join(esm, 'chunks'))).to.equal(false);
      for (const file of ['internal.mjs', 'index.mjs', 'testing/index.mjs']) {
        expect(fs.readFileSync(path.join(esm, file), 'utf8'), file).not.to.match(/\brequire\(\s*['"]\.\.?\//);
      }
    });
  });
});
