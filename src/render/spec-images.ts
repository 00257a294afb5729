import type { JobSpec } from '../model/job.ts';
import { WAIT_FOR_IMAGE } from './wait-for.ts';

/**
 * Every image the rendered job will run, in the order the render writes its tasks (per group:
 * the wait-for helpers, then the tasks), read from the spec as written (before any pin). What
 * digest pinning looks up before the one render a deploy makes; a unit test holds it equal to
 * the images of the rendered job.
 */
export function specImages(job: JobSpec): string[] {
  return job.groups.flatMap((group) => [
    ...(group.waitFor ?? []).map(() => WAIT_FOR_IMAGE),
    // Only docker tasks have an image (render/task.ts writes it for every driver but exec, raw_exec and java).
    ...group.tasks.flatMap((task) => (task.driver === undefined || task.driver === 'docker' ? [task.image] : [])),
  ]);
}
