/** `drover --help`: the commands and the exit codes, loaded without any command's code. */
export const DROVER_HELP = `drover — typed Nomad jobs, honest rollouts.

Usage: drover <command> [options]

Commands:
  init [<dir>]     start a project: jobs, environments, Vault policies, CI pipelines
  render <env>     validate, then write Nomad JSON + HCL for every job (build/<env>/)
                   and the committed Grafana dashboards and provisioning (grafana/<env>/)
  dashboards <env> the dashboards as static HTML pages, with values from a Prometheus if given
  validate [<env>] check every job and environment file; report all problems at once
  jobs [<env>]     list jobs in deploy order
  plan <env>       what deploy would change, per job and group (Nomad's dry run); exit 0/1/255
  deploy <env>     lock, plan, register in dependency order, watch to the real outcome
  promote <env>    promote deployments waiting with canaries, watch them to the end
  rollback <env> --job ID  revert to the last stable earlier version (or --to N), watch it
  status <env>     this project's jobs in <env>: versions, deployments, allocations, failures
  history <env> --job ID   a job's versions: stable, submitted, release, deployment status
  logs <env> <job> the job's allocations' logs, each line prefixed (api[2] v14 canary |); -f follows
  releases [<env>] release records: commit, verified or failed in QA, prod outcomes
  release show <id>    one release: images, hashes, smoke results, soak, promotions
  secrets check <env>  is Vault ready for the jobs: policies, roles, every secret key (read-only)
  secrets plan <env>   what applying vault-policies/<env>/ would change in Vault's policies and roles
  cluster render <env> every agent's configuration for the environment's cluster (cluster/<env>/)
  cluster check <env>  is the running cluster what the definition says: leaders, peers, versions, ACLs, TLS, pools…
  loadtest <env>   HTTP load through the environment's Fabio: latency percentiles, statuses, rate
  up [--env <env>] a real single-node cluster on 127.0.0.1 (nomad, consul, bao, fabio, prometheus), else the sandbox
  down             stop what \`drover up\` started (every environment's, or --env's), remove its data
  consul-sd        Consul's catalog as Prometheus HTTP service discovery (Prometheus without consul_sd)
  sandbox          local simulator of the Nomad/Consul/Vault APIs drover uses (tests, demos)
  demo             the main job on one machine: render, validate, deploy qa then prod to sandboxes
  completion <bash|zsh|fish>  print a shell completion script (commands, flags, environments)

Run \`drover <command> --help\` for a command's options.

Exit codes:
  0   success
  1   deployment failed (Nomad rolled back or not, and to which version, is reported)
  2   placement failure
  3   canaries healthy and waiting for promotion (only with --stop-at-canary)
  4   refused: lock held, check-index conflict, job owned by someone else, release not verified,
      Vault not ready (policy or role not applied, secret path or key missing)
  64  usage error
  65  validation error (nothing was written or deployed)
  69  cluster unreachable
  70  internal error (a drover bug)
  77  not allowed: a token missing, wrong or denied (Nomad, Consul, Vault, Prometheus, registry)
  130 interrupted (Ctrl-C); Nomad carries on with what it was asked, the lock is released
  plan keeps Nomad's convention: 0 no changes, 1 changes, 255 error (4, 64, 65 and 77 as above)

Output for programs: --output ndjson (events on stdout, the summary last; text on stderr) and
--output json (one document, "schema": "drover.<command>/v1"); see docs/output.md.
`;
