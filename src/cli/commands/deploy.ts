import type { CanaryAnalysisSettings } from '../../config/environment.ts';
import { releaseTargetsOf } from '../../config/promotion-chain.ts';
import { prepareRollout, runRollout, type PreparedRollout } from '../../deploy/pipeline.ts';
import { isDuration, type Duration } from '../../model/duration.ts';
import { currentOperator } from '../../release/operator.ts';
import { forceNeedsReason } from '../../release/errors.ts';
import type { FactFeedMode } from '../../watch/feed.ts';
import { ExitCode, InterruptedError, UsageError } from '../../errors.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../../report/diagnostics.ts';
import { assertVaultReady, readsSecrets } from '../../secrets/preflight.ts';
import type { DeployEvent, Report } from '../../report/events.ts';
import { ndjsonReporter } from '../../report/reporters/ndjson.ts';
import { plainReporter } from '../../report/reporters/plain.ts';
import { summaryTable, ttyReporter } from '../../report/reporters/tty.ts';
import type { Style } from '../../report/style.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../args.ts';
import { createClusterClients, createPrometheusClientFromEnv, createVaultClientFromEnv, resolveTargets, sourceConsul, withFabioAddress, type Targets, type VaultTarget } from '../clients.ts';
import { assertCanConfirm, confirmed } from '../confirm.ts';
import { releaseRole } from '../../release/deploy-release.ts';
import { registryLookup } from '../registry-lookup.ts';
import { withMetricsFile } from '../metrics-file.ts';
import { createDeployMetrics } from '../../metrics/deploy-metrics.ts';
import { Registry } from 'prom-client';
import { resolve } from 'node:path';
import { currentGitSha } from '../git.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, projectName } from '../pipeline.ts';

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
  --git-sha SHA       commit recorded in job meta and the release (default: git HEAD)
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
(lock held, changed since plan, foreign job, Vault not ready, release not deployable, not
confirmed, an image tag the registry does not have), 64 usage (--force without --reason, no --yes
off a terminal), 65 invalid (including stale vault-policies/), 69 unreachable, 130 interrupted.
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  job: { type: 'string' },
  adopt: { type: 'boolean' },
  'wait-lock': { type: 'boolean' },
  'stop-at-canary': { type: 'boolean' },
  prune: { type: 'boolean' },
  output: { type: 'string' },
  watch: { type: 'string' },
  parallelism: { type: 'string' },
  'git-sha': { type: 'string' },
  release: { type: 'string' },
  force: { type: 'boolean' },
  reason: { type: 'string' },
  yes: { type: 'boolean' },
  soak: { type: 'string' },
  'metrics-file': { type: 'string' },
} as const;

/** Lets tests (and the embedded sandbox) point the command at given addresses and abort it. */
export interface DeployControl {
  readonly targets?: Targets;
  /** Vault for the secrets preflight instead of VAULT_ADDR/VAULT_TOKEN (the demo's sandbox). */
  readonly vault?: VaultTarget;
  /** Fabio that smoke checks go through, instead of DROVER_FABIO_ADDR / fabio.address. */
  readonly fabio?: string;
  /** Prometheus of progressive canaries, instead of DROVER_PROMETHEUS_ADDR / prometheus.address. */
  readonly prometheus?: string;
  /** Consul holding the source environment's releases, instead of DROVER_RELEASES_CONSUL_HTTP_ADDR. */
  readonly releasesConsul?: string;
  /** Analysis settings over the environment's (the demo shortens the steps). */
  readonly analysis?: Partial<CanaryAnalysisSettings>;
  /** Waits of the soak and smoke retries (the demo runs them on the sandbox's clock). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Wall clock of the release record and the prod gate. */
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DeployEvent) => void;
}

const parseDeployArgs = (argv: readonly string[]) => parseCommandArgs('deploy', argv, OPTIONS);
type DeployArgs = ReturnType<typeof parseDeployArgs>;

export async function deployCommand(argv: readonly string[], io: CliIo, style: Style, control: DeployControl = {}): Promise<number> {
  const args = parseDeployArgs(argv);
  const file = args.values['metrics-file'];
  if (!file || args.values.help) return deployOnce(args, io, style, control);
  const registry = new Registry();
  const metrics = createDeployMetrics(registry, { env: args.positionals[0] ?? '', startedAtMs: Date.now() });
  const observed: DeployControl = { ...control, onEvent: (event) => (metrics.observe(event), control.onEvent?.(event)) };
  return withMetricsFile({ path: resolve(io.cwd, file), registry, metrics, io }, () => deployOnce(args, io, style, observed));
}

