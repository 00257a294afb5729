import type { GroupSpec, JobSpec } from '../../../model/job.ts';
import type { FabioRoute } from '../../../model/route.ts';
import type { ServiceCheck, ServiceSpec } from '../../../model/service.ts';
import type { TaskSpec } from '../../../model/task.ts';
import { at } from '../../diagnostic.ts';
import type { LoadedJob } from '../../../model/loaded-job.ts';
import { isRecord, list } from './shape.ts';

/**
 * Tolerant walkers over the job tree, each visit carrying its file and location path. Items that
 * are not objects are skipped (another rule reports the shape), so rules never see `null` where a
 * group, task, service, check or route should be. Fields inside a visited item are still
 * unchecked: read them through `shape.ts`.
 */
/** A job and the file it was loaded from. */
export interface JobVisit { readonly file: string; readonly job: JobSpec }
/** A group; `groupPath` is `groups[i]`. */
export interface GroupVisit extends JobVisit { readonly group: GroupSpec; readonly groupPath: string }
/** A task; `path` is `groups[i].tasks[j]`. */
export interface TaskVisit extends GroupVisit { readonly task: TaskSpec; readonly path: string }
/** A service; `path` is `groups[i].services[j]`. */
export interface ServiceVisit extends GroupVisit { readonly service: ServiceSpec; readonly path: string }
/** A check of a service; `checkPath` is `…services[j].checks[k]`. */
export interface CheckVisit extends ServiceVisit { readonly check: ServiceCheck; readonly checkPath: string }
/** A Fabio route of a service; `routePath` is `…services[j].routes[k]`. */
export interface RouteVisit extends ServiceVisit { readonly route: FabioRoute; readonly routePath: string }

/**
 * Every rule walks the same jobs; each walk is computed once per validation input (the jobs array)
 * and shared, read-only, by all rules. Without it, 80 rules re-walk 500 jobs 80 times.
 */
function memoized<T>(walk: (jobs: readonly LoadedJob[]) => T[]): (jobs: readonly LoadedJob[]) => readonly T[] {
  const cache = new WeakMap<readonly LoadedJob[], readonly T[]>();
  return (jobs) => {
    if (!Array.isArray(jobs)) return walk(jobs);
    let found = cache.get(jobs);
    if (!found) cache.set(jobs, (found = walk(jobs)));
    return found;
  };
}

/** Loaded jobs whose spec is an object. */
export const jobsOf = memoized(function jobsOf(jobs: readonly LoadedJob[]): JobVisit[] {
  return list(jobs).flatMap((loaded) =>
    isRecord(loaded) && isRecord(loaded.spec) && typeof loaded.file === 'string' ? [{ file: loaded.file, job: loaded.spec as unknown as JobSpec }] : [],
  );
});

/** `[item, path]` pairs for the object items of an array field. */
export function itemsOf<T>(value: unknown, path: string): [T, string][] {
  return list(value).flatMap((item, i) => (isRecord(item) ? [[item as T, at(path, i)] as [T, string]] : []));
}

/** Every group of every job, with its location. */
export const groupsOf = memoized(function groupsOf(jobs: readonly LoadedJob[]): GroupVisit[] {
  return jobsOf(jobs).flatMap((visit) =>
    itemsOf<GroupSpec>(visit.job.groups, 'groups').map(([group, groupPath]) => ({ ...visit, group, groupPath })),
  );
});

/** Every task of every job, with its location. */
export const tasksOf = memoized(function tasksOf(jobs: readonly LoadedJob[]): TaskVisit[] {
  return groupsOf(jobs).flatMap((visit) =>
    itemsOf<TaskSpec>(visit.group.tasks, at(visit.groupPath, 'tasks')).map(([task, path]) => ({ ...visit, task, path })),
  );
});

/** Every service of every job, with its location. */
export const servicesOf = memoized(function servicesOf(jobs: readonly LoadedJob[]): ServiceVisit[] {
  return groupsOf(jobs).flatMap((visit) =>
    itemsOf<ServiceSpec>(visit.group.services, at(visit.groupPath, 'services')).map(([service, path]) => ({ ...visit, service, path })),
  );
});

/** Every check of every job, with its location. */
export const checksOf = memoized(function checksOf(jobs: readonly LoadedJob[]): CheckVisit[] {
  return servicesOf(jobs).flatMap((visit) =>
    itemsOf<ServiceCheck>(visit.service.checks, at(visit.path, 'checks')).map(([check, checkPath]) => ({ ...visit, check, checkPath })),
  );
});

/** Every route of every job, with its location. */
export const routesOf = memoized(function routesOf(jobs: readonly LoadedJob[]): RouteVisit[] {
  return servicesOf(jobs).flatMap((visit) =>
    itemsOf<FabioRoute>(visit.service.routes, at(visit.path, 'routes')).map(([route, routePath]) => ({ ...visit, route, routePath })),
  );
});

/** Task names in a group, as strings (non-strings skipped). */
export function taskNames(group: GroupSpec): string[] {
  return list(group.tasks).flatMap((task) => (isRecord(task) && typeof task.name === 'string' ? [task.name] : []));
}

/** An object that carries placement and update settings: the job itself and each of its groups. */
export interface ScopeVisit extends JobVisit {
  /** The job or the group. */
  readonly scope: Readonly<Record<string, unknown>>;
  /** `''` for the job, `groups[i]` for a group. */
  readonly scopePath: string;
  readonly group?: GroupSpec;
}

/** The job and each of its groups, for rules about fields both levels carry (update, constraints). */
export const scopesOf = memoized(function scopesOf(jobs: readonly LoadedJob[]): ScopeVisit[] {
  return jobsOf(jobs).flatMap((visit) => [
    { ...visit, scope: visit.job as unknown as Record<string, unknown>, scopePath: '' },
    ...itemsOf<GroupSpec>(visit.job.groups, 'groups').map(([group, groupPath]) => ({
      ...visit,
      scope: group as unknown as Record<string, unknown>,
      scopePath: groupPath,
      group,
    })),
  ]);
});
