import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Dashboard, Panel } from '../../../src/dashboards/index.ts';
import { dashboardFiles, renderDashboards } from '../../../src/dashboards/index.ts';
import { toGrafanaDashboard } from '../../../src/dashboards/grafana.ts';
import { environments } from '../../support/environments.ts';
import { buildExampleJobs } from '../../support/example-jobs.ts';

const [dev, qa, prod] = environments as [(typeof environments)[0], (typeof environments)[0], (typeof environments)[0]];

function panels(dashboard: Dashboard): Panel[] {
  return dashboard.rows.flatMap((r) => r.panels);
}

function panel(dashboard: Dashboard, title: string): Panel {
  const found = panels(dashboard).find((p) => p.title === title);
  if (!found) throw new Error(`no panel "${title}" in ${dashboard.uid}: ${panels(dashboard).map((p) => p.title).join(', ')}`);
  return found;
}

async function dashboardsOf(env: typeof prod) {
  const [cluster, jobs, routes, deploys] = renderDashboards(env, await buildExampleJobs(env)) as [Dashboard, Dashboard, Dashboard, Dashboard];
  return { cluster, jobs, routes, deploys };
}

describe('dashboards rendered from the jobs and environments', () => {
  it('gives every job of the environment a row, and no other', async () => {
    const jobs = await buildExampleJobs(prod);
    const { jobs: dashboard } = await dashboardsOf(prod);
    expect(dashboard.rows.map((r) => r.title.split(' ')[0])).toEqual(jobs.map((j) => j.spec.id).sort());
    const devIds = (await buildExampleJobs(dev)).map((j) => j.spec.id).sort();
    expect((await dashboardsOf(dev)).jobs.rows.map((r) => r.title.split(' ')[0])).toEqual(devIds);
  });

  it("draws each task's CPU and memory against what the job file reserves in that environment", async () => {
    const { jobs: prodJobs } = await dashboardsOf(prod);
    const cpu = panel(prodJobs, 'api: api CPU vs reserved');
    expect(cpu.unit).toBe('mhz');
    expect(cpu.queries.map((q) => q.expr)).toEqual([
      'max by (alloc_id) (nomad_client_allocs_cpu_total_ticks{nomad_job="api",namespace="shop",task_group="api",task="api"})',
      'vector(1000)',
    ]);
    const memory = panel(prodJobs, 'api: api memory vs reserved');
    expect(memory.queries.slice(1).map((q) => [q.expr, q.legend])).toEqual([
      [`vector(${768 * 1024 * 1024})`, 'reserved'],
      [`vector(${1024 * 1024 * 1024})`, 'memory_max'],
    ]);
    const { jobs: qaJobs } = await dashboardsOf(qa);
    expect(panel(qaJobs, 'api: api CPU vs reserved').queries[1]!.expr).toBe('vector(300)');
  });

  it('asks for every route its rate, p99 and 5xx per target, with the metrics prefix of the environment', async () => {
    const { routes } = await dashboardsOf(prod);
    expect(routes.rows.map((r) => r.title)).toEqual(expect.arrayContaining(['/api → api (job api)', 'www.example.com/ → www (job www)', '/ → www (job www)']));
    expect(panel(routes, '/api: requests per second by target').queries[0]!.expr).toBe('sum by (target) (rate(fabio_route_count{service="api",host="",path="/api"}[$__rate_interval]))');
    const p99 = panel(routes, '/api: p99 latency');
    expect(p99.queries[1]!.expr).toBe('histogram_quantile(0.99, sum by (le) (rate(fabio_route_bucket{service="api",host="",path="/api"}[$__rate_interval])))');
    expect(p99.thresholds).toEqual([{ value: 0.5, color: 'red' }]);
    const errors = panel(routes, 'www.example.com/: 5xx ratio');
    expect(errors.queries[0]!.expr).toBe('sum(rate(fabio_http_status_count{service="www",code=~"5.."}[$__rate_interval])) / sum(rate(fabio_http_status_count{service="www"}[$__rate_interval]))');
    expect(errors.queries[1]!.expr).toContain('sum by (instance) (rate(http_requests_total{service="www",code=~"5.."}');
  });

  it('adds the canary share only to routes whose canaries take traffic, with progressive steps as thresholds', async () => {
    const { routes } = await dashboardsOf(prod);
    const share = panel(routes, '/api: canary share in effect');
    expect(share.thresholds?.map((t) => t.value)).toEqual([0.05, 0.25, 0.5]);
    expect(share.description).toContain('5 % → 25 % → 50 %');
    expect(share.queries[0]!.expr).toBe(
      'sum(label_replace(rate(fabio_route_count{service="api",host="",path="/api"}[$__rate_interval]), "instance", "$1", "target", "https?://([^/]+)/?") * on (instance) group_left () max by (instance) (up{job="apps",service="api",canary="true"})) / sum(rate(fabio_route_count{service="api",host="",path="/api"}[$__rate_interval]))',
    );
    // www rolls without canaries.
    expect(panels(routes).filter((p) => p.title.endsWith('canary share in effect')).map((p) => p.title)).toEqual(['/api: canary share in effect']);
    const { routes: qaRoutes } = await dashboardsOf(qa);
    expect(panel(qaRoutes, '/api: canary share in effect').thresholds).toEqual([]);
  });

  it("reads drover's deploy metrics for the environment, jobs under the label prometheus.yml gives them", async () => {
    const { deploys } = await dashboardsOf(prod);
    expect(panel(deploys, 'Outcome').queries[0]!.expr).toBe('max(drover_deploy_last_exit_code{env="prod"})');
    expect(panel(deploys, 'Outcome').valueText?.['3']).toBe('awaiting promotion');
    const ids = (await buildExampleJobs(prod)).map((j) => j.spec.id).sort();
    expect(ids).toEqual(expect.arrayContaining(['api', 'db-backup', 'www']));
    expect(panel(deploys, 'Job versions after the last deploy').queries[0]!.expr).toBe(`max by (nomad_job) (drover_deploy_last_job_version{env="prod",nomad_job=~"${ids.join('|')}"})`);
  });

  it('gives every panel a title, a description and at least one query', async () => {
    for (const env of environments) {
      for (const dashboard of renderDashboards(env, await buildExampleJobs(env))) {
        for (const p of panels(dashboard)) {
          expect(p.title.length, dashboard.uid).toBeGreaterThan(3);
          expect(p.description.length, p.title).toBeGreaterThan(30);
          expect(p.queries.length, p.title).toBeGreaterThan(0);
        }
        expect(new Set(panels(dashboard).map((p) => p.title)).size, `${dashboard.uid} titles unique`).toBe(panels(dashboard).length);
      }
    }
  });
});

