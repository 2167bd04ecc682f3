/**
 * shared/docs/architecture.md's "Where things live" table, as rules that `npm test` checks
 * (`npm run lint:layers`). Type-only imports are erased at run time and do not count; tests and the
 * testing helpers may reach anything.
 */
const OURS = '^libs/([^/]+)/src/';
const CONTEXTS = '^libs/(cases|roster|trust-fund|platform|people)/src/';
const ADAPTERS =
  '^libs/event-store/src/(adapters|open-event-store|base-event-store|append-planning|sqlite/|postgres/postgres|kurrentdb/|nest/)';
const TESTS = '(\\.spec\\.ts$|/testing/)';
const runtime = { dependencyTypesNot: ['type-only'] };

/** A library may import only these of ours (beside itself). */
const MAY_IMPORT = {
  'event-store': [],
  'reference-data': [],
  sql: ['event-store'],
  access: ['event-store', 'reference-data', 'sql'],
  // A deployment is one step over the case, the expert and the fund: cases use their deciders.
  cases: ['event-store', 'reference-data', 'access', 'roster', 'trust-fund'],
  roster: ['event-store', 'reference-data', 'access', 'sql'],
  'trust-fund': ['event-store', 'reference-data', 'access'],
  // The platform groups cases by session and answers the cases' port (registered providers,
  // sessions, accepted themes): it reads the cases' streams, cases never import it.
  platform: ['event-store', 'reference-data', 'access', 'cases'],
  // Accounts and sessions live in the SQL beside the log; grants are the person's events.
  people: ['event-store', 'reference-data', 'access', 'sql'],
  projections: [
    'event-store',
    'reference-data',
    'access',
    'sql',
    'cases',
    'roster',
    'trust-fund',
    'platform',
  ],
  reactions: ['event-store', 'reference-data', 'access', 'sql', 'cases'],
  audit: ['event-store', 'reference-data', 'access', 'projections', 'cases', 'sql'],
  // Configuration is part of composing a process: it reads the adapters' connection patterns.
  config: ['event-store', 'reference-data'],
};

const libraryRules = Object.entries(MAY_IMPORT).map(([lib, allowed]) => ({
  name: `${lib}-imports-only-its-row`,
  comment: `libs/${lib} may import ${allowed.length ? allowed.join(', ') : 'nothing of ours'} (architecture.md)`,
  severity: 'error',
  from: { path: `^libs/${lib}/src/`, pathNot: TESTS },
  to: {
    path: OURS,
    pathNot: [`^libs/(${[lib, ...allowed].join('|')})/src/`],
    ...runtime,
  },
}));

module.exports = {
  forbidden: [
    ...libraryRules,
    {
      name: 'domain-is-pure',
      comment:
        'A domain folder imports no Nest, no driver, no I/O, and no other layer of its context',
      severity: 'error',
      from: { path: `${CONTEXTS}domain/`, pathNot: TESTS },
      to: {
        pathNot: [
          '^libs/(cases|roster|trust-fund|platform|people)/src/domain/',
          '^libs/reference-data/src/',
          '^libs/event-store/src/(index|event-store\\.port|errors|canonical-json|hash-chain|upcasting|time|as-of|tokens|event-ids|poll-loop|decider/)',
          '^node:crypto$',
          '^crypto$',
        ],
        ...runtime,
      },
    },
    {
      name: 'event-store-core-loads-no-adapter',
      comment: 'The core (what contexts import) never reaches an adapter, a driver or Nest',
      severity: 'error',
      from: {
        path: '^libs/event-store/src/',
        pathNot: [ADAPTERS, TESTS, '^libs/event-store/src/postgres/serialized-ddl'],
      },
      to: { path: [ADAPTERS, 'node_modules/(better-sqlite3|pg|@kurrent|@nestjs)/'], ...runtime },
    },
    {
      name: 'adapters-from-composition-roots-only',
      comment: 'Only apps (and configuration) import the event-store adapters',
      severity: 'error',
      from: { path: '^libs/', pathNot: ['^libs/event-store/', '^libs/config/', TESTS] },
      to: { path: ADAPTERS, ...runtime },
    },
    {
      name: 'libraries-never-import-apps',
      severity: 'error',
      from: { path: '^libs/', pathNot: TESTS },
      to: { path: '^apps/' },
    },
    {
      name: 'write-side-never-imports-read-models',
      severity: 'error',
      from: { path: CONTEXTS, pathNot: TESTS },
      to: { path: '^libs/(projections|reactions|audit)/' },
    },
    {
      name: 'apps-use-library-doors',
      comment:
        'An app imports a library through its index (@keystone/<lib>), never its insides; the event store has two more doors for composition roots: its adapters, and the opener alone (what a verify thread loads: milliseconds, where the adapters with Nest and the KurrentDB client take half a second)',
      severity: 'error',
      from: { path: '^apps/' },
      to: {
        path: '^libs/[^/]+/src/.+',
        pathNot: [
          '^libs/[^/]+/src/index\\.ts$',
          '^libs/event-store/src/adapters\\.ts$',
          '^libs/event-store/src/open-event-store\\.ts$',
        ],
      },
    },
    {
      name: 'web-uses-the-generated-client-only',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: '^(libs|apps/(api|worker|cli))/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^libs/' },
      to: { circular: true, ...runtime },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
