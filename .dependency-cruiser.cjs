// The import rules that keep drover's layers apart (STYLE.md §1–§3), checked by dependency-cruiser:
//   npm run deps            (= depcruise src bin --config .dependency-cruiser.cjs)
// Paths are relative to the directory depcruise runs in, so the same rules apply to the small
// fixture trees under test/fixtures/deps/ that test/unit/guards/dependency-rules.test.ts cruises.
//
// Why dependency-cruiser and the swc parser: TypeScript 7 (the native compiler) has no JavaScript
// compiler API, so tools that `require('typescript')` cannot parse our sources (madge, for one;
// it also finds only cycles, not path rules); swc can, and it keeps type-only imports, which must
// count here (a type import still ties two modules together). dependency-cruiser 18 needs Node 22+.

/** Folders (and files) that STYLE.md calls pure: no I/O, no clients, no composition root. */
const PURE = [
  '^src/model/',
  '^src/wire/',
  '^src/config/',
  '^src/render/',
  // dashboards/: panels, Grafana JSON, provisioning and the static pages are values in, text out.
  '^src/dashboards/',
  '^src/validate/',
  '^src/inspect/',
  // watch/ is a pure reducer plus one thin stream/poll loop (feed.ts), which needs the Nomad client.
  '^src/watch/(?!feed\\.ts$)',
  // canary/: the judgement, the plan, the events and their text, and the Fabio route grammar are
  // pure; analysis.ts, progressive.ts, targets.ts and fabio-weights.ts talk to servers.
  '^src/canary/(describe|events|evidence|format|gates|plan|route-grammar)\\.ts$',
  // plan/: the summary and the document are pure; plan-jobs.ts calls Nomad.
  '^src/plan/(summarize|document)\\.ts$',
  // logs/: which allocations, their prefixes and the records are pure; reading and following call Nomad.
  '^src/logs/(select|prefix|records)\\.ts$',
  // cluster-check/: the facts, the checks, the results and their text are pure; read.ts and run.ts call the cluster.
  '^src/cluster-check/(facts|check|result|format)\\.ts$',
  '^src/cluster-check/checks/',
];

/** Node modules that do I/O a pure function must not do (files, processes, sockets, HTTP). */
const IO_MODULES = '^(node:)?(fs|fs/promises|child_process|net|http|https|tls|dgram)$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'Import cycles make load order matter and hide which module owns a type; break the cycle by ' +
        'giving the shared type one home (a leaf module). Type-only imports count: swc keeps them.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-not-to-clients-or-cli',
      comment:
        'Rendering, validation and the decisions over snapshots are pure functions (STYLE.md §1): ' +
        'whatever they need arrives as a value, so they never reach for a client or the CLI.',
      severity: 'error',
      from: { path: PURE },
      to: { path: ['^src/clients/', '^src/cli/'] },
    },
    {
      name: 'pure-not-to-io',
      comment:
        'Pure code reads no files and opens no sockets or processes (STYLE.md §1); I/O belongs to ' +
        'clients/, the orchestrators and cli/.',
      severity: 'error',
      from: { path: PURE },
      to: { dependencyTypes: ['core'], path: IO_MODULES },
    },
    {
      name: 'only-entry-points-to-cli',
      comment:
        'cli/ is the composition root, the only reader of argv and process.env (STYLE.md §3); library ' +
        'code depending on it would depend on how drover happens to be started. Only bin/ and cli/ ' +
        'itself import it (tests too, but they are not cruised).',
      severity: 'error',
      from: { pathNot: ['^src/cli/', '^bin/', '^test/'] },
      to: { path: '^src/cli/' },
    },
    {
      name: 'sandbox-only-to-wire',
      comment:
        'The sandbox simulates the Nomad/Consul/Vault APIs and must not share drover\'s logic, or a bug ' +
        'in drover would be simulated as correct. It may use the wire shapes (src/wire/), drover\'s ' +
        'typed errors (src/errors.ts: the error classes and exit codes, no I/O, so `drover sandbox` fails like ' +
        'every other command) and the Fabio route grammar (src/canary/route-grammar.ts: a pure leaf ' +
        'with no imports, written from Fabio\'s documented grammar, not from drover\'s use of it). The ' +
        'example apps it runs (examples/apps/) are not part of src/ and not restricted here.',
      severity: 'error',
      from: { path: '^src/sandbox/' },
      to: {
        path: '^src/',
        pathNot: ['^src/sandbox/', '^src/wire/', '^src/errors\\.ts$', '^src/canary/route-grammar\\.ts$'],
      },
    },
    {
      name: 'product-not-to-sandbox',
      comment:
        'drover runs against real clusters; the simulator is reached only by the commands that start ' +
        'it: `drover demo` (cli/commands/demo.ts) and `drover sandbox` (src/sandbox/cli.ts, registered ' +
        'in cli/main.ts, or a future cli/commands/sandbox.ts), and cli/sandbox-stage.ts, the environment setup both share.',
      severity: 'error',
      from: {
        path: ['^src/', '^bin/'],
        pathNot: ['^src/sandbox/', '^src/cli/commands/(demo|sandbox)\\.ts$', '^src/cli/sandbox-stage\\.ts$', '^src/cli/main\\.ts$'],
      },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'cli-main-only-to-sandbox-command',
      comment: 'cli/main.ts registers the `drover sandbox` command and needs nothing else from the sandbox.',
      severity: 'error',
      from: { path: '^src/cli/main\\.ts$' },
      to: { path: '^src/sandbox/', pathNot: '^src/sandbox/cli\\.ts$' },
    },
  ],
  options: {
    // TypeScript 7 has no JS compiler API for the default 'tsc' parser; swc parses TypeScript natively.
    parser: 'swc',
    // `import type` must count. The swc extractor reports it like any import whatever this says
    // (and cannot mark it type-only); the option keeps it counted should the parser ever be tsc.
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    // Resolve packages through their "exports" (bin/drover.mjs imports 'tsx/esm/api').
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
