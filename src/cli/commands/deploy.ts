import { deploy, type DeployJob } from '../../deploy/deploy.ts';
import type { FactFeedMode } from '../../watch/feed.ts';
import { deployExitCode } from '../../deploy/exit-code.ts';
import { ExitCode, InterruptedError, UsageError } from '../../errors.ts';
import { deployWaves } from '../../plan/order.ts';
import { renderOutputs } from '../../render/outputs.ts';
import { formatDiagnostics, summarizeDiagnostics } from '../../report/diagnostics.ts';
import { assertVaultReady, readsSecrets } from '../../secrets/preflight.ts';
import type { DeployEvent, Report } from '../../report/events.ts';
import { ndjsonReporter } from '../../report/reporters/ndjson.ts';
import { plainReporter } from '../../report/reporters/plain.ts';
import { summaryTable, ttyReporter } from '../../report/reporters/tty.ts';
import type { Style } from '../../report/style.ts';
import { COMMON_OPTIONS, parseCommandArgs } from '../args.ts';
import { createClusterClients, createVaultClientFromEnv, resolveTargets, type Targets, type VaultTarget } from '../clients.ts';
import { currentGitSha } from '../git.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, projectName } from '../pipeline.ts';

export const DEPLOY_HELP = `drover deploy <env> [options]

Validates and renders every job, takes the environment lock (Consul session on drover/locks/<env>),
checks Vault for the jobs that read secrets (as \`drover secrets check\`: policies and JWT roles
equal to vault-policies/<env>/, every referenced secret path and key present; all problems are
reported at once and nothing is registered), plans, registers jobs in dependsOn order (independent ones in parallel; unchanged jobs are not
registered), and watches each to its real outcome through Nomad's event stream. Fails a deployment
as soon as an allocation fails unambiguously (image pull, missing secret, restarts exhausted), so
auto_revert rolls back at once, and reports the version now running.

  --job ID            deploy only this job (and nothing that depends on it)
  --adopt             take over jobs with the same ID that this project does not own
  --wait-lock         wait for the environment lock instead of refusing (exit 4)
  --stop-at-canary    exit 3 as soon as canaries are healthy and need a manual promotion
  --prune             after every job succeeded, stop jobs this project owns here that are no
                      longer in jobs/ (default: the environment's promotion.prune; never with --job)
  --output MODE       tty (live view), plain (one line per change, default in CI), ndjson
  --watch MODE        stream (default: event stream, blocking queries as fallback), poll
                      (blocking queries only) or interval (1 s polling, for comparison)
  --parallelism N     jobs deployed at once (default 8)
  --git-sha SHA, --release ID   recorded in job meta (defaults: git HEAD, its first 12 characters)

Addresses come from environments/<env>.ts, overridden by NOMAD_ADDR, CONSUL_HTTP_ADDR and VAULT_ADDR;
tokens only from NOMAD_TOKEN, CONSUL_HTTP_TOKEN and VAULT_TOKEN (read-only: the drover-deployer
policy; required when a deployed job reads secrets), plus VAULT_NAMESPACE and VAULT_CACERT.
Exit: 0 deployed, 1 failed (rolled back or not, as reported), 2 placement failure, 3 canaries
awaiting promotion, 4 refused (lock held, changed since plan, foreign job, Vault not ready: policy
or role not applied, secret path or key missing), 65 invalid (including stale vault-policies/),
69 unreachable.
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
} as const;

/** Lets tests (and the embedded sandbox) point the command at given addresses and abort it. */
export interface DeployControl {
  readonly targets?: Targets;
  /** Vault for the secrets preflight instead of VAULT_ADDR/VAULT_TOKEN (the demo's sandbox). */
  readonly vault?: VaultTarget;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DeployEvent) => void;
}

export async function deployCommand(argv: readonly string[], io: CliIo, style: Style, control: DeployControl = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs('deploy', argv, OPTIONS);
  if (values.help) return io.stdout.write(DEPLOY_HELP), ExitCode.ok;
  const output = values.output ?? (io.stderr.isTTY && !io.env.CI ? 'tty' : 'plain');
  if (!['tty', 'plain', 'ndjson'].includes(output)) throw new UsageError(`Unknown --output ${output}`, { hint: 'Use tty, plain or ndjson.' });
  if (values.watch && !['stream', 'poll', 'interval'].includes(values.watch)) throw new UsageError(`Unknown --watch ${values.watch}`, { hint: 'Use stream, poll or interval.' });
  const project = await openProject(io, values);
  const prepared = prepare(project, positionals[0], io);
  io.stderr.write(formatDiagnostics(prepared.diagnostics, style));
  if (!prepared.ok) {
    io.stderr.write(`${style.red('✖')} Validation failed for ${prepared.env.name}: ${summarizeDiagnostics(prepared.diagnostics)}; nothing was deployed.\n`);
    return ExitCode.validation;
  }
  const gitSha = values['git-sha'] ?? (await currentGitSha(project.root));
  const release = values.release ?? gitSha.slice(0, 12);
  const { jobs: rendered } = renderOutputs(prepared.jobs, { env: prepared.env, project: await projectName(project.root), gitSha, release });
  const specs = new Map(prepared.jobs.map((j) => [j.spec.id, j.spec]));
  let jobs: DeployJob[] = rendered.map((r) => ({ id: r.id, job: r.job, dependsOn: [...(specs.get(r.id)?.dependsOn ?? [])] }));
  if (values.job) {
    jobs = jobs.filter((j) => j.id === values.job).map((j) => ({ ...j, dependsOn: [] }));
    if (jobs.length === 0) throw new UsageError(`Unknown job "${values.job}"`, { hint: 'Run `drover jobs` for the list.' });
  }
  const reporter = pickReporter(output, io, style);
  const report: Report = (event) => {
    control.onEvent?.(event);
    reporter(event);
  };
  const deploying = new Set(jobs.map((j) => j.id));
  const secretJobs = prepared.jobs.filter((j) => deploying.has(j.spec.id));
  // Before any connection is opened: a missing VAULT_TOKEN is a usage error, not a held lock.
  const vault = readsSecrets(secretJobs, prepared.env) ? createVaultClientFromEnv(prepared.env, io.env, report, control.vault) : undefined;
  const secretsPreflight = vault
    ? async (signal: AbortSignal) => {
        const warnings = await assertVaultReady({ ...vault, env: prepared.env, jobs: secretJobs, root: project.root, signal }, 'nothing was deployed');
        io.stderr.write(formatDiagnostics(warnings, style));
      }
    : undefined;
  const abort = new AbortController();
  const onSignal = () => abort.abort(new InterruptedError('The deployment continues in Nomad; run `drover status` or deploy again to resume watching.'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const targets = resolveTargets(prepared.env, io.env, control.targets);
  const { nomad, consul } = createClusterClients(prepared.env, targets, io.env, report);
  try {
    report({ type: 'deploy-started', env: prepared.env.name, release, waves: deployWaves(jobs).waves });
    const results = await deploy(
      {
        env: prepared.env.name,
        project: await projectName(project.root),
        release,
        jobs,
        adopt: values.adopt ?? false,
        waitLock: values['wait-lock'] ?? false,
        stopAtCanary: values['stop-at-canary'] ?? false,
        promote: prepared.env.promotion.canary === 'auto',
        parallelism: values.parallelism ? Number(values.parallelism) : 8,
        watch: (values.watch as FactFeedMode | undefined) ?? 'stream',
        prune: (values.prune ?? prepared.env.promotion.prune) && !values.job,
        allJobIds: prepared.jobs.map((j) => j.spec.id),
      },
      { nomad, consul, report, signal: control.signal ? AbortSignal.any([control.signal, abort.signal]) : abort.signal, ...(secretsPreflight ? { secretsPreflight } : {}) },
    );
    const exitCode = deployExitCode(results);
    report({ type: 'deploy-finished', env: prepared.env.name, exitCode, results });
    io.stdout.write(summaryTable(results));
    for (const r of results) {
      if (r.outcome.status === 'awaiting-promotion') io.stdout.write(`→ Promote with: drover promote ${prepared.env.name} --job ${r.job}\n`);
    }
    return exitCode;
  } finally {
    if ('stop' in reporter) (reporter as { stop(): void }).stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    nomad.close();
    consul.close();
  }
}

function pickReporter(output: string, io: CliIo, style: Style): Report {
  const write = (text: string) => io.stderr.write(text);
  if (output === 'ndjson') return ndjsonReporter((text) => io.stdout.write(text));
  if (output === 'tty') return ttyReporter(write, style);
  return plainReporter(write, style);
}
