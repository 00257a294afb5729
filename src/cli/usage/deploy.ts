/** `drover deploy`: its help text and flags, apart from its code so that `--help` and completion load nothing else. */
import { COMMON_OPTIONS, type Choices } from '../args.ts';
import { FAILURE_LOGS_HELP, FAILURE_LOGS_OPTIONS } from './failure-logs.ts';

export const DEPLOY_HELP = `drover deploy <env> [options]

Validates and renders every job, takes the environment lock (Consul session on drover/locks/<env>),
checks Vault for the jobs that read secrets (as \`drover secrets check\`: policies and JWT roles
equal to vault-policies/<env>/, every referenced secret path and key present; all problems are
reported at once and nothing is registered), plans, registers jobs in dependsOn order
(independent ones in parallel; unchanged jobs are not registered), and watches each to its real
outcome through Nomad's event stream. Fails a deployment as soon as an allocation fails
unambiguously (image pull, missing secret, restarts exhausted), so auto_revert rolls back at once,
and reports the version now running.

Releases. In an environment others take releases from (qa), the deploy records a release (id, git
SHA, per job its images and environment-free spec hash, Nomad versions) in that environment's
Consul KV (drover/releases/<id>) and .drover/releases/<id>.json, then verifies it: every job's smoke
checks, then the soak time (promotion.soak) during which no allocation may fail or restart.
Verified → drover/releases/latest-verified points at it; failed → exit 1 with the failing request.
An environment with promotion.releasesFrom (prod) deploys only such a release: by default the
latest verified one, rendered with exactly its image references; it refuses (exit 4) a release
that is not verified, older than promotion.maxReleaseAge, or whose jobs differ from jobs/ apart
from environment values, and records its outcome on the release.

Digests. In an environment with \`registries\` (environment file), every image tag on a listed
registry is looked up first (Registry HTTP API v2; credentials from Docker's config.json,
$DOCKER_CONFIG or ~/.docker) and deployed as tag@sha256:…, so a release records the exact image and
prod runs it even if the tag is pushed again. A tag the registry does not have stops the deploy
before the lock (exit 4), with every such image listed.

Canaries. With promotion "progressive" (environment or job), healthy canaries get a growing share
of their Fabio route (a \`route weight\` rule in Consul KV under fabio/config/, default 5 % → 25 % →
50 %), each step judged by Prometheus queries (route 5xx ratio and p99 by default); then drover
promotes the deployment, or fails it (auto_revert rolls back) and exits 1 quoting the query, the
value and the threshold. The rule is deleted on every way out, Ctrl-C included.

  --plan FILE         deploy exactly what \`drover plan <env> --out FILE\` planned (like terraform
                      apply with a plan file): its commit and flags (--job, --release, --adopt,
                      refused next to --plan), refusing (exit 4, naming the job and what to run)
                      when a job's render differs from the plan's spec hash, a job was added or
                      removed, or a job (or, when pruning, a stop) moved in Nomad since: its job
                      modify index is checked under the lock and enforced as check-index. A
                      plan of another environment or project is refused (4); a file that is not
                      a drover.plan/v1 plan (an older drover's, or another format) is a usage
                      error (64) saying to plan again
  --job ID            deploy only this job (and nothing that depends on it); records no release
  --release ID        prod: the release to deploy (default: the source's latest verified);
                      qa: the id of the release recorded (default: r-<utc time>-<sha7>)
  --force --reason R  prod: deploy a release the gate refuses; the reason and what it overrode
                      are recorded in the release (--force alone is a usage error)
  --yes               confirm, for environments with promotion.confirm (asked on a terminal)
  --soak DURATION     overrides promotion.soak for this verification (recorded as waited)
  --adopt             take over jobs with the same ID that this project does not own
  --wait-lock         wait for the environment lock instead of refusing (exit 4)
  --stop-at-canary    exit 3 once canaries are healthy, before any promotion: every canary group
                      is registered with auto_promote = false for this run and no progressive
                      canary runs; jobs depending on a waiting job are deployed too. The release
                      (qa) or its prod outcome is recorded as awaiting-promotion, and
                      \`drover promote <env>\` completes it (in qa, then verifies it)
  --prune             after every job succeeded, stop jobs this project owns here that are no
                      longer in jobs/ (default: the environment's promotion.prune; never with --job)
  --output MODE       tty (live view), plain (one line per change, default in CI), ndjson
  --watch MODE        stream (default: event stream, blocking queries as fallback), poll
                      (blocking queries only) or interval (1 s polling, for comparison)
  --parallelism N     jobs deployed at once (default 8)
${FAILURE_LOGS_HELP}
  --git-sha SHA       commit recorded in job meta and the release (default: git HEAD)
  --no-typecheck      skip type-checking jobs/ and environments/ with the project's tsc
  --metrics-file PATH write what this deploy did as Prometheus metrics (exit code, duration, job
                      outcomes and versions, release, verification, canaries) to PATH, replaced
                      atomically on every way out: point it into node-exporter's textfile
                      collector directory (a name ending in .prom)

Addresses come from environments/<env>.ts, overridden by NOMAD_ADDR, CONSUL_HTTP_ADDR, VAULT_ADDR,
DROVER_FABIO_ADDR (smoke checks), DROVER_PROMETHEUS_ADDR (canary analysis) and
DROVER_RELEASES_CONSUL_HTTP_ADDR (prod: the Consul of the environment releases come from).
Tokens only from NOMAD_TOKEN, CONSUL_HTTP_TOKEN, VAULT_TOKEN (read-only: the drover-deployer
policy; required when a deployed job reads secrets), DROVER_RELEASES_CONSUL_HTTP_TOKEN and
DROVER_PROMETHEUS_TOKEN, plus VAULT_NAMESPACE and the *_CACERT files; registry credentials only
from Docker's config.json.
Exit: 0 deployed (and, in qa, verified), 1 failed (rolled back or not, as reported; a failed smoke
check, soak or canary analysis), 2 placement failure, 3 canaries awaiting promotion, 4 refused
(lock held, changed since plan or since the --plan file, foreign job, Vault not ready, release
not deployable, not confirmed, an image tag the registry does not have), 64 usage (--force without
--reason, no --yes off a terminal, a --plan file drover cannot read), 65 invalid (including stale
vault-policies/), 69 unreachable, 77 not allowed (a Nomad, Consul, Vault, Prometheus or registry
token missing, wrong or denied), 130 interrupted.
`;

export const DEPLOY_OPTIONS = {
  ...COMMON_OPTIONS,
  'no-typecheck': { type: 'boolean' },
  job: { type: 'string' },
  adopt: { type: 'boolean' },
  'wait-lock': { type: 'boolean' },
  'stop-at-canary': { type: 'boolean' },
  prune: { type: 'boolean' },
  output: { type: 'string' },
  watch: { type: 'string' },
  parallelism: { type: 'string' },
  ...FAILURE_LOGS_OPTIONS,
  'git-sha': { type: 'string' },
  release: { type: 'string' },
  force: { type: 'boolean' },
  reason: { type: 'string' },
  yes: { type: 'boolean' },
  soak: { type: 'string' },
  'metrics-file': { type: 'string' },
  plan: { type: 'string' },
} as const;

/** The values of deploy's enumerated flags: its parser refuses any other, completion offers exactly these. */
export const DEPLOY_CHOICES = { output: ['tty', 'plain', 'ndjson'], watch: ['stream', 'poll', 'interval'] } as const satisfies Choices;
