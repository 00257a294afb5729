import type { CanaryAnalysisSettings } from '../../config/environment.ts';
import { releaseTargetsOf } from '../../config/promotion-chain.ts';
import { prepareRollout, runRollout, type PreparedRollout } from '../../deploy/pipeline.ts';
import { isDuration, type Duration } from '../../model/duration.ts';
import { currentOperator } from '../../release/operator.ts';
import { forceNeedsReason } from '../../release/errors.ts';
import type { FactFeedMode } from '../../watch/feed.ts';
import { ExitCode, InterruptedError, UsageError } from '../../errors.ts';
import { formatDiagnostics } from '../../report/diagnostics.ts';
import { assertVaultReady, readsSecrets } from '../../secrets/preflight.ts';
import type { DeployEvent, Report } from '../../report/events.ts';
import { ndjsonReporter } from '../../report/reporters/ndjson.ts';
import { plainReporter } from '../../report/reporters/plain.ts';
import { columnsOf, printAbove, summaryTable, ttyReporter } from '../../report/reporters/tty.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import { createClusterClients, createVaultClientFromEnv, resolveTargets, sourceConsul, withFabioAddress, type Targets, type VaultTarget } from '../clients.ts';
import { assertCanConfirm, confirmed } from '../confirm.ts';
import { openCanaryPrometheus } from '../canary-prometheus.ts';
import type { PrometheusClient } from '../../clients/prometheus/index.ts';
import { releaseRole } from '../../release/deploy-release.ts';
import { registryLookup } from '../registry-lookup.ts';
import { withMetricsFile } from '../metrics-file.ts';
import { createDeployMetrics } from '../../metrics/deploy-metrics.ts';
import { Registry } from 'prom-client';
import { resolve } from 'node:path';
import { currentGitSha } from '../git.ts';
import type { CliIo } from '../io.ts';
import { humanStream } from '../output.ts';
import { deployInterruptHint } from '../interrupt-hint.ts';
import { openProject, prepare, projectName, reportPrepared } from '../pipeline.ts';
import { DEPLOY_HELP, DEPLOY_CHOICES, DEPLOY_OPTIONS } from '../usage/deploy.ts';
import { assertRenderedAsPlanned, readSavedPlan, replayedFlags, savedPlanCheck } from '../saved-plan.ts';
import { assertPlanTarget } from '../../deploy/saved-plan.ts';
import { failureLogLines, failureLogsOptions } from '../failure-logs.ts';

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
  /** The clock `sleep` waits on, for the soak countdown (in ms; only differences count). @default Date.now */
  readonly sleepClock?: () => number;
  /** Wall clock of the release record and the prod gate. */
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DeployEvent) => void;
}

