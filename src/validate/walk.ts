import type { GroupSpec, JobSpec } from '../model/job.ts';
import type { ServiceSpec } from '../model/service.ts';
import type { TaskSpec } from '../model/task.ts';
import { at } from './diagnostic.ts';
import type { LoadedJob } from '../model/loaded-job.ts';

/** Helpers that flatten the job tree with locations, so rules stay short. Tolerant of malformed input. */
export interface GroupVisit { readonly file: string; readonly job: JobSpec; readonly group: GroupSpec; readonly path: string }
export interface TaskVisit extends GroupVisit { readonly task: TaskSpec }
export interface ServiceVisit extends GroupVisit { readonly service: ServiceSpec }

export function eachGroup(jobs: readonly LoadedJob[]): GroupVisit[] {
  return jobs.flatMap(({ file, spec }) =>
    (Array.isArray(spec.groups) ? spec.groups : []).map((group, i) => ({ file, job: spec, group, path: at('groups', i) })),
  );
}

export function eachTask(jobs: readonly LoadedJob[]): TaskVisit[] {
  return eachGroup(jobs).flatMap((g) =>
    (Array.isArray(g.group.tasks) ? g.group.tasks : []).map((task, i) => ({ ...g, task, path: at(at(g.path, 'tasks'), i) })),
  );
}

export function eachService(jobs: readonly LoadedJob[]): ServiceVisit[] {
  return eachGroup(jobs).flatMap((g) =>
    (g.group.services ?? []).map((service, i) => ({ ...g, service, path: at(at(g.path, 'services'), i) })),
  );
}
