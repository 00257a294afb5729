/** `drover cluster`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, type Choices } from '../args.ts';

export const CLUSTER_HELP = `drover cluster render <env> [--check]
drover cluster check <env> [--dev] [--output json]

Validates the cluster of <env> (environments/clusters/*.ts with env: '<env>': server count and
quorum, machines, client pools against what the jobs of <env> need, ports, TLS and gossip key
references, versions), then writes every agent's configuration to cluster/<env>/, per kind of
machine (server/, client-<pool>/):

  nomad.hcl consul.hcl          Nomad and Consul agents (ACLs, TLS, workload identities, telemetry)
  openbao.hcl | vault.hcl       servers only: integrated raft storage, TLS listener
  fabio.properties              where Fabio runs from systemd
  systemd/*.service             one unit per agent and add-on
  install.sh                    installs the declared versions and starts the units
  user-data.yaml                cloud-init: writes all of the above, runs install.sh (AWS)
  files.json                    where each file goes on a machine (provisioning over SSH)

The files are committed: \`drover validate\` and \`drover render <env> --check\` fail when they are
stale (cluster/stale) or left over (cluster/orphan); \`drover render <env>\` refreshes them too.
Nothing is written when the cluster or its environment has errors (exit 65).

  --check             write nothing; exit 65 when cluster/<env>/ is not what the definition renders
  --project DIR       project root holding jobs/ and environments/ (default: current directory)
  --environments DIR  environment definitions (default: <project>/environments; clusters in DIR/clusters)
  --no-typecheck      skip type-checking jobs/ and environments/ with the project's tsc

Exit 0 written (or up to date), 64 usage error, 65 validation error or stale files.

cluster check asks the running cluster of <env>, read-only, and reports each point with pass or
fail and the fix: Nomad and Consul leaders; raft peers equal to the declared servers; every agent
at the declared version; ACLs enforced (a request without a token is refused); TLS on the Nomad,
Consul and Vault APIs (handshake and name verified against NOMAD_CACERT, CONSUL_CACERT,
VAULT_CACERT); gossip encrypted; Vault/OpenBao unsealed at its version, its JWT auth method
(vault.jwtAuthPath) trusting this Nomad's JWKS; every client pool present, ready, its drivers
healthy; Fabio up (/health on fabio.uiPort, or DROVER_FABIO_UI_ADDR) and routing; Prometheus
(prometheus.address or DROVER_PROMETHEUS_ADDR) scraping every agent with up == 1.
Addresses: NOMAD_ADDR, CONSUL_HTTP_ADDR, VAULT_ADDR or the environment file; tokens NOMAD_TOKEN,
CONSUL_HTTP_TOKEN, VAULT_TOKEN (read-only ones suffice).

  --dev               judge the one-node cluster \`drover up --env <env>\` started (its dev profile):
                      one server that is the only client, raw_exec healthy; TLS, gossip keys and
                      versions are skipped (plain HTTP, one node, the binaries on PATH)
  --output json       one document (schema drover.cluster-check/v1) on stdout instead of lines

Exit 0 every point passed, 1 some failed, 69 Nomad, Consul or Vault unreachable, 77 a token refused.
`;

export const CLUSTER_OPTIONS = {
  ...COMMON_OPTIONS,
  check: { type: 'boolean' },
  output: { type: 'string' },
  dev: { type: 'boolean' },
  'no-typecheck': { type: 'boolean' },
} as const;

/** Actions of `drover cluster`. */
export const CLUSTER_ACTIONS = ['render', 'check'] as const;

/** The values of cluster's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const CLUSTER_CHOICES = { output: ['json', 'plain'] } as const satisfies Choices;
