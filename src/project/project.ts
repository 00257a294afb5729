import { join } from 'node:path';
import { isCluster, type Cluster } from '../config/cluster.ts';
import type { Environment } from '../config/environment.ts';
import type { JobDefinition } from '../model/define-job.ts';
import type { Diagnostic } from '../validate/diagnostic.ts';
import { bundledImporter } from './bundle.ts';
import { importDefaults, importFile, isEnvironment, isJobDefinition, listModules, type LoadedModule, type ProjectLayout } from './load.ts';

/** A project's environments and job definitions, loaded once per command. */
export interface Project {
  readonly root: string;
  readonly environments: LoadedModule<Environment>[];
  readonly jobs: LoadedModule<JobDefinition>[];
  /** Cluster definitions, from `<environments>/clusters/*.ts` (see {@link clustersDir}). */
  readonly clusters: LoadedModule<Cluster>[];
  /** Problems loading the files; they fail validation like any rule. */
  readonly diagnostics: Diagnostic[];
}

export async function loadProject(layout: ProjectLayout): Promise<Project> {
  const jobsDir = layout.jobsDir ?? join(layout.root, 'jobs');
  const environmentsDir = layout.environmentsDir ?? join(layout.root, 'environments');
  const environmentFiles = await listModules(environmentsDir);
  const jobFiles = await listModules(jobsDir);
  const clusterFiles = await listModules(clustersDir(environmentsDir));
  // One compile of every definition file, cached (bundle.ts); file by file when that cannot be done.
  const importModule = (await bundledImporter(layout.root, [...environmentFiles, ...jobFiles, ...clusterFiles])) ?? importFile;
  const environments = await importDefaults(layout.root, environmentFiles, isEnvironment, 'defineEnvironment({ … })', importModule);
  const jobs = await importDefaults(layout.root, jobFiles, isJobDefinition, 'defineJob((env) => ({ … }))', importModule);
  const clusters = await importDefaults(layout.root, clusterFiles, isCluster, 'defineCluster({ … })', importModule);
  return {
    root: layout.root,
    environments: environments.modules,
    jobs: jobs.modules,
    clusters: clusters.modules,
    diagnostics: [...environments.diagnostics, ...jobs.diagnostics, ...clusters.diagnostics],
  };
}

/**
 * Where cluster definitions live: next to the environments, in `clusters/` (so the type check of
 * environments/ covers them, and `--environments DIR` moves them along).
 */
export function clustersDir(environmentsDir: string): string {
  return join(environmentsDir, 'clusters');
}
