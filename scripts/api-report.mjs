// The public API on record: API Extractor reads the declarations the build emits for each
// entry point that exports names and writes the signature of every exported declaration to a
// report checked in under etc/, so that each change of the public surface shows in review:
//
//   dynamorm           dist/index.d.ts           etc/dynamorm.public.api.md
//   dynamorm/testing   dist/testing/index.d.ts   etc/dynamorm-testing.public.api.md
//
// (dynamorm/class-validator and dynamorm/class-transformer are side-effect imports that
// export nothing: no report.) The check fails when a report differs from what the
// declarations say, and prints the diff; `--update` rewrites the reports.
//
// The reports name no file: they hold the signatures of the exported names, not where in
// lib/ these are declared, so moving files inside lib/ leaves them unchanged. They are the
// "public" variant: members marked `@internal` (the constructors of Query, UpdateBuilder and
// Transaction, which take internal state) are left out, so that a change to that state does
// not show as a change of the API.
//
//   npm run check:api     build, then check (npm test checks in scripts/check-package.mjs)
//   npm run api:update    build, then rewrite etc/*.api.md; commit them with the change
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompilerState, Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reportFolder = path.join(root, 'etc');

/** The entry points that export names: package.json `exports` subpath, declarations, report. */
const ENTRIES = [
  { subpath: 'dynamorm', types: 'index.d.ts', report: 'dynamorm' },
  { subpath: 'dynamorm/testing', types: 'testing/index.d.ts', report: 'dynamorm-testing' },
];
/** API Extractor's name for a report of the "public" variant. */
const reportFile = (entry) => `${entry.report}.public.api.md`;

/** One API Extractor configuration per entry point, written here rather than in JSON files. */
function configFor(entry, dist, tempFolder) {
  return ExtractorConfig.prepare({
    configObjectFullPath: path.join(root, 'api-extractor.json'), // none: paths resolve from root
    packageJsonFullPath: path.join(root, 'package.json'),
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: path.join(dist, entry.types),
      // The .d.ts only, not lib/, with the options of tsconfig.build.json. skipLibCheck: tsc
      // checked the sources of these declarations (and it halves the time).
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2022',
            module: 'commonjs',
            moduleResolution: 'node',
            lib: ['ES2022'],
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
          files: ENTRIES.map((e) => path.join(dist, e.types)),
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.report,
        reportVariants: ['public'],
        reportFolder,
        reportTempFolder: tempFolder,
        // Types the API reaches but the entry point does not export are named, not spelled out:
        // spelled out, the report would hold the internal state behind the @internal
        // constructors (QueryState, ModelSchema, ...), which API Extractor collects whatever
        // the variant.
        includeForgottenExports: false,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      newlineKind: 'lf',
      messages: {
        // Findings go to the console, never into the report: there they would name dist/ files.
        compilerMessageReporting: { default: { logLevel: 'error', addToApiReportFile: false } },
        extractorMessageReporting: {
          default: { logLevel: 'error', addToApiReportFile: false },
          // A type the API reaches that the entry point does not export (DataKeys, Value,
          // AttributeTypeHint, ...; in dynamorm/testing, dynamorm's Connection): users cannot
          // name it, which is a choice to make per type, not an error.
          'ae-forgotten-export': { logLevel: 'none', addToApiReportFile: false },
          // Release tags (@public, @beta, ...): not used; everything exported is public.
          'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
          // The report marks an undocumented declaration already, as "(undocumented)".
          'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
        },
        // Our doc comments are JSDoc, not TSDoc: examples with `{ ... }` and decorators
        // (`@Version`) in prose would be hundreds of findings about syntax, none about the API.
        tsdocMessageReporting: { default: { logLevel: 'none', addToApiReportFile: false } },
      },
    },
  });
}

/** API Extractor's own messages about the report, replaced by ours (its name a temp file). */
const REPORT_MESSAGES = new Set(['console-api-report-not-copied', 'console-api-report-copied', 'console-api-report-created']);

/**
 * Checks (or, with `update`, rewrites) the reports against the declarations in `dist`.
 * Returns true when every report matched (check) or was written (update), with no finding.
 */
export function apiReports({ dist = path.join(root, 'dist'), update = false } = {}) {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'dynamorm-api-'));
  fs.mkdirSync(reportFolder, { recursive: true });
  let ok = true;
  try {
    const configs = ENTRIES.map((entry) => configFor(entry, dist, temp));
    // One TypeScript program for both entry points, not one each (half the time).
    const compilerState = CompilerState.create(configs[0], { additionalEntryPoints: configs.slice(1).map((c) => c.mainEntryPointFilePath) });
    for (const [i, config] of configs.entries()) {
      const entry = ENTRIES[i];
      const existed = fs.existsSync(path.join(reportFolder, reportFile(entry)));
      const result = Extractor.invoke(config, {
        localBuild: update,
        compilerState,
        printApiReportDiff: !update,
        messageCallback(message) {
          // The preamble ("Analysis will use the bundled TypeScript version ...") and such.
          if (REPORT_MESSAGES.has(message.messageId) || message.logLevel === 'info' || message.logLevel === 'verbose') message.handled = true;
        },
      });
      if (result.apiReportChanged) {
        (update ? console.log : console.error)(
          update
            ? `api:update: etc/${reportFile(entry)} rewritten; commit it with the change`
            : `check:api: the public API of ${entry.subpath} differs from etc/${reportFile(entry)} (${existed ? 'diff above' : 'missing'}).\n` +
                '  If the change is intended, run `npm run api:update` and commit etc/ with it.',
        );
      }
      // Check: any error or warning fails (a changed report is a warning). Update: any error.
      if (!result.succeeded) ok = false;
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return ok;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const update = process.argv.includes('--update');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  const started = Date.now();
  const ok = apiReports({ update });
  console.log(`${update ? 'api:update' : 'check:api'}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exitCode = ok ? 0 : 1;
}
