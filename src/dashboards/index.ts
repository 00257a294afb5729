/**
 * The dashboards of an environment, rendered from its jobs: cluster overview, jobs, Fabio routes
 * and drover's deploys, as Grafana JSON with the provisioning that loads them (committed under
 * `grafana/<env>/`, checked by `render --check`), and as static HTML pages (`html.ts`).
 */
import type { Environment } from '../config/environment.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import { canonicalJson } from '../render/canonical-json.ts';
import type { GeneratedFile } from '../render/generated-file.ts';
import { clusterDashboard } from './cluster.ts';
import { deploysDashboard } from './deploys.ts';
import { toGrafanaDashboard } from './grafana.ts';
import { jobsDashboard } from './jobs.ts';
import type { Dashboard } from './model.ts';
import { renderDashboardProviderYaml, renderDatasourceYaml } from './provisioning.ts';
import { routesDashboard } from './routes.ts';

export type * from './model.ts';

/** Every dashboard of `env`, built from all the jobs that run there. Pure. */
export function renderDashboards(env: Environment, jobs: readonly LoadedJob[]): Dashboard[] {
  return [clusterDashboard(env), jobsDashboard(env, jobs), routesDashboard(env, jobs), deploysDashboard(env, jobs)];
}

/** Project-relative folder of an environment's Grafana files. */
export function grafanaDir(envName: string): string {
  return `grafana/${envName}`;
}

/** The committed Grafana files of `env`: one JSON per dashboard plus the two provisioning files. Pure. */
export function dashboardFiles(env: Environment, jobs: readonly LoadedJob[]): GeneratedFile[] {
  return [...eachDashboardFile(env, jobs)];
}

/**
 * {@link dashboardFiles} one at a time, each dashboard built when it is asked for: the jobs and
 * routes dashboards of 500 jobs are 5.7 and 4.1 MB of JSON, and building them all before writing
 * any was ~50 MB of a render's peak memory.
 */
export function* eachDashboardFile(env: Environment, jobs: readonly LoadedJob[]): Generator<GeneratedFile> {
  const dir = grafanaDir(env.name);
  const builders = [() => clusterDashboard(env), () => jobsDashboard(env, jobs), () => routesDashboard(env, jobs), () => deploysDashboard(env, jobs)];
  for (const build of builders) {
    const dashboard = build();
    yield { path: `${dir}/dashboards/${dashboard.uid}.json`, content: canonicalJson(toGrafanaDashboard(dashboard)), committed: true };
  }
  yield { path: `${dir}/provisioning/dashboards/drover.yml`, content: renderDashboardProviderYaml(env), committed: true };
  yield { path: `${dir}/provisioning/datasources/drover.yml`, content: renderDatasourceYaml(env), committed: true };
}
