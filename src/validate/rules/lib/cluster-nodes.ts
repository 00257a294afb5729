/**
 * What a job asks of a node, matched against a cluster's client pools: node pool, datacenter,
 * constraints on node class, pool, datacenter and meta, task drivers and host volumes. Nomad
 * decides placement; this only tells, before anything runs, that no node of the cluster could
 * ever satisfy a group. Attributes drover cannot know from a definition (`${attr.kernel.name}`)
 * count as satisfied.
 */
import type { ClientPool } from '../../../config/cluster.ts';
import type { Constraint } from '../../../model/placement.ts';
import type { GroupSpec, JobSpec } from '../../../model/job.ts';

/** Why a pool cannot run a group, or nothing when it can. */
export interface PoolFit {
  readonly pool: string;
  /** Reasons the group's allocations can never be placed there (scheduling filters first). */
  readonly excluded: readonly string[];
  /** Reasons it is eligible but lacks what the tasks need (a driver, a host volume). */
  readonly missing: readonly string[];
}

/** Nomad's datacenter globs (`*`, `dc?`), as job datacenters may use them. */
export function datacenterMatches(pattern: string, datacenter: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(datacenter);
}

/** The value a node of `pool` has for a constraint attribute; `unknown` when the definition cannot tell. */
export function poolAttribute(pool: ClientPool, attribute: string): string | undefined | 'unknown' {
  const name = /^\$\{(.+)\}$/.exec(attribute.trim())?.[1];
  if (name === undefined) return 'unknown';
  if (name === 'node.class') return pool.nodeClass ?? '';
  if (name === 'node.pool') return pool.nodePool;
  if (name === 'node.datacenter') return pool.datacenter;
  const meta = /^(?:node\.)?meta\.(.+)$/.exec(name)?.[1];
  if (meta !== undefined) return Object.hasOwn(pool.meta, meta) ? pool.meta[meta] : undefined;
  return 'unknown';
}

/** Whether nodes of `pool` satisfy `constraint`; operators drover cannot evaluate count as satisfied. */
export function satisfiesConstraint(pool: ClientPool, constraint: Constraint): boolean {
  const operator = constraint.operator ?? '=';
  if (constraint.attribute === undefined) return true;
  const actual = poolAttribute(pool, constraint.attribute);
  if (actual === 'unknown') return true;
  switch (operator) {
    case '=': return actual === constraint.value;
    case '!=': return actual !== constraint.value;
    case 'is_set': return actual !== undefined;
    case 'is_not_set': return actual === undefined;
    case 'regexp': return actual !== undefined && safeRegex(constraint.value ?? '').test(actual);
    default: return true;
  }
}

function safeRegex(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch {
    return /.*/;
  }
}

/** How `constraint` reads in a message: `${meta.storage} = ssd`. */
export function describeConstraint(constraint: Constraint): string {
  return [constraint.attribute, constraint.operator ?? '=', constraint.value].filter((part) => part !== undefined).join(' ');
}

/** Drivers a group's tasks use (docker unless a task says otherwise). */
export function groupDrivers(group: GroupSpec): string[] {
  return [...new Set(group.tasks.map((task) => task.driver ?? 'docker'))].sort();
}

/** Host volumes a group claims, by source name. */
export function groupHostVolumes(group: GroupSpec): string[] {
  return Object.values(group.volumes ?? {}).flatMap((v) => (v.type === 'host' ? [v.source] : [])).sort();
}

/** Matches one group of `job` (deployed with the environment's node pool and datacenters) against `pool`. */
export function fitGroup(options: { job: JobSpec; group: GroupSpec; pool: ClientPool; nodePool: string; datacenters: readonly string[] }): PoolFit {
  const { job, group, pool } = options;
  const excluded: string[] = [];
  if (pool.nodePool !== options.nodePool) excluded.push(`its node pool is "${pool.nodePool}", the job's "${options.nodePool}"`);
  const datacenters = job.datacenters ?? options.datacenters;
  if (!datacenters.some((dc) => datacenterMatches(dc, pool.datacenter))) excluded.push(`its datacenter ${pool.datacenter} is not one of ${datacenters.join(', ')}`);
  for (const constraint of [...(job.constraints ?? []), ...(group.constraints ?? [])]) {
    if (!satisfiesConstraint(pool, constraint)) excluded.push(`it does not satisfy ${describeConstraint(constraint)}`);
  }
  const missing = [
    ...groupDrivers(group).filter((d) => !pool.drivers.includes(d as ClientPool['drivers'][number])).map((d) => `driver ${d} is not enabled`),
    ...groupHostVolumes(group).filter((v) => !Object.hasOwn(pool.hostVolumes, v)).map((v) => `host volume ${v} is not configured`),
  ];
  return { pool: pool.name, excluded, missing };
}

export function fits(fit: PoolFit): boolean {
  return fit.excluded.length === 0 && fit.missing.length === 0;
}
