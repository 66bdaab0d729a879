// Every ```ts block of README.md is type-checked, and the runnable ones are run against the
// local server of this test run, so that the README cannot drift from the library.
//
// How README.md marks its snippets (HTML comments: invisible where the README is read):
//
//   <!-- snippet run -->         just before a ```ts block: compile it and run it.
//   <!-- snippet run             the same, with a hidden prelude: TypeScript placed before the
//   ...TypeScript...             block in the same module, for what a fragment uses but the
//   -->                          reader need not see (a model, a table to read from).
//   <!-- snippet compile         compile only, with a hidden prelude.
//   ...TypeScript...
//   -->
//   <!-- snippet check           just after a run block: hidden TypeScript appended to it, run
//   ...TypeScript...             after it (assertions on what the block did).
//   -->
//   <!-- snippet-file models.ts  anywhere: a hidden module that snippets (and later
//   ...TypeScript...             snippet-files) import as './models'.
//   -->
//
// A ```ts block with no directive is compiled only. Hidden code must not redeclare the
// block's names: import under another name (`ensureTable as ensureTable_`). The ```json block
// with `compilerOptions` is the README's recommended tsconfig.json; every ```json block must parse.
//
// Compiling: one TypeScript program for every block (each block is a module of its own), with
// tsconfig.json's options, overlaid by the README's own tsconfig.json block (so the
// documented settings are the ones tested), and `dynamorm`, `dynamorm/testing`,
// `dynamorm/class-validator` and `dynamorm/class-transformer` mapped to lib/.
//
// Running: a block is transpiled to CommonJS and run as the body of an async function (for
// its top-level awaits), with those imports mapped to lib/, mocha's describe/it/before/after
// (beforeEach/afterEach) collected and run in order, console output captured, and the AWS SDK's
// environment (AWS_ENDPOINT_URL_DYNAMODB, credentials, region) pointing at the local server, as
// a reader would run a snippet against DynamoDB Local. Afterwards the default connection, the
// registered integrations and models, the environment and the server's tables are put back.
import { expect } from 'chai';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import { Connection } from '../../lib';
import { holder } from '../../lib/connection/connection-context';
import { processState } from '../../lib/process-state';
import { localEndpoint, testCredentials } from '../support/root-hooks';

const root = path.resolve(__dirname, '../..');
const readmePath = path.join(root, 'README.md');
// Where the snippets' modules live for the compiler (nothing is written there).
const virtualDir = path.join(root, '.readme-snippets');

const libEntries: Record<string, string> = {
  dynamorm: 'lib/index.ts',
  'dynamorm/testing': 'lib/testing/index.ts',
  'dynamorm/class-validator': 'lib/integrations/class-validator.ts',
  'dynamorm/class-transformer': 'lib/integrations/class-transformer.ts',
};

/** Hidden or visible README text, with the README line each of its lines came from. */
interface Part {
  text: string;
  lines: number[];
}

interface Snippet {
  /** The README line of the opening ```ts fence. */
  line: number;
  run: boolean;
  prelude?: Part;
  body: Part;
  check?: Part;
  file: string;
}

interface HiddenFile {
  name: string;
  part: Part;
  file: string;
}

interface Readme {
  snippets: Snippet[];
  files: HiddenFile[];
  /** The compilerOptions of the README's tsconfig.json block. */
  tsconfig?: { options: Record<string, unknown>; line: number };
  /** Problems with the markup itself. */
  problems: string[];
}

