import type { LoadedJob } from '../model/loaded-job.ts';
import { canonicalJson } from './canonical-json.ts';
import type { RenderContext } from './context.ts';
import { fabioPropertiesPath, renderFabioProperties } from './fabio-properties.ts';
import { renderJobHcl } from './hcl/index.ts';
import { renderJob } from './job.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { vaultPolicyFiles } from '../secrets/derive.ts';
import type { GeneratedFile } from './generated-file.ts';
import { dashboardFiles } from '../dashboards/index.ts';
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
  const files: GeneratedFile[] = rendered.flatMap(({ id, file, job }) => [
    // The body `POST /v1/jobs` and `nomad job run -json` accept.
    { path: `${ctx.env.name}/${id}.json`, content: canonicalJson({ Job: job }), committed: false },
    { path: `${ctx.env.name}/${id}.nomad.hcl`, content: renderJobHcl(job, file), committed: false },
  ]);
  files.push({ path: fabioPropertiesPath(ctx.env.name), content: renderFabioProperties(ctx.env), committed: true });
  files.push(...vaultPolicyFiles(allJobs, ctx.env));
  files.push(...dashboardFiles(ctx.env, allJobs));
  files.push(...vectorConfigFiles(allJobs, ctx));
  return { jobs: rendered, files };
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
