import type { LoadedJob } from '../validate/rule.ts';
import { canonicalJson } from './canonical-json.ts';
import type { RenderContext } from './context.ts';
import { fabioPropertiesPath, renderFabioProperties } from './fabio-properties.ts';
import { renderJobHcl } from './hcl/index.ts';
import { renderJob } from './job.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { vaultPolicyFiles } from '../secrets/derive.ts';

/** A file drover writes: build output (git-ignored) or a committed generated file. */
export interface GeneratedFile {
  /** Relative to the output dir (build files) or the project root (committed files). */
  readonly path: string;
  readonly content: string;
  readonly committed: boolean;
}

export interface RenderedJob {
  readonly id: string;
  readonly file: string;
  readonly job: NomadJob;
}

/**
 * Renders `jobs` plus the environment's generated configs: Fabio properties, and Vault policies
 * and roles derived from `allJobs` (always every job, so a `--job` render never drops the others'
 * policies). Pure: same input, same bytes.
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
  return { jobs: rendered, files };
}
