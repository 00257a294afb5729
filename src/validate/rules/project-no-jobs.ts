import type { Diagnostic } from '../diagnostic.ts';
import { problem, warning } from '../rule.ts';

/** Rule id: `jobs/` holds no job definition at all. */
export const NO_JOBS = 'project/no-jobs';
/** Rule id: there are jobs, but every one of them leaves this environment out (`excludeFrom`). */
export const NO_JOBS_IN_ENV = 'project/no-jobs-in-env';

export interface JobsPresentInput {
  readonly env: string;
  /** Job modules that loaded (`defineJob` default exports in jobs/). */
  readonly definitions: number;
  /** Job modules that failed to load: those already have their own errors. */
  readonly failedToLoad: number;
  /** Jobs built for `env`. */
  readonly built: number;
}

/**
 * An empty jobs/ is an error for every command that reads the project (validate, render, plan,
 * deploy), not a quiet "0 jobs": it is what running drover from the wrong folder or an accidental
 * delete looks like, render would write nothing, and a pruning deploy would stop every job the
 * project owns. Every job excluded from one environment is legal (an environment may run none),
 * so that is only a warning. Pure.
 */
export function checkJobsPresent(input: JobsPresentInput): Diagnostic[] {
  if (input.definitions === 0 && input.failedToLoad === 0) {
    return [
      problem(NO_JOBS, { file: 'jobs/', path: '' }, 'jobs/ holds no job definitions: there is nothing to validate, render or deploy', 'Add jobs/<name>.ts with `export default defineJob((env) => ({ … }))`, or run drover from the project root (or pass --project).'),
    ];
  }
  if (input.definitions > 0 && input.built === 0) {
    return [
      warning(NO_JOBS_IN_ENV, { file: 'jobs/', path: '' }, `No job runs in ${input.env}: every job in jobs/ leaves it out (excludeFrom)`, `Check excludeFrom in jobs/*.ts, or run \`drover jobs\` to see which environments each job runs in.`),
    ];
  }
  return [];
}