function parseReadme(source: string): Readme {
  const lines = source.split('\n');
  const readme: Readme = { snippets: [], files: [], problems: [] };
  let pending: { run: boolean; prelude?: Part; line: number } | undefined;
  let last: Snippet | undefined;
  let lastEnd = -1;

  const commentAt = (start: number): { head: string; part: Part; end: number } => {
    const first = lines[start].trim();
    if (first.endsWith('-->')) return { head: first.slice(4, -3).trim(), part: { text: '', lines: [] }, end: start };
    let end = start + 1;
    while (end < lines.length && lines[end].trim() !== '-->') end++;
    if (end === lines.length) readme.problems.push(`README.md:${start + 1}: unterminated snippet comment`);
    const body = lines.slice(start + 1, end);
    return { head: first.slice(4).trim(), part: { text: body.join('\n'), lines: body.map((_, i) => start + 2 + i) }, end };
  };

  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim();
    if (trimmed.startsWith('<!-- snippet')) {
      const { head, part, end } = commentAt(i);
      const [kind, ...args] = head.split(/\s+/);
      if (kind === 'snippet-file') {
        readme.files.push({ name: args[0], part, file: path.join(virtualDir, args[0]) });
      } else if (kind === 'snippet' && (args[0] === 'run' || args[0] === 'compile') && args.length === 1) {
        if (pending) readme.problems.push(`README.md:${pending.line}: a snippet directive with no \`\`\`ts block after it`);
        pending = { run: args[0] === 'run', prelude: part.lines.length ? part : undefined, line: i + 1 };
      } else if (kind === 'snippet' && args[0] === 'check' && args.length === 1) {
        if (!last || !last.run || last.check || lines.slice(lastEnd + 1, i).some((l) => l.trim() !== '')) {
          readme.problems.push(`README.md:${i + 1}: 'snippet check' must directly follow a runnable block`);
        } else {
          last.check = part;
        }
      } else {
        readme.problems.push(`README.md:${i + 1}: unknown snippet directive '${head}'`);
      }
      i = end;
      continue;
    }
    const fence = /^```(\w*)\s*$/.exec(lines[i]);
    if (!fence) {
      if (pending && trimmed !== '') {
        readme.problems.push(`README.md:${pending.line}: a snippet directive must be followed by a \`\`\`ts block`);
        pending = undefined;
      }
      continue;
    }
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
    const body = lines.slice(i + 1, end);
    const part = { text: body.join('\n'), lines: body.map((_, k) => i + 2 + k) };
    if (fence[1] === 'ts') {
      const snippet: Snippet = {
        line: i + 1,
        run: pending?.run ?? false,
        prelude: pending?.prelude,
        body: part,
        file: path.join(virtualDir, `readme-${i + 1}.ts`),
      };
      readme.snippets.push(snippet);
      last = snippet;
      lastEnd = end;
    } else {
      if (pending) readme.problems.push(`README.md:${pending.line}: a snippet directive must be followed by a \`\`\`ts block`);
      if (fence[1] === 'json') {
        const parsed = ts.parseConfigFileTextToJson('tsconfig.json', part.text);
        const options = (parsed.config as { compilerOptions?: Record<string, unknown> } | undefined)?.compilerOptions;
        if (parsed.error)
          readme.problems.push(`README.md:${i + 1}: the json block does not parse: ${ts.flattenDiagnosticMessageText(parsed.error.messageText, '\n')}`);
        else if (options) readme.tsconfig = { options, line: i + 1 };
      }
      last = undefined;
    }
    pending = undefined;
    i = end;
  }
  if (pending) readme.problems.push(`README.md:${pending.line}: a snippet directive with no \`\`\`ts block after it`);
  return readme;
}

/** A snippet's module: prelude, block and check, with the README line of every line. */
function moduleOf(snippet: Snippet): Part {
  const parts = [snippet.prelude, snippet.body, snippet.check].filter((p): p is Part => p !== undefined);
  return { text: parts.map((p) => p.text).join('\n'), lines: parts.flatMap((p) => p.lines) };
}

function compilerOptions(readme: Readme): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const base = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
  const documented = ts.convertCompilerOptionsFromJson(readme.tsconfig?.options ?? {}, root);
  if (documented.errors.length > 0) {
    throw new Error(`README.md:${readme.tsconfig?.line}: ${documented.errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n')).join('; ')}`);
  }
  return {
    ...base,
    ...documented.options,
    paths: Object.fromEntries(Object.entries(libEntries).map(([name, file]) => [name, [file]])),
    baseUrl: root,
    noEmit: true,
    declaration: false,
    sourceMap: false,
  };
}

