import type { GroupSpec, JobSpec, PortSpec } from '../model/job.ts';
import type { UpdatePolicy } from '../model/policies.ts';
import type { NomadNetwork, NomadPort, NomadTaskGroup, NomadVolumeRequest } from '../wire/nomad-job.ts';
import { compact, sortedMap } from './canonical-json.ts';
import type { RenderContext } from './context.ts';
import { renderAffinities, renderConstraints, renderSpreads } from './placement.ts';
import { renderMigrate, renderReschedule, renderRestart, renderScaling, renderUpdate } from './policies.ts';
import { renderService } from './service.ts';
import { renderTask } from './task.ts';
import { optionalNanos } from './nanos.ts';
import { renderWaitForTask } from './wait-for.ts';

export function renderGroup(job: JobSpec, group: GroupSpec, ctx: RenderContext): NomadTaskGroup {
  const portLabels = Object.keys(group.ports ?? {}).sort();
  const deploys = job.kind !== 'batch';
  const update = deploys ? renderUpdate(mergeUpdate(job.update, group.update), ctx.env, ctx.holdCanaries) : undefined;
  const serviceMeta = droverServiceMeta(job, group, ctx);
  const taskOptions = { jobId: job.id, env: ctx.env, portLabels, images: ctx.images };
  return compact({
    Name: group.name,
    Count: job.kind === 'system' ? 1 : (group.count ?? group.scaling?.min ?? 1),
    Constraints: renderConstraints(group.constraints),
    Affinities: renderAffinities(group.affinities),
    Spreads: renderSpreads(group.spreads),
    Networks: renderNetworks(group),
    Services: group.services?.length
      ? group.services.map((s) => renderService(s, { canaries: (update?.Canary ?? 0) > 0, meta: serviceMeta }))
      : undefined,
    Tasks: [
      ...(group.waitFor ?? []).map((dependency) => renderWaitForTask(dependency, ctx.images)),
      ...group.tasks.map((task) => renderTask(task, taskOptions)),
    ],
    Volumes: renderVolumes(group),
    Update: update,
    RestartPolicy: renderRestart(group.restart),
    ReschedulePolicy: renderReschedule(group.reschedule),
    Migrate: job.kind === 'service' ? renderMigrate(group.migrate) : undefined,
    Scaling: renderScaling(group.scaling),
    EphemeralDisk: group.ephemeralDiskMb === undefined ? undefined : { SizeMB: group.ephemeralDiskMb },
    ShutdownDelay: optionalNanos(group.shutdownDelay),
    Meta: sortedMap(group.meta),
  });
}

/**
 * The Consul service meta drover adds to every service, which prometheus/prometheus.yml turns into
 * target labels (job, task group, namespace, node pool, datacenter, owner) for dashboards, alerts
 * and Alertmanager's routing by team. `${node.datacenter}` is interpolated by the Nomad client
 * when it registers the service (a job may span several datacenters); the rest is known here.
 */
export function droverServiceMeta(job: JobSpec, group: GroupSpec, ctx: RenderContext): Record<string, string> {
  return {
    drover_job: job.id,
    drover_env: ctx.env.name,
    drover_project: ctx.project,
    drover_group: group.name,
    drover_namespace: ctx.env.nomad.namespace,
    drover_node_pool: ctx.env.nodePool,
    drover_datacenter: '${node.datacenter}',
    ...(job.owner ? { drover_owner: job.owner } : {}),
  };
}

/** A group's update block overrides the job's field by field, as Nomad merges them. */
function mergeUpdate(jobLevel: UpdatePolicy | undefined, groupLevel: UpdatePolicy | undefined): UpdatePolicy | undefined {
  if (!jobLevel || !groupLevel) return groupLevel ?? jobLevel;
  return { ...jobLevel, ...groupLevel } as UpdatePolicy;
}

function renderNetworks(group: GroupSpec): NomadNetwork[] | undefined {
  const ports = Object.entries(group.ports ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (ports.length === 0 && group.networkMode !== 'bridge') return undefined;
  const reserved = ports.filter(([, p]) => p.static !== undefined).map(([label, p]) => renderPort(label, p));
  const dynamic = ports.filter(([, p]) => p.static === undefined).map(([label, p]) => renderPort(label, p));
  return [
    compact({
      Mode: group.networkMode === 'bridge' ? 'bridge' : undefined,
      ReservedPorts: reserved.length ? reserved : undefined,
      DynamicPorts: dynamic.length ? dynamic : undefined,
    }),
  ];
}

function renderPort(label: string, port: PortSpec): NomadPort {
  return compact({ Label: label, Value: port.static ?? 0, To: port.to, HostNetwork: port.hostNetwork });
}

function renderVolumes(group: GroupSpec): Record<string, NomadVolumeRequest> | undefined {
  const entries = Object.entries(group.volumes ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  if (entries.length === 0) return undefined;
  return Object.fromEntries(
    entries.map(([name, v]) => [
      name,
      v.type === 'host'
        ? { Name: name, Type: 'host' as const, Source: v.source, ReadOnly: v.readOnly ?? false }
        : compact({
            Name: name,
            Type: 'csi' as const,
            Source: v.source,
            ReadOnly: v.readOnly ?? false,
            AccessMode: v.accessMode,
            AttachmentMode: v.attachmentMode,
            PerAlloc: v.perAlloc,
          }),
    ]),
  );
}