async function deployOnce({ values, positionals }: DeployArgs, io: CliIo, style: Style, control: DeployControl): Promise<number> {
  if (values.help) return io.stdout.write(DEPLOY_HELP), ExitCode.ok;
  const output = values.output ?? (io.stderr.isTTY && !io.env.CI ? 'tty' : 'plain');
  if (!['tty', 'plain', 'ndjson'].includes(output)) throw new UsageError(`Unknown --output ${output}`, { hint: 'Use tty, plain or ndjson.' });
  if (values.watch && !['stream', 'poll', 'interval'].includes(values.watch)) throw new UsageError(`Unknown --watch ${values.watch}`, { hint: 'Use stream, poll or interval.' });
  if (values.soak !== undefined && !isDuration(values.soak)) throw new UsageError(`--soak ${values.soak} is not a duration`, { hint: 'Write e.g. --soak 30s or --soak 0.' });
  // Before loading anything: a usage error should not wait on Consul.
  if (values.force && !values.reason?.trim()) throw forceNeedsReason();
  const project = await openProject(io, values);
  const prepared = prepare(project, positionals[0], io);
  io.stderr.write(formatDiagnostics(prepared.diagnostics, style));
  if (!prepared.ok) {
    io.stderr.write(`${style.red('✖')} Validation failed for ${prepared.env.name}: ${summarizeDiagnostics(prepared.diagnostics)}; nothing was deployed.\n`);
    return ExitCode.validation;
  }
  const env = withFabioAddress(prepared.env, io.env, control.fabio);
  if (env.promotion.confirm) assertCanConfirm(io, values.yes ?? false, env.name);
  if (values.job && !prepared.jobs.some((j) => j.spec.id === values.job)) throw new UsageError(`Unknown job "${values.job}"`, { hint: 'Run `drover jobs` for the list.' });
  const reporter = pickReporter(output, io, style);
  const report: Report = (event) => {
    control.onEvent?.(event);
    reporter(event);
  };
  const role = releaseRole(env, project.environments.map((m) => m.value), Boolean(values.job));
  if (role.kind === 'none' && role.why) io.stderr.write(`${style.dim(`Note: ${role.why}.`)}\n`);
  const registries = registryLookup(env, io, report);
  let rollout: PreparedRollout;
  try {
    rollout = await prepareRollout(
      {
        project,
        projectName: await projectName(project.root),
        env,
        jobs: prepared.jobs,
        gitSha: values['git-sha'] ?? (await currentGitSha(project.root)),
        recordsRelease: true,
        now: (control.now ?? (() => new Date()))(),
        operator: currentOperator(),
        ...(values.job ? { only: values.job } : {}),
        ...(values.release !== undefined ? { release: values.release } : {}),
        ...(values.force ? { force: true } : {}),
        ...(values.reason !== undefined ? { reason: values.reason } : {}),
        ...(values['stop-at-canary'] ? { stopAtCanary: true } : {}),
        ...(control.analysis ? { analysis: control.analysis } : {}),
      },
      {
        report,
        openSourceConsul: (source) => sourceConsul(io.env, source, control.releasesConsul),
        ...(registries.open ? { openDigestLookup: registries.open } : {}),
        ...(control.signal ? { signal: control.signal } : {}),
      },
    );
  } finally {
    registries.close();
  }
  try {
    const { release } = rollout;
    if (env.promotion.confirm && !(await confirmed(io, values.yes ?? false, `Deploy ${rollout.prod ? `release ${release.label} (${release.gitSha.slice(0, 12)})` : `commit ${release.gitSha.slice(0, 12)}`} to ${env.name}?`))) {
      io.stderr.write(`Nothing was deployed to ${env.name}.\n`);
      return ExitCode.refused;
    }
    const deployingJobs = prepared.jobs.filter((j) => rollout.specs.includes(j.spec));
    // Before any connection is opened: a missing VAULT_TOKEN is a usage error, not a held lock.
    const vault = readsSecrets(deployingJobs, env) ? createVaultClientFromEnv(env, io.env, report, control.vault) : undefined;
    const prometheus = rollout.canaries.size ? createPrometheusClientFromEnv(env, io.env, report, control.prometheus) : undefined;
    const secretsPreflight = vault
      ? async (signal: AbortSignal) => {
          const warnings = await assertVaultReady({ ...vault, env, jobs: deployingJobs, root: project.root, signal }, 'nothing was deployed');
          io.stderr.write(formatDiagnostics(warnings, style));
        }
      : undefined;
    const abort = new AbortController();
    const onSignal = () => abort.abort(new InterruptedError('The deployment continues in Nomad; run `drover status` or deploy again to resume watching.'));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const { nomad, consul } = createClusterClients(env, resolveTargets(env, io.env, control.targets), io.env, report);
    try {
      const { results, exitCode } = await runRollout(
        rollout,
        {
          adopt: values.adopt ?? false,
          waitLock: values['wait-lock'] ?? false,
          parallelism: values.parallelism ? Number(values.parallelism) : 8,
          watch: (values.watch as FactFeedMode | undefined) ?? 'stream',
          prune: values.prune ?? env.promotion.prune,
          ...(values.soak !== undefined ? { soak: values.soak as Duration } : {}),
        },
        {
          nomad,
          consul,
          report,
          signal: control.signal ? AbortSignal.any([control.signal, abort.signal]) : abort.signal,
          ...(secretsPreflight ? { secretsPreflight } : {}),
          ...(prometheus ? { prometheus } : {}),
          ...(control.sleep ? { sleep: control.sleep } : {}),
        },
      );
      io.stdout.write(summaryTable(results, env.name));
      for (const r of results) {
        if (r.outcome.status === 'awaiting-promotion') io.stdout.write(`→ Promote with: drover promote ${env.name} --job ${r.job}\n`);
      }
      // A source role means some environment takes its releases: the list is never empty.
      if (role.kind === 'source' && exitCode === ExitCode.ok) io.stdout.write(`→ Release ${release.label} is verified; deploy it with: drover deploy ${releaseTargetsOf(project.environments.map((m) => m.value), env.name).join(' / drover deploy ')}\n`);
      return exitCode;
    } finally {
      if ('stop' in reporter) (reporter as { stop(): void }).stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      nomad.close();
      consul.close();
      prometheus?.close();
    }
  } finally {
    rollout.close();
  }
}

function pickReporter(output: string, io: CliIo, style: Style): Report {
  const write = (text: string) => io.stderr.write(text);
  if (output === 'ndjson') return ndjsonReporter((text) => io.stdout.write(text));
  if (output === 'tty') return ttyReporter(write, style);
  return plainReporter(write, style);
}