/** Type-checks every snippet in one program; returns the diagnostics of each virtual file. */
function compileAll(readme: Readme): Map<string, string[]> {
  const sources = new Map<string, Part>();
  for (const snippet of readme.snippets) sources.set(snippet.file, moduleOf(snippet));
  for (const hidden of readme.files) sources.set(hidden.file, hidden.part);

  const options = compilerOptions(readme);
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile, directoryExists } = host;
  host.fileExists = (file) => sources.has(file) || fileExists.call(host, file);
  host.readFile = (file) => sources.get(file)?.text ?? readFile.call(host, file);
  host.directoryExists = (dir) => dir === virtualDir || (directoryExists ? directoryExists.call(host, dir) : ts.sys.directoryExists(dir));
  host.getSourceFile = (file, language, onError, create) => {
    const part = sources.get(file);
    return part ? ts.createSourceFile(file, part.text, language, true) : getSourceFile.call(host, file, language, onError, create);
  };

  const program = ts.createProgram([...sources.keys()], options, host);
  const where = (d: ts.Diagnostic): string => {
    if (!d.file || d.start === undefined) return '';
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    const readmeLine = sources.get(d.file.fileName)?.lines[line];
    return readmeLine ? `README.md:${readmeLine}:${character + 1}: ` : `${path.relative(root, d.file.fileName)}:${line + 1}: `;
  };
  const format = (d: ts.Diagnostic): string => `${where(d)}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;

  const results = new Map<string, string[]>();
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map(format);
  for (const file of sources.keys()) {
    const sf = program.getSourceFile(file);
    if (!sf) {
      results.set(file, ['not part of the program']);
      continue;
    }
    results.set(
      file,
      [...global, ...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => (typeof d === 'string' ? d : format(d))),
    );
  }
  return results;
}

// ---- running ----

const specRequire = createRequire(__filename);
const appRequire = createRequire(readmePath);

function transpile(part: Part, fileName: string): string {
  return ts.transpileModule(part.text, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, esModuleInterop: true },
  }).outputText;
}

type Hook = () => unknown;
interface MiniMocha {
  globals: Record<string, unknown>;
  run(): Promise<void>;
}

/** describe/it/before/after/beforeEach/afterEach for snippets that are tests, run in order. */
function miniMocha(): MiniMocha {
  const hooks = { before: [] as Hook[], after: [] as Hook[], beforeEach: [] as Hook[], afterEach: [] as Hook[] };
  const tests: Array<{ title: string; fn: Hook }> = [];
  const globals = {
    describe: (_title: string, fn: () => void) => fn(),
    it: (title: string, fn: Hook) => tests.push({ title, fn }),
    before: (fn: Hook) => hooks.before.push(fn),
    after: (fn: Hook) => hooks.after.push(fn),
    beforeEach: (fn: Hook) => hooks.beforeEach.push(fn),
    afterEach: (fn: Hook) => hooks.afterEach.push(fn),
  };
  return {
    globals,
    async run() {
      try {
        for (const hook of hooks.before) await hook();
        for (const test of tests) {
          try {
            for (const hook of hooks.beforeEach) await hook();
            try {
              await test.fn();
            } catch (error) {
              throw Object.assign(new Error(`it('${test.title}') failed: ${(error as Error).message}`), { cause: error });
            }
          } finally {
            for (const hook of hooks.afterEach) await hook();
          }
        }
      } finally {
        for (const hook of hooks.after) await hook();
      }
    },
  };
}

function capturingConsole(output: string[]): Console {
  const record = (...args: unknown[]) => {
    output.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)))).join(' '));
  };
  return Object.assign(Object.create(console) as Console, { log: record, info: record, warn: record, error: record, debug: record });
}

/** Evaluates a CommonJS module's code as the body of an async function (top-level await). */
async function evaluate(code: string, fileName: string, scope: Record<string, unknown>): Promise<Record<string, unknown>> {
  const names = Object.keys(scope);
  const fn = vm.runInThisContext(`(async function (${names.join(', ')}) {${code}\n})`, { filename: fileName }) as (...args: unknown[]) => Promise<void>;
  await fn(...names.map((n) => scope[n]));
  return (scope.module as { exports: Record<string, unknown> }).exports;
}

async function runSnippet(snippet: Snippet, readme: Readme, output: string[]): Promise<void> {
  const out = capturingConsole(output);
  const mocha = miniMocha();
  // Hidden modules, evaluated afresh for each snippet, in README order (one may import an
  // earlier one): evaluated up front because a module with top-level await cannot be
  // required synchronously.
  const hidden = new Map<string, Record<string, unknown>>();
  const requireFor =
    (from: string) =>
    (id: string): unknown => {
      if (libEntries[id]) return specRequire(path.join(root, libEntries[id]));
      if (id.startsWith('./')) {
        const exports = hidden.get(path.join(path.dirname(from), id.endsWith('.ts') ? id : `${id}.ts`));
        if (!exports) throw new Error(`${path.relative(root, from)} imports ${id}, which is no earlier snippet-file of the README`);
        return exports;
      }
      return appRequire(id);
    };
  const load = (file: string, part: Part): Promise<Record<string, unknown>> => {
    const module = { exports: {} as Record<string, unknown> };
    return evaluate(transpile(part, file), file, { require: requireFor(file), module, exports: module.exports, console: out, ...mocha.globals });
  };
  for (const file of readme.files) hidden.set(file.file, await load(file.file, file.part));
  await load(snippet.file, moduleOf(snippet));
  await mocha.run();
}

/** The tables of the local server. */
async function tableNames(admin: Connection): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await admin.listTables(start ? { ExclusiveStartTableName: start } : {});
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

async function dropTable(admin: Connection, name: string): Promise<void> {
  const gone = (error: unknown) => (error as Error).name === 'ResourceNotFoundException';
  for (let attempt = 0; ; attempt++) {
    try {
      const { Table } = await admin.describeTable({ TableName: name });
      if (Table?.TableStatus === 'ACTIVE') await admin.deleteTable({ TableName: name });
    } catch (error) {
      if (gone(error)) return;
      if (attempt > 500) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `fn` with the SDK's environment pointing at the local server, then restores everything. */
async function isolated(fn: () => Promise<void>): Promise<void> {
  const env = {
    AWS_ENDPOINT_URL_DYNAMODB: localEndpoint(),
    AWS_ACCESS_KEY_ID: testCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: testCredentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
  const savedEnv = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const savedConnection = holder.current;
  const savedIntegrations = { ...processState.integrations };
  const savedModels = new Set(processState.registry.keys());
  const admin = new Connection({ region: 'local', endpoint: localEndpoint(), credentials: testCredentials });
  const tablesBefore = new Set(await tableNames(admin));
  Object.assign(process.env, env);
  try {
    await fn();
  } finally {
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    if (holder.current !== savedConnection) holder.current?.close();
    holder.current = savedConnection;
    for (const key of Object.keys(processState.integrations) as Array<keyof typeof processState.integrations>) delete processState.integrations[key];
    Object.assign(processState.integrations, savedIntegrations);
    for (const key of [...processState.registry.keys()]) if (!savedModels.has(key)) processState.registry.delete(key);
    try {
      for (const name of await tableNames(admin)) if (!tablesBefore.has(name)) await dropTable(admin, name);
    } finally {
      admin.close();
    }
  }
}

/** Every table name the README's code could use: `@Model` tables, bare and with each `tablePrefix`. */
function tablesNamedIn(readme: Readme): Set<string> {
  const code = [...readme.snippets.map((s) => moduleOf(s).text), ...readme.files.map((f) => f.part.text)].join('\n');
  const tables = [...code.matchAll(/@Model\(\{\s*table:\s*'([^']+)'/g)].map((m) => m[1]);
  const prefixes = ['', ...[...code.matchAll(/tablePrefix:\s*'([^']*)'/g)].map((m) => m[1])];
  return new Set(prefixes.flatMap((prefix) => tables.map((table) => prefix + table)));
}

// ---- the specs ----

describe('README.md snippets', function () {
  this.timeout(60_000);
  const readme = parseReadme(fs.readFileSync(readmePath, 'utf8'));
  let diagnostics: Map<string, string[]>;

  before(async function () {
    diagnostics = compileAll(readme);
    // Tables the snippets use, left over by an earlier spec, would hand them a wrong key schema.
    const admin = new Connection({ region: 'local', endpoint: localEndpoint(), credentials: testCredentials });
    try {
      const names = tablesNamedIn(readme);
      for (const name of await tableNames(admin)) if (names.has(name)) await dropTable(admin, name);
    } finally {
      admin.close();
    }
  });

  it('are marked up correctly, with a tsconfig.json block and a runnable tour', () => {
    expect(readme.problems).to.deep.equal([]);
    expect(readme.tsconfig, 'a ```json block with compilerOptions').to.not.equal(undefined);
    expect(readme.tsconfig!.options.experimentalDecorators).to.equal(true);
    expect(readme.snippets.filter((s) => s.run).length).to.be.greaterThan(5);
  });

  for (const hidden of readme.files) {
    it(`compiles the hidden module ${hidden.name}`, () => {
      expect(diagnostics.get(hidden.file), diagnostics.get(hidden.file)?.join('\n')).to.deep.equal([]);
    });
  }

  for (const snippet of readme.snippets) {
    const label = `README.md:${snippet.line}`;
    it(`compiles the snippet at ${label}`, () => {
      const found = diagnostics.get(snippet.file) ?? [];
      expect(found, found.join('\n')).to.deep.equal([]);
    });
    if (snippet.run) {
      it(`runs the snippet at ${label}`, async () => {
        const output: string[] = [];
        try {
          await isolated(() => runSnippet(snippet, readme, output));
        } catch (error) {
          const printed = output.length ? `\n--- console output ---\n${output.join('\n')}` : '';
          throw Object.assign(new Error(`${label}: ${(error as Error).stack ?? String(error)}${printed}`), { cause: error });
        }
      });
    }
  }
});
