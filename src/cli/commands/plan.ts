import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { describeCanaryPlan } from '../../canary/describe.ts';
import { progressiveCanaryPlan } from '../../canary/plan.ts';
import { foreignJobsRefused } from '../../deploy/ownership.ts';
import { findStops } from '../../deploy/prune.ts';
import { DroverError, ExitCode, UsageError } from '../../errors.ts';
import { formatPlan, toPlanDocument, type PlanDocument, type PlanFlags } from '../../plan/document.ts';
import { META } from '../../render/context.ts';
import { planJobs, type JobPlanEntry } from '../../plan/plan-jobs.ts';
import { canonicalJson } from '../../render/canonical-json.ts';
import { currentOperator } from '../../release/operator.ts';
import { prepareRollout, type PreparedRollout } from '../../deploy/pipeline.ts';
import { sourceConsul } from '../clients.ts';
import { registryLookup } from '../registry-lookup.ts';
import { formatError } from '../../report/error.ts';
import type { Style } from '../../report/style.ts';
import { parseCommandArgs } from '../args.ts';
import { currentGitSha } from '../git.ts';
import type { NomadJob } from '../../wire/nomad-job.ts';
import type { CliIo } from '../io.ts';
import { openProject, prepare, type Prepared, reportPrepared } from '../pipeline.ts';
import { connectCluster, type ClusterSession } from './status.ts';
import { PLAN_HELP, PLAN_CHOICES, PLAN_OPTIONS } from '../usage/plan.ts';
import { humanStream } from '../output.ts';
import { jsonDocument, OUTPUT_SCHEMAS } from '../../report/documents.ts';
import { PLAN_FILE } from '../../render/build-files.ts';

/** `plan` answers errors with 255 like `nomad job plan`, except the codes that say what to fix (4, 64, 65, 77). */
const PLAN_ERROR = 255;
const KEPT_CODES = new Set<number>([ExitCode.usage, ExitCode.validation, ExitCode.refused, ExitCode.noPermission]);

/** `drover plan`: Nomad's convention for exit codes (0 no changes, 1 changes, 255 error) except 4, 64, 65 and 77. */
export async function planCommand(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  try {
    return await plan(argv, io, style);
  } catch (error) {
    if (!(error instanceof DroverError) || KEPT_CODES.has(error.exitCode)) throw error;
    io.stderr.write(formatError(error, style));
    return PLAN_ERROR;
  }
}

