// The layers of docs/development/architecture.md, checked by `npm run check:layers` (CI runs it): no
// import cycles anywhere, and no import up the layers. From the top:
//   entry points   worker/, cli/, scripts/, bench/ (wire everything; tests may import anything)
//   api/           the HTTP API
//   workflows/     deterministic orchestration     activities/   side effects the workflows order
//   config/        every setting (core + each registered service's)
//   events/        webhook publishing (API, worker and thin activities)
//   connectors/    one module per service + registry     store/   the database
//   contract/      what crosses the Temporal boundary, every Temporal name
//   common/        small pure helpers
//   emulators/     provider emulators: nothing of the app but pure helpers and contract types
//   console/       the web console (a browser app): nothing of the server, it speaks /v1 only
// Workflows and activities never import each other; workflows import only types from below
// contract/ (their code is bundled and replayed), which ESLint enforces file by file too.
const layer = (name, below) => ({
  name: `${name}-imports-only-below`,
  comment: `${name}/ may import only ${below.join(', ')}`,
  severity: 'error',
  from: { path: `^${name}/` },
  to: {
    path: '^(api|workflows|activities|config|events|connectors|store|contract|common|emulators|worker|cli|scripts|bench|test|clients|examples)/',
    pathNot: `^(${[name, ...below].join('|')})/`,
  },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    layer('api', ['config', 'events', 'connectors', 'store', 'contract', 'common']),
    layer('activities', ['events', 'connectors', 'store', 'contract', 'common']),
    layer('config', ['connectors', 'contract', 'common']),
    layer('events', ['store', 'contract', 'common']),
    layer('connectors', ['contract', 'common']),
    layer('store', ['contract', 'common']),
    layer('contract', ['common']),
    layer('common', []),
    layer('emulators', ['common', 'contract']),
    {
      name: 'clients-stand-alone',
      comment:
        'The SDK and user CLI ship on their own: they talk to the API over HTTP and import nothing of the app.',
      severity: 'error',
      from: { path: '^clients/' },
      to: {
        path: '^(api|workflows|activities|config|events|connectors|store|contract|common|emulators|worker|cli|scripts|bench|test|examples)/',
      },
    },
    {
      name: 'examples-use-only-the-sdk',
      comment: 'Examples show what a user writes: the SDK, nothing of the app.',
      severity: 'error',
      from: { path: '^examples/' },
      to: {
        path: '^(api|workflows|activities|config|events|connectors|store|contract|common|emulators|worker|cli|scripts|bench|test)/',
      },
    },
    {
      name: 'console-is-a-client',
      comment: 'The web console talks to the server only over /v1: it imports nothing of the server.',
      severity: 'error',
      from: { path: '^console/' },
      to: {
        path: '^(api|workflows|activities|config|events|connectors|store|contract|common|emulators|worker|cli|scripts|bench|test)/',
      },
    },
    {
      name: 'workflows-import-code-only-from-contract',
      comment:
        'Workflow code is bundled and replayed: code from contract/ and common/ only, types from below.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: {
        path: '^(api|activities|config|events|connectors|store|emulators|worker|cli|scripts|bench|test)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'workflows-never-reach-up',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^(api|activities|config|events|worker|cli|scripts|bench|test)/' },
    },
    {
      name: 'emulators-import-only-types-from-contract',
      severity: 'error',
      from: { path: '^emulators/' },
      to: { path: '^contract/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
  },
};
