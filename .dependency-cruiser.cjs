// The layers of lib/, bottom to top; `npm test` runs this (npm run check:architecture).
// A file may import its own room and the rooms of lower layers, never a higher one: type-only
// imports count too (tsPreCompilationDeps). Where a lower room needs something only a higher
// one knows, the higher one registers it or the type moves down.
//
// See the graph: npx depcruise lib --config .dependency-cruiser.cjs --output-type archi | dot -T svg > lib.svg
// (or --output-type text for the list of imports, no Graphviz needed).
const LAYERS = [
  // the ground: errors, the process-wide state, lazy loading
  ['errors', 'process-state.ts', 'lazy.ts'],
  // what models declare, optional peers, expression strings, request logs and spans
  ['metadata', 'peers', 'expressions', 'observability'],
  // items <-> DynamoDB's attribute values, keys
  ['marshal'],
  // the only code that talks to the SDK: Connection, the invoker, deadlines, operation spans
  ['connection'],
  // what every capability shares about one item: instance state, the write pipeline, reads by key
  ['record'],
  // the capabilities, each on the ones before it
  ['lambda'],
  ['accounts'],
  ['schema'],
  ['streams'],
  ['batch'],
  ['query'],
  ['update'],
  ['transaction'],
  // BaseModel: the Active Record facade
  ['model'],
  // the entry points
  ['index.ts', 'internal.ts', 'integrations', 'testing'],
];

const pathOf = (room) => (room.endsWith('.ts') ? `^lib/${room.replace('.', '[.]')}$` : `^lib/${room}/`);
const anyOf = (rooms) => `(${rooms.map(pathOf).join('|')})`;

const layerRules = LAYERS.slice(0, -1).map((rooms, i) => ({
  name: `layer-${rooms.join('+').replace(/[.]ts/g, '')}`,
  comment: `${rooms.join(', ')} may import only ${LAYERS.slice(0, i).flat().join(', ') || 'nothing of lib/'} (and itself).`,
  severity: 'error',
  from: { path: anyOf(rooms) },
  to: { path: anyOf(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'no-circular',
      comment: 'No import circles, between rooms or inside one.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { circular: true },
    },
    {
      name: 'entries-not-imported',
      comment: 'index.ts, internal.ts, integrations/ and testing/ are entry points: only entry points import them.',
      severity: 'error',
      from: { path: '^lib/', pathNot: anyOf(LAYERS[LAYERS.length - 1]) },
      to: { path: anyOf(LAYERS[LAYERS.length - 1]) },
    },
    {
      name: 'lib-stays-in-lib',
      comment: 'lib/ never imports specs, benches, examples or scripts.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(spec|bench|examples|scripts)/' },
    },
    {
      name: 'every-file-in-a-layer',
      comment: 'A new room of lib/ must be given a layer above (LAYERS).',
      severity: 'error',
      from: { path: `^lib/`, pathNot: anyOf(LAYERS.flat()) },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^lib/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^lib/.*[.]d[.]ts$' },
    reporterOptions: {
      archi: { collapsePattern: '^lib/[^/]+/|^lib/[^/]+[.]ts$' },
      text: { highlightFocused: true },
    },
  },
};
