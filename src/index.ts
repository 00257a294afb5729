/** Public authoring API for job and environment files. */
export { defineJob, type JobDefinition, type JobOptions } from './model/define-job.ts';
export { defineEnvironment, type Environment, type EnvironmentDefinition, type EnvironmentName, type EnvironmentNames } from './config/environment.ts';
export type * from './model/index.ts';
