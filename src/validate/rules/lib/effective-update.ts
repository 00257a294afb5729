import type { GroupSpec, JobSpec } from '../../../model/job.ts';
import type { UpdatePolicy } from '../../../model/policies.ts';
import { at } from '../../diagnostic.ts';
import { isRecord } from './shape.ts';
import type { GroupVisit } from './visit.ts';

/** A group's update policy as the renderer applies it (group fields over the job's), with where each field is written. */
export interface EffectiveUpdate {
  readonly policy: UpdatePolicy;
  /** The location of `field` in the job file: the group's update when it sets it, else the job's. */
  readonly pathOf: (field: string) => string;
}

/** `undefined` for batch jobs (rendered without an update block) and groups without any policy. */
export function effectiveUpdateOf({ job, group, groupPath }: Pick<GroupVisit, 'job' | 'group' | 'groupPath'>): EffectiveUpdate | undefined {
  if (job.kind === 'batch') return undefined;
  const own = isRecord(group.update) ? (group.update as Record<string, unknown>) : undefined;
  const inherited = isRecord(job.update) ? (job.update as Record<string, unknown>) : undefined;
  if (!own && !inherited) return undefined;
  return {
    policy: { ...inherited, ...own } as unknown as UpdatePolicy,
    pathOf: (field) => (own && field in own ? at(at(groupPath, 'update'), field) : at('update', field)),
  };
}

/** The count Nomad is given for a group: 1 for system jobs, else `count`, else the scaling minimum, else 1. */
export function renderedCount(job: JobSpec, group: GroupSpec): unknown {
  if (job.kind === 'system') return 1;
  return group.count ?? (isRecord(group.scaling) ? group.scaling.min : undefined) ?? 1;
}
