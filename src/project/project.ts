import { join } from 'node:path';
import type { Environment } from '../config/environment.ts';
import type { JobDefinition } from '../model/define-job.ts';
import type { Diagnostic } from '../validate/diagnostic.ts';
import { importDefaults, isEnvironment, isJobDefinition, listModules, type LoadedModule, type ProjectLayout } from './load.ts';

/** A project's environments and job definitions, loaded once per command. */
export interface Project {
  readonly root: string;
  readonly environments: LoadedModule<Environment>[];
  readonly jobs: LoadedModule<JobDefinition>[];
  /** Problems loading the files; they fail validation like any rule. */
  readonly diagnostics: Diagnostic[];
}

export async function loadProject(layout: ProjectLayout): Promise<Project> {
  const jobsDir = layout.jobsDir ?? join(layout.root, 'jobs');
  const environmentsDir = layout.environmentsDir ?? join(layout.root, 'environments');
  const environments = await importDefaults(layout.root, await listModules(environmentsDir), isEnvironment, 'defineEnvironment({ … })');
  const jobs = await importDefaults(layout.root, await listModules(jobsDir), isJobDefinition, 'defineJob((env) => ({ … }))');
  return {
    root: layout.root,
    environments: environments.modules,
    jobs: jobs.modules,
    diagnostics: [...environments.diagnostics, ...jobs.diagnostics],
  };
}
