import type { LoadedJob } from '../model/loaded-job.ts';
import { jobBuildFileNames } from './build-files.ts';
import { canonicalJson } from './canonical-json.ts';
import type { RenderContext } from './context.ts';
import { fabioPropertiesPath, renderFabioProperties } from './fabio-properties.ts';
import { renderJobHcl } from './hcl/index.ts';
import { renderJob } from './job.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { vaultPolicyFiles } from '../secrets/derive.ts';
import type { GeneratedFile } from './generated-file.ts';
import { eachDashboardFile } from '../dashboards/index.ts';
import { renderVectorConfig, vectorConfigPaths } from './vector-config.ts';



export interface RenderedJob {
  readonly id: string;
  readonly file: string;
  readonly job: NomadJob;
}

/**
 * Renders `jobs` plus the environment's generated configs: Fabio properties, Vault policies and
 * roles, and Grafana dashboards with their provisioning, all from `allJobs` (always every job, so a
 * `--job` render never drops the others' policies or panels). Pure: same input, same bytes.
 */
export function renderOutputs(jobs: readonly LoadedJob[], ctx: RenderContext, allJobs: readonly LoadedJob[] = jobs): { jobs: RenderedJob[]; files: GeneratedFile[] } {
  const rendered = jobs.map(({ file, spec }) => ({ id: spec.id, file, job: renderJob(spec, ctx) }));
  const files: GeneratedFile[] = rendered.flatMap((job) => jobFiles(job, ctx));
  files.push(...configFiles(ctx, allJobs));
  return { jobs: rendered, files };
}

/**
 * The files of {@link renderOutputs}, in the same order, each rendered when it is asked for: a
 * caller that writes each file and lets it go (render) never holds the ~20 MB of text a project
 * of 500 jobs renders to, nor each job's wire object after its two files.
 */
export function* renderOutputFiles(jobs: readonly LoadedJob[], ctx: RenderContext, allJobs: readonly LoadedJob[] = jobs): Generator<GeneratedFile> {
  for (const job of jobs) yield* renderJobFiles(job, ctx);
  yield* configFiles(ctx, allJobs);
}

/** One job's files of {@link renderOutputs}: they depend on that job and `ctx` only. */
export function renderJobFiles({ file, spec }: LoadedJob, ctx: RenderContext): GeneratedFile[] {
  return jobFiles({ id: spec.id, file, job: renderJob(spec, ctx) }, ctx);
}

/** The files of {@link renderOutputs} made from every job (policies, dashboards, …), in order, each rendered when asked for. */
export function renderConfigFiles(ctx: RenderContext, allJobs: readonly LoadedJob[]): Generator<GeneratedFile> {
  return configFiles(ctx, allJobs);
}

/** A rendered job's two files: the body `POST /v1/jobs` and `nomad job run -json` accept, and its HCL. */
function jobFiles({ id, file, job }: RenderedJob, ctx: RenderContext): GeneratedFile[] {
  const [json, hcl] = jobBuildFileNames(id);
  return [
    { path: `${ctx.env.name}/${json}`, content: canonicalJson({ Job: job }), committed: false },
    { path: `${ctx.env.name}/${hcl}`, content: renderJobHcl(job, file), committed: false },
  ];
}

/** The environment's generated configs, from every job: Fabio properties, Vault policies, dashboards, Vector configs. */
function* configFiles(ctx: RenderContext, allJobs: readonly LoadedJob[]): Generator<GeneratedFile> {
  yield { path: fabioPropertiesPath(ctx.env.name), content: renderFabioProperties(ctx.env), committed: true };
  yield* vaultPolicyFiles(allJobs, ctx.env);
  yield* eachDashboardFile(ctx.env, allJobs);
  yield* vectorConfigFiles(allJobs, ctx);
}

/**
 * The Vector config of each log-shipper job (meta `drover.log-shipper`) running here, committed
 * next to its job file so that a change to the environment's sink shows up in review. None when
 * the environment has no `logs.sink` (`logs/sink` reports the job instead).
 */
function vectorConfigFiles(allJobs: readonly LoadedJob[], ctx: RenderContext): GeneratedFile[] {
  const content = renderVectorConfig(ctx.env);
  if (content === undefined) return [];
  return vectorConfigPaths(allJobs, ctx.env).map((path) => ({ path, content, committed: true }));
}
