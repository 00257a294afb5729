/**
 * The dashboards against a real Prometheus (Debian's package, scripts/install-prometheus.sh):
 * every panel query of every environment runs without error, key panels find the series the real
 * exporters publish, and a static page with live values renders in headless Chromium (Debian's
 * package, scripts/install-chromium.sh), screenshot in build/artifacts/dashboards/. One
 * Prometheus and one Chromium run for the file. Skipped loudly without the binaries.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDashboards, type Dashboard, type Panel } from '../../src/dashboards/index.ts';
import { readLiveValues } from '../../src/cli/dashboard-values.ts';
import { createPrometheusClient } from '../../src/clients/prometheus/index.ts';
import { esc, queriesOf, querySent, renderDashboardHtml } from '../../src/dashboards/html.ts';
import { startDashboardPrometheus, STABLE, CANARY, type DashboardPrometheus } from '../support/dashboard-prometheus.ts';
import { environments } from '../support/environments.ts';
import { buildExampleJobs } from '../support/example-jobs.ts';
import { findOnPath, missingBinaries } from '../support/real-process.ts';
import { repoRoot } from '../support/run-cli.ts';

const SUITE = 'test/integration/dashboards.test.ts';
const missing = missingBinaries(SUITE, ['prometheus']);
const chromium = findOnPath('chromium');
if (!chromium && missing.length === 0) console.warn(`\n!!!!!!!!!! SKIPPED: the Chromium screenshot in ${SUITE} — no chromium on PATH (bash scripts/install-chromium.sh) !!!!!!!!!!\n`);
const ARTIFACTS = join(repoRoot, 'build/artifacts/dashboards');

function find(dashboards: readonly Dashboard[], uid: string, title: string): { dashboard: Dashboard; panel: Panel } {
  const dashboard = dashboards.find((d) => d.uid === uid)!;
  const panel = dashboard.rows.flatMap((r) => r.panels).find((p) => p.title === title);
  if (!panel) throw new Error(`no panel ${title} in ${uid}`);
  return { dashboard, panel };
}

describe.skipIf(missing.length > 0)('dashboards against a real Prometheus', () => {
  let prometheus: DashboardPrometheus;
  let prod: Dashboard[];

  beforeAll(async () => {
    prometheus = await startDashboardPrometheus();
    prod = renderDashboards(environments[2]!, await buildExampleJobs(environments[2]!));
  }, 40_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  it('runs every panel query of every environment without an error', async () => {
    const refused: string[] = [];
    let asked = 0;
    for (const env of environments) {
      for (const dashboard of renderDashboards(env, await buildExampleJobs(env))) {
        const queries = new Set(dashboard.rows.flatMap((r) => r.panels.flatMap((p) => p.queries.map((q) => querySent(dashboard, q)))));
        for (const query of queries) {
          asked += 1;
          expect(query, 'every variable filled in').not.toMatch(/\$[A-Za-z_]/);
          await prometheus.query(query).catch((error: Error) => refused.push(`${dashboard.uid}: ${error.message}`));
        }
      }
    }
    expect(refused).toEqual([]);
    expect(asked).toBeGreaterThan(150);
  });

  it('finds the series the exporters publish under the labels the panels select', async () => {
    const value = async (uid: string, title: string, index = 0) => {
      const { dashboard, panel } = find(prod, uid, title);
      return prometheus.query(querySent(dashboard, panel.queries[index]!));
    };
    expect((await value('drover-prod-cluster', 'Client nodes ready'))[0]?.value[1]).toBe('1');
    expect((await value('drover-prod-cluster', 'CPU reserved'))[0]?.value[1]).toBe(String(3000 / 8000));
    // Nomad's own `job` label arrives as exported_job (the scrape job is "nomad"), relabelled nomad_job.
    expect((await value('drover-prod-jobs', 'api: allocations by state'))).toEqual([expect.objectContaining({ metric: { task_group: 'api' }, value: [expect.any(Number), '3'] })]);
    expect((await value('drover-prod-jobs', 'api: api memory vs reserved'))[0]?.value[1]).toBe(String(500 * 1024 * 1024));
    const perTarget = await value('drover-prod-routes', '/api: requests per second by target');
    expect(perTarget.map((r) => r.metric['target']).sort()).toEqual([`http://${STABLE}/`, `http://${CANARY}/`]);
    const share = Number((await value('drover-prod-routes', '/api: canary share in effect'))[0]?.value[1]);
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.15);
    const instances = await value('drover-prod-routes', '/api: 5xx ratio', 1);
    expect(instances.map((r) => r.metric['instance']).sort()).toEqual([STABLE, CANARY]);
    expect((await value('drover-prod-deploys', 'Outcome'))[0]?.value[1]).toBe('0');
    expect((await value('drover-prod-jobs', 'api: deployments'))[0]?.value[1]).toBe('7');
  });

  it.skipIf(!chromium)('renders a static page with live values that headless Chromium loads, with a screenshot', async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    // What `drover dashboards prod --prometheus <address> --range <since Prometheus started>` does for one page.
    const routes = prod.find((d) => d.uid === 'drover-prod-routes')!;
    const client = createPrometheusClient({ address: prometheus.address });
    const endMs = Date.now();
    const live = await readLiveValues(client, queriesOf(routes), { address: prometheus.address, endMs, rangeMs: endMs - prometheus.startedAtMs }).finally(() => client.close());
    const page = join(ARTIFACTS, 'drover-prod-routes.html');
    const html = renderDashboardHtml(routes, { siblings: prod, live });
    writeFileSync(page, html);
    expect(html).toContain('<polyline');
    expect(html).not.toContain('class="error"');
    const screenshot = join(ARTIFACTS, 'drover-prod-routes.png');
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', '--window-size=1400,1100', `--screenshot=${screenshot}`, '--dump-dom', `file://${page}`];
    const { stdout } = await promisify(execFile)(chromium!, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    for (const panel of routes.rows.flatMap((r) => r.panels)) expect(stdout, panel.title).toContain(`<h3>${esc(panel.title)}</h3>`);
    const png = readFileSync(screenshot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1400, 1100]);
    expect(statSync(screenshot).size).toBeGreaterThan(30_000);
  }, 90_000);
});