describe('Grafana dashboard JSON and provisioning', () => {
  it('lays panels out without overlap, 24 columns wide, ids unique, on the provisioned data source', async () => {
    const jobs = await buildExampleJobs(prod);
    for (const dashboard of renderDashboards(prod, jobs)) {
      const json = toGrafanaDashboard(dashboard) as { uid: string; panels: { id: number; type: string; gridPos: { x: number; y: number; w: number; h: number }; datasource?: { uid: string }; targets?: { expr: string }[] }[] };
      expect(json.uid).toBe(dashboard.uid);
      expect(new Set(json.panels.map((p) => p.id)).size).toBe(json.panels.length);
      const cells = new Set<string>();
      for (const p of json.panels) {
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
        for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
          for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
            expect(cells.has(`${x},${y}`), `${p.id} overlaps at ${x},${y}`).toBe(false);
            cells.add(`${x},${y}`);
          }
        }
        if (p.type !== 'row') expect(p.datasource?.uid).toBe('drover-prometheus-prod');
      }
      expect(json.panels.filter((p) => p.type !== 'row').length).toBe(panels(dashboard).length);
    }
  });

  it('writes the same bytes twice, under grafana/<env>/, with provisioning that names the same data source', async () => {
    const jobs = await buildExampleJobs(prod);
    const files = dashboardFiles(prod, jobs);
    expect(dashboardFiles(prod, jobs)).toEqual(files);
    expect(files.map((f) => f.path)).toEqual([
      'grafana/prod/dashboards/drover-prod-cluster.json',
      'grafana/prod/dashboards/drover-prod-jobs.json',
      'grafana/prod/dashboards/drover-prod-routes.json',
      'grafana/prod/dashboards/drover-prod-deploys.json',
      'grafana/prod/provisioning/dashboards/drover.yml',
      'grafana/prod/provisioning/datasources/drover.yml',
    ]);
    expect(files.every((f) => f.committed)).toBe(true);
    const datasource = parse(files[5]!.content) as { datasources: { uid: string; url: string; type: string }[] };
    expect(datasource.datasources).toEqual([expect.objectContaining({ uid: 'drover-prometheus-prod', url: 'http://prometheus.prod.example.internal:9090', type: 'prometheus' })]);
    const provider = parse(files[4]!.content) as { providers: { type: string; options: { path: string } }[] };
    expect(provider.providers[0]).toMatchObject({ type: 'file', options: { path: '/var/lib/grafana/dashboards/drover-prod' } });
    expect(files[5]!.content.startsWith('# generated by drover — do not edit')).toBe(true);
  });
});
