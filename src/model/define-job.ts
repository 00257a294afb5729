import type { Environment } from '../config/environment.ts';
import type { JobSpec } from './job.ts';

/** A job module's default export: builds the job for one environment. Must be pure. */
export interface JobDefinition {
  readonly kind: 'drover.job';
  readonly build: (env: Environment) => JobSpec;
}

/**
 * Declares a job in `jobs/<id>.ts`:
 * `export default defineJob((env) => ({ id: 'api', kind: 'service', groups: [...] }))`.
 */
export function defineJob(build: (env: Environment) => JobSpec): JobDefinition {
  return { kind: 'drover.job', build };
}
