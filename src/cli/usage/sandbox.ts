/** `drover sandbox`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS } from '../args.ts';

/** `drover sandbox --help`. */
export const SANDBOX_HELP = `drover sandbox [--env <env>] [--releases-from <consul addr>] [--project DIR] [options]

Starts the drover sandbox: a SIMULATOR of the subset of the Nomad, Consul and Vault HTTP APIs
drover uses, for tests and demos. It is NOT a scheduler — nothing is run; allocations, health
checks, failures and Consul registrations are simulated.

It comes up ready for one environment of the project (default: the first of the promotion chain,
e.g. qa): the environment file's namespace, datacenters and node pool exist; Vault holds a
GENERATED PLACEHOLDER for every secret the jobs reference (random, listed by path#key, never
printed), the committed vault-policies/<env>/ and a token with the drover-deployer policy; the
instances of www, api and worker run the example apps (examples/apps/), so smoke checks pass.
When the environment has progressive canaries and \`prometheus\` is on PATH, a real Prometheus
scrapes the simulated Fabio and instances (with traffic on the example routes); without it,
\`drover deploy\` refuses those canaries before registering anything.

Prints \`export\` lines on stdout (NOMAD_ADDR, CONSUL_HTTP_ADDR, VAULT_ADDR, VAULT_TOKEN = the
deployer token, DROVER_FABIO_ADDR, DROVER_FABIO_UI_ADDR, DROVER_PROMETHEUS_ADDR or \`unset\` of it,
DROVER_RELEASES_CONSUL_HTTP_ADDR, NOMAD_TOKEN) and closes stdout, so
\`eval "$(drover sandbox --env qa &)"\` works; everything else goes to stderr. Runs until Ctrl-C
(SIGINT) or SIGTERM.

  eval "$(drover sandbox --env qa &)"          # qa, on 4646/8500/8200 when free
  drover plan qa && drover deploy qa --soak 10s
  eval "$(drover sandbox --env prod --releases-from $CONSUL_HTTP_ADDR &)"   # prod reads qa's releases
  drover plan prod && drover deploy prod --yes

Options:
  --env <env>                   environment to set the sandbox up for (default: first of the promotion chain)
  --releases-from <addr>        Consul holding the source environment's releases (another sandbox's
                                CONSUL_HTTP_ADDR), exported as DROVER_RELEASES_CONSUL_HTTP_ADDR
  --no-prometheus               start no Prometheus even when one is installed
  --bare                        the simulator alone: no project, no environment, empty Vault
  --project <dir>               project root holding jobs/ and environments/ (default: current directory)
  --environments <dir>          environments directory (default: <project>/environments)
  --nomad-port <n>              Nomad port (default 4646 if free, else random)
  --consul-port <n>             Consul port (default 8500 if free, else random)
  --vault-port <n>              Vault port (default 8200 if free, else random)
  --speed <x>                   sandbox seconds per real second (default 1; 0 = frozen, advance via admin API)
  --seed <n>                    seed for IDs, ports and injected faults (default: the environment's
                                place in the promotion chain, so qa and prod sandboxes run side by side)
  --namespace <ns>              extra Nomad namespace (repeatable; "default" always exists)
  --datacenter <dc>             extra datacenter of the simulated nodes (repeatable; --bare: default dc1)
  --acl-token <t>               require this Nomad management token (X-Nomad-Token or Bearer)
  --event-buffer <n>            event batches kept for stream resumes (default 100, as Nomad)
  -h, --help                    show this help

Admin API (same port as Nomad): GET /_sandbox, POST /_sandbox/scenarios, /_sandbox/faults,
/_sandbox/clock/advance, /_sandbox/clock/speed, /_sandbox/event-stream/disconnect, /_sandbox/reset.
`;

export const SANDBOX_OPTIONS = {
  ...COMMON_OPTIONS,
  env: { type: 'string' },
  'releases-from': { type: 'string' },
  'no-prometheus': { type: 'boolean' },
  bare: { type: 'boolean' },
  'nomad-port': { type: 'string' },
  'consul-port': { type: 'string' },
  'vault-port': { type: 'string' },
  speed: { type: 'string' },
  seed: { type: 'string' },
  namespace: { type: 'string', multiple: true },
  datacenter: { type: 'string', multiple: true },
  'acl-token': { type: 'string' },
  'event-buffer': { type: 'string' },
} as const;
