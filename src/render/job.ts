import { createHash } from 'node:crypto';
import type { JobSpec } from '../model/job.ts';
import type { NomadJob } from '../wire/nomad-job.ts';
import { canonicalJson, compact, sortedMap } from './canonical-json.ts';
import { META, VOLATILE_META, type RenderContext } from './context.ts';
import { renderGroup } from './group.ts';
import { renderAffinities, renderConstraints, renderSpreads } from './placement.ts';

/**
 * Lowers a validated job into the JSON job `POST /v1/jobs` accepts. Pure and deterministic: the
 * same job and context always give byte-identical canonical JSON.
 *
 * Meta `drover.spec_hash` hashes the job without the per-release meta (git SHA, release), so a
 * deploy can tell "nothing to register" from "new version" without diffing Nomad's canonical form.
 */
export function renderJob(job: JobSpec, ctx: RenderContext): NomadJob {
  return withSpecHash(renderWithoutHash(job, ctx));
}

/**
 * `job` with its `drover.spec_hash` (re)computed over everything but the per-release meta: what
 * a transform of a rendered job (e.g. holding its canaries) calls so the hash stays the one a
 * render of the transformed job would carry.
 */
export function withSpecHash(job: NomadJob): NomadJob {
  const meta = omitKeys(job.Meta ?? {}, [META.specHash]);
  const stable = { ...job, Meta: omitKeys(meta, VOLATILE_META) };
  return { ...job, Meta: sortedMap({ ...meta, [META.specHash]: specHash(stable) }) };
}

/** sha256 of the canonical JSON, first 16 hex digits: enough to tell versions apart, short in the UI. */
export function specHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

function renderWithoutHash(job: JobSpec, ctx: RenderContext): NomadJob {
  return compact({
    ID: job.id,
    Name: job.id,
    Type: job.kind,
    Region: ctx.env.nomad.region,
    Namespace: ctx.env.nomad.namespace,
    Priority: job.priority,
    Datacenters: [...(job.datacenters ?? ctx.env.datacenters)],
    NodePool: ctx.env.nodePool,
    Constraints: renderConstraints(job.constraints),
    Affinities: renderAffinities(job.affinities),
    Spreads: renderSpreads(job.spreads),
    Periodic: job.kind === 'batch' && job.periodic ? renderPeriodic(job.periodic) : undefined,
    ParameterizedJob:
      job.kind === 'batch' && job.parameterized
        ? compact({
            Payload: job.parameterized.payload ?? 'optional',
            MetaRequired: job.parameterized.metaRequired?.length ? [...job.parameterized.metaRequired] : undefined,
            MetaOptional: job.parameterized.metaOptional?.length ? [...job.parameterized.metaOptional] : undefined,
          })
        : undefined,
    Meta: sortedMap({ ...job.meta, ...ownershipMeta(job, ctx) }),
    UI:
      job.description || job.links?.length
        ? compact({ Description: job.description, Links: job.links?.map((l) => ({ Label: l.label, URL: l.url })) })
        : undefined,
    TaskGroups: job.groups.map((group) => renderGroup(job, group, ctx)),
  });
}

function ownershipMeta(job: JobSpec, ctx: RenderContext): Record<string, string> {
  const meta: Record<string, string> = {
    [META.project]: ctx.project,
    [META.env]: ctx.env.name,
    [META.gitSha]: ctx.gitSha,
    [META.release]: ctx.release,
  };
  if (job.owner) meta[META.owner] = job.owner;
  if (job.dependsOn?.length) meta[META.dependsOn] = [...job.dependsOn].sort().join(',');
  return meta;
}

function renderPeriodic(periodic: NonNullable<Extract<JobSpec, { kind: 'batch' }>['periodic']>): NomadJob['Periodic'] {
  // Always `Specs` (Nomad ≥ 1.6): Nomad 2.0.5 answers every job with the single-schedule `Spec`
  // with the warning "cron is deprecated and may be removed in a future release. Use crons instead"
  // (nomad/structs/structs.go, Job.Warnings).
  return compact({
    Enabled: true,
    Specs: [...periodic.crons],
    SpecType: 'cron' as const,
    ProhibitOverlap: periodic.prohibitOverlap ?? true,
    TimeZone: periodic.timeZone ?? 'UTC',
  }) as NomadJob['Periodic'];
}

function omitKeys(map: Record<string, string>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(map).filter(([key]) => !keys.includes(key)));
}