async function plan(argv: readonly string[], io: CliIo, style: Style): Promise<number> {
  const { values, positionals } = parseCommandArgs('plan', argv, PLAN_OPTIONS, PLAN_CHOICES);
  if (values.help) return io.stdout.write(PLAN_HELP), ExitCode.ok;
  if (positionals.length > 1) throw new UsageError(`Unexpected arguments: ${positionals.slice(1).join(' ')}`, { hint: 'Usage: drover plan <env> [--job ID]' });
  const project = await openProject(io, values);
  const prepared = prepare(project, positionals[0], io);
  if (!reportPrepared(prepared, io, style, 'nothing was planned')) return ExitCode.validation;
  const selected = values.job ? prepared.jobs.filter((j) => j.spec.id === values.job) : prepared.jobs;
  if (values.job && selected.length === 0) throw new UsageError(`Unknown job "${values.job}"`, { hint: `Jobs: ${prepared.jobs.map((j) => j.spec.id).join(', ')}. Run \`drover jobs\`.` });
  const localSha = values['git-sha'] ?? (await currentGitSha(project.root));
  const session = await connectCluster(prepared, io, style, values.output);
  const registries = registryLookup(prepared.env, io, session.report);
  let rollout: PreparedRollout | undefined;
  try {
    // What deploy would register: in an environment that takes releases, the release through the
    // gate (a refusal is deploy's answer too) with its image pins; elsewhere the tags pinned now.
    // A source environment records no release from a plan: the jobs carry --release or the commit.
    rollout = await prepareRollout(
      { project, projectName: session.owner.project, env: prepared.env, jobs: prepared.jobs, gitSha: localSha, recordsRelease: false, now: new Date(), operator: currentOperator(), ...(values.job ? { only: values.job } : {}), ...(values.release ? { release: values.release } : {}) },
      { report: session.report, openSourceConsul: (source) => sourceConsul(io.env, source), ...(registries.open ? { openDigestLookup: registries.open } : {}) },
    );
    const { gitSha, label: release } = rollout.release;
    const jobs = rollout.specs.map((spec) => ({ id: spec.id, job: rollout!.rendered.get(spec.id)! }));
    const flags = { ...(values.job ? { job: values.job } : {}), ...(values.release ? { release: values.release } : {}), adopt: values.adopt ?? false };
    const doc = await planEnvironment(session, prepared, { jobs, adopt: values.adopt ?? false, withStops: !values.job, gitSha, release, flags });
    // Reporters (and ndjson readers) get Nomad's warnings as events; the plan text lists them per job too.
    for (const job of doc.jobs) if (job.warnings?.length) session.report({ type: 'job-warnings', job: job.id, source: 'plan', warnings: job.warnings });
    const out = resolve(io.cwd, values.out ?? join('build', prepared.env.name, PLAN_FILE));
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, canonicalJson(doc));
    const planFile = relative(io.cwd, out) || out;
    if (values.output === 'json') return io.stdout.write(jsonDocument({ ...doc, schema: OUTPUT_SCHEMAS.plan, planFile })), doc.changes ? 1 : ExitCode.ok;
    const text = humanStream(io, values.output);
    text.write(formatPlan(doc, style));
    text.write(canaryLines(selected, prepared));
    text.write(`Plan written to ${planFile}.\n`);
    return doc.changes ? 1 : ExitCode.ok;
  } finally {
    registries.close();
    rollout?.close();
    session.close();
  }
}

/** How each progressive canary would step and what it would ask Prometheus, or `""` when there is none. */
function canaryLines(jobs: Prepared['jobs'], prepared: Prepared): string {
  const lines = jobs.flatMap((job) => {
    const canary = progressiveCanaryPlan(job.spec, prepared.env);
    return canary ? describeCanaryPlan(job.spec.id, canary) : [];
  });
  return lines.length === 0 ? '' : `\nProgressive canaries (if the plan places canaries):\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

interface PlanInput {
  readonly jobs: readonly { readonly id: string; readonly job: NomadJob }[];
  readonly adopt: boolean;
  readonly withStops: boolean;
  readonly gitSha: string;
  readonly release: string;
  /** Recorded in the plan file for `deploy --plan` to replay. */
  readonly flags: PlanFlags;
}

/** Plans every job, refuses foreign ones (exit 4) before anything is written, adds the stops. */
async function planEnvironment(session: ClusterSession, prepared: Prepared, input: PlanInput): Promise<PlanDocument> {
  const { nomad, signal, owner } = session;
  // List first: the stops are computed against the same moment as the plans, give or take.
  const listed = input.withStops ? (await nomad.jobs.list({ meta: true, signal })).value : [];
  const entries = await planJobs(nomad, input.jobs, { owner, adopt: input.adopt, signal });
  const refused = entries.filter((e): e is Extract<JobPlanEntry, { kind: 'refused' }> => e.kind === 'refused');
  if (refused.length) throw foreignJobsRefused(refused.map((e) => ({ id: e.id, owner: e.owner })), session.env, 'plan', true);
  const stops = input.withStops ? findStops(listed, owner.project, owner.env, prepared.jobs.map((j) => j.spec.id)) : [];
  // Each job's spec hash as rendered now: what `deploy --plan` compares its own render with.
  const specHashes = Object.fromEntries(input.jobs.map(({ id, job }) => [id, job.Meta?.[META.specHash] ?? '']));
  const header = { env: session.env, namespace: prepared.env.nomad.namespace, project: owner.project, release: input.release, gitSha: input.gitSha, prune: prepared.env.promotion.prune, flags: input.flags, specHashes };
  return toPlanDocument(header, entries, stops);
}
