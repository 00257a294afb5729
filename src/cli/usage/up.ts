/** `drover up` and `drover down`: their help texts and flags, apart from their code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS } from '../args.ts';

/** `drover up --help`. */
export const UP_HELP = `drover up [--env <env>] [--sandbox] [--random-ports] [--project DIR]

Starts a real single-node cluster on 127.0.0.1 for one environment of the project (default: dev
when the project has it, else the first of the promotion chain); one per environment, side by
side (\`drover up --env qa\`, then \`drover up --env prod\`: prod reads its releases from qa's
Consul, each Nomad client hands out its own slice of the dynamic ports), from the dev profile of
\`drover cluster render\`: the same templates, one node that is Nomad server and client, Consul
server and OpenBao (or Vault) raft node, no TLS, no ACLs, raw_exec allowed, the cloud
fingerprinters denied; the environment's cluster definition gives the datacenter, the pools'
drivers, meta and host volumes. Nomad 4646, Consul 8500 and OpenBao 8200 when free (else free
ports, never a running sandbox's); Fabio and Prometheus on free ports. Everything listens on
127.0.0.1 only and runs detached, with logs in .drover/up/<env>/logs/.

It waits for each server (Consul leader, OpenBao initialised and unsealed with one key share,
Nomad leader and a ready node, Fabio, Prometheus), then sets the cluster up as an operator would:
the environment's Nomad namespace, KV mounts, the JWT auth method trusting this Nomad's JWKS
(workload identities), the policies and roles of vault-policies/<env>/, a GENERATED PLACEHOLDER
for every secret the jobs read (random, listed by path#key, never printed), an empty value for
every Consul KV key they read, and a token with only the drover-deployer policy. The root token
is in .drover/up/<env>/root-token (mode 0600), never printed.

Needs nomad, consul (or .tools/consul from scripts/install-consul.sh), bao or vault, fabio and
prometheus on PATH. Without one of them it says which and starts \`drover sandbox --env <env>\`
instead (a SIMULATOR: nothing runs), detached, with the same exports.

Prints \`export\` lines on stdout (NOMAD_ADDR, CONSUL_HTTP_ADDR, VAULT_ADDR, VAULT_TOKEN = the
deployer token, also allowed to read the JWT auth config for \`drover cluster check --dev\`,
DROVER_FABIO_ADDR, DROVER_FABIO_UI_ADDR, DROVER_PROMETHEUS_ADDR, DROVER_RELEASES_CONSUL_HTTP_ADDR);
everything else goes to stderr. Run again while it runs, it prints the same exports.

  eval "$(drover up --env dev)"
  drover deploy dev
  drover down

Options:
  --env <env>           environment to start the cluster for
  --sandbox             start the sandbox even when the binaries are there
  --random-ports        free ports only, never 4646/8500/8200 (another agent on this machine may
                        expect Consul at 127.0.0.1:8500 and would register its services there)
  --project <dir>       project root holding jobs/ and environments/ (default: current directory)
  --environments <dir>  environments directory (default: <project>/environments)
  -h, --help            show this help

Exit 0 started (or already running), 4 half-started or no dynamic port range left, 64 usage error,
69 a server did not become ready (the message names its log; what was started is stopped).
`;

export const UP_OPTIONS = {
  ...COMMON_OPTIONS,
  env: { type: 'string' },
  sandbox: { type: 'boolean' },
  'random-ports': { type: 'boolean' },
} as const;

/** `drover down --help`. */
export const DOWN_HELP = `drover down [--env <env>] [--project DIR]

Stops what \`drover up\` started for the project (every environment's local cluster, or only
--env's, the newest first), as recorded in .drover/up/<env>/state.json: each
process by its pid, in reverse start order, only while that pid still runs the command line
\`up\` gave it (a pid the system has since given to another program is left alone); SIGTERM, then
SIGKILL after 15 s. Then kills the task processes Nomad left in its data dir (raw_exec tasks and
their executors outlive the agent) and removes the data, configuration and root token. The logs
stay in .drover/up/<env>/logs/.

Options:
  --env <env>      stop only this environment's local cluster
  --project <dir>  project root (default: current directory)
  -h, --help       show this help

Exit 0 stopped (or nothing to stop), 64 usage error or an unreadable state file.
`;

export const DOWN_OPTIONS = {
  env: { type: 'string' },
  project: COMMON_OPTIONS.project,
  help: COMMON_OPTIONS.help,
} as const;