const parseDeployArgs = (argv: readonly string[]) => parseCommandArgs('deploy', argv, DEPLOY_OPTIONS, DEPLOY_CHOICES);
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
  if (values.soak !== undefined && !isDuration(values.soak)) throw new UsageError(`--soak ${values.soak} is not a duration`, { hint: 'Write e.g. --soak 30s or --soak 0.' });
  const logsOnFailure = failureLogLines(values['logs-on-failure']);
  // Before loading anything: a usage error should not wait on Consul.
  if (values.force && !values.reason?.trim()) throw forceNeedsReason();
  const saved = await readSavedPlan(io, values);
  const project = await openProject(io, values, { typecheck: !values['no-typecheck'] });
  const prepared = prepare(project, positionals[0], io);
  if (!reportPrepared(prepared, io, style, 'nothing was deployed')) return ExitCode.validation;
  if (saved) {
    assertPlanTarget(saved.doc, { env: prepared.env.name, project: await projectName(project.root), file: saved.file });
    values = { ...values, ...replayedFlags(saved.doc, prepared.env) };
  }
  const env = withFabioAddress(prepared.env, io.env, control.fabio);
  if (env.promotion.confirm) assertCanConfirm(io, values.yes ?? false, env.name);
  if (values.job && !prepared.jobs.some((j) => j.spec.id === values.job)) throw new UsageError(`Unknown job "${values.job}"`, { hint: 'Run `drover jobs` for the list.' });
  const reporter = pickReporter(output, io, style, control.sleepClock);
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
    if (saved) assertRenderedAsPlanned(saved, rollout);
    const { release } = rollout;
    if (env.promotion.confirm && !(await confirmed(io, values.yes ?? false, `Deploy ${rollout.prod ? `release ${release.label} (${release.gitSha.slice(0, 12)})` : `commit ${release.gitSha.slice(0, 12)}`} to ${env.name}?`))) {
      io.stderr.write(`Nothing was deployed to ${env.name}.\n`);
      return ExitCode.refused;
    }
    const deployingJobs = prepared.jobs.filter((j) => rollout.specs.includes(j.spec));
    // Before any connection is opened: a missing VAULT_TOKEN is a usage error, not a held lock.
    const vault = readsSecrets(deployingJobs, env) ? createVaultClientFromEnv(env, io.env, report, control.vault) : undefined;
    const secretsPreflight = vault
      ? async (signal: AbortSignal) => {
          const warnings = await assertVaultReady({ ...vault, env, jobs: deployingJobs, root: project.root, signal }, 'nothing was deployed');
          printAbove(reporter, (t) => io.stderr.write(t))(formatDiagnostics(warnings, style));
        }
      : undefined;
    const abort = new AbortController();
    const resume = { env: env.name, project: values.project, environments: values.environments, job: values.job, release: rollout.prod?.release.id, gitSha: release.gitSha };
    const onSignal = () => abort.abort(new InterruptedError(deployInterruptHint(resume)));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const { nomad, consul } = createClusterClients(env, resolveTargets(env, io.env, control.targets), io.env, report);
    let prometheus: PrometheusClient | undefined;
    try {
      // Before the lock and any registration: canaries without a Prometheus answering would only fail after minutes.
      if (rollout.canaries.size) prometheus = await openCanaryPrometheus(env, { processEnv: io.env, report, nomad, canaries: [...rollout.canaries.keys()], rendered: rollout.rendered, ...(control.prometheus ? { override: control.prometheus } : {}), ...(control.signal ? { signal: control.signal } : {}) });
      const { results, exitCode } = await runRollout(
        rollout,
        {
          adopt: values.adopt ?? false,
          waitLock: values['wait-lock'] ?? false,
          parallelism: values.parallelism ? Number(values.parallelism) : 8,
          failureLogs: failureLogsOptions(logsOnFailure, io.env, env.nomad.namespace),
          watch: (values.watch as FactFeedMode | undefined) ?? 'stream',
          prune: values.prune ?? env.promotion.prune,
          ...(values.soak !== undefined ? { soak: values.soak as Duration } : {}),
          ...(saved ? { savedPlan: savedPlanCheck(saved) } : {}),
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
      // With --output ndjson the summary is the last record (deploy-finished); the table is for people.
      const text = humanStream(io, output);
      text.write(summaryTable(results, env.name));
      for (const r of results) {
        if (r.outcome.status === 'awaiting-promotion') text.write(`→ Promote with: drover promote ${env.name} --job ${r.job}\n`);
      }
      // A source role means some environment takes its releases: the list is never empty.
      if (role.kind === 'source' && exitCode === ExitCode.ok) text.write(`→ Release ${release.label} is verified; deploy it with: drover deploy ${releaseTargetsOf(project.environments.map((m) => m.value), env.name).join(' / drover deploy ')}\n`);
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

function pickReporter(output: string, io: CliIo, style: Style, soakNow?: () => number): Report {
  const write = (text: string) => io.stderr.write(text);
  if (output === 'ndjson') return ndjsonReporter((text) => io.stdout.write(text));
  if (output === 'tty') return ttyReporter(write, style, { columns: columnsOf(io.stderr), ...(soakNow ? { soakNow } : {}) });
  return plainReporter(write, style, soakNow ? { soakNow } : {});
}
