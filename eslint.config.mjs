// ESLint (flat config): typescript-eslint's strict, type-aware presets for the TypeScript of
// lib/, spec/, bench/ and examples/; plain recommended rules for the JavaScript of scripts/ and
// the few .js/.cjs files. Formatting is Prettier's (.prettierrc.json): these presets enable no
// formatting rules, so nothing here fights it. Each rule turned off or configured says why.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Node's globals for the JavaScript files (the `globals` package is not a dependency).
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'require', 'module', '__dirname', '__filename', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setImmediate', 'performance'].map(
    (name) => [name, 'readonly'],
  ),
);

export default defineConfig(
  { ignores: ['dist/', 'bench/.build/', 'node_modules/', '.tmp/', 'coverage/'] },

  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      // tsconfig.json includes lib, spec, examples and bench: every linted .ts file.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Our `!` states an invariant the code just established (a resolved schema's template, a checked length); no sampled hit hid a defect.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Without noUncheckedIndexedAccess it calls real checks of array slots and regex groups unnecessary, and the library's guards against untyped JS callers.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // `Function` is how we name "a class constructor" (metadata maps, decorator targets), as TypeScript's own decorator types do.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // The tracing wrappers pass a method and its `this` together (traced(name, schema, BaseModel.find, this, ...)); specs pass sinon stubs.
      '@typescript-eslint/unbound-method': 'off',
      // String(unknown) describes a bad input in an error message on purpose; '[object Object]' there is acceptable.
      '@typescript-eslint/no-base-to-string': 'off',
      // loadPeer<T>(name), cachedTemplate<T>(...): a typed result chosen by the caller is the intended API of these few helpers.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      // Records used as maps (built from DynamoDB items) drop keys with delete.
      '@typescript-eslint/no-dynamic-delete': 'off',
      // `void conn.client` reads a getter for its effect (the client built at Lambda init); the rule's fix would leave a bare expression.
      '@typescript-eslint/no-meaningless-void-operator': 'off',
      // Numbers and booleans in messages are meant; undefined, unknown and objects still count.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // `() => fn()` as a callback (expect(() => f()).to.throw(), afterEach(() => sandbox.restore())) is our style; assigning a void result still counts.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // A caught value is rethrown (or rejected) as it came: it is unknown, and wrapping it would change what callers catch.
      '@typescript-eslint/only-throw-error': ['error', { allowThrowingUnknown: true }],
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `const { omitted: _omitted, ...rest } = x` drops keys; a leading _ marks a deliberately unused name.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // lib/testing's sinon types are optional: an error only some installs have cannot be @ts-expect-error; a @ts-ignore must say why.
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': 'allow-with-description' }],
      // T[] for simple types, Array<{ ... }> for complex ones, as the code writes them.
      '@typescript-eslint/array-type': ['error', { default: 'array-simple' }],
    },
  },

  {
    files: ['lib/**/*.ts'],
    rules: {
      // lazy(() => require('./file')) is how the core loads a feature on first use (lib/lazy.ts, scripts/build.mjs).
      '@typescript-eslint/no-require-imports': 'off',
    },
  },

  {
    files: ['spec/**/*.ts'],
    rules: {
      // sinon fakes are written `async () => value` to return a promise, as the stubbed method does.
      '@typescript-eslint/require-await': 'off',
      // chai's property assertions are expressions: expect(x).to.be.NaN.
      '@typescript-eslint/no-unused-expressions': 'off',
      // Empty classes are fixtures (a class that is not a model, a decorator holder).
      '@typescript-eslint/no-extraneous-class': 'off',
      // Specs cast a result to the model they know it is, and pass wrong values on purpose to test the errors.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },

  {
    files: ['examples/**/*.ts'],
    rules: {
      // Examples show what users write: async Lambda handlers, and transaction()'s BaseModel[] cast to the model created.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },

  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: nodeGlobals },
  },
  { files: ['**/*.cjs', 'spec/support/fixtures/**/*.js'], languageOptions: { sourceType: 'commonjs' } },
);
