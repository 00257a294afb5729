import type { Environment, EnvironmentName } from '../config/environment.ts';
import type { Exact } from './exact.ts';
import type { JobSpec } from './job.ts';

/** Options of {@link defineJob}. */
export interface JobOptions {
  /**
   * Environments this job is not deployed to, each with the reason `drover jobs` and
   * `drover validate` show, e.g. `{ dev: 'needs docker and a host volume' }`. The build function
   * is not called for them, nothing is rendered or deployed there, and a `prune: true`
   * environment stops the job if it runs there.
   * @default {}
   */
  readonly excludeFrom?: Readonly<Partial<Record<EnvironmentName, string>>>;
}

/** A job module's default export: builds the job for one environment. Must be pure. */
export interface JobDefinition {
  readonly kind: 'drover.job';
  readonly build: (env: Environment) => JobSpec;
  /** @see JobOptions.excludeFrom */
  readonly excludeFrom?: Readonly<Partial<Record<EnvironmentName, string>>>;
}

/**
 * Declares a job in `jobs/<id>.ts`:
 * `export default defineJob((env) => ({ id: 'api', kind: 'service', groups: [...] }))`, or with
 * options: `defineJob((env) => ({ … }), { excludeFrom: { dev: 'why' } })`.
 * A key the job types do not declare (`minHealthyTim`) is a type error at that key: a returned
 * object escapes TypeScript's excess-property check, so {@link Exact} does it.
 */
export function defineJob<T extends JobSpec>(build: (env: Environment) => T & Exact<T, JobSpec>, options: JobOptions = {}): JobDefinition {
  return { kind: 'drover.job', build, ...(options.excludeFrom ? { excludeFrom: options.excludeFrom } : {}) };
}

/** Why `definition` is not deployed to `envName`, or undefined when it is. */
export function exclusionReason(definition: Pick<JobDefinition, 'excludeFrom'>, envName: string): string | undefined {
  const excluded = definition.excludeFrom as Readonly<Record<string, unknown>> | undefined;
  if (!excluded || !Object.hasOwn(excluded, envName)) return undefined;
  const reason = excluded[envName];
  // A reason that is not a string still excludes; `job/exclude-from` reports it.
  return typeof reason === 'string' ? reason : String(reason);
}
