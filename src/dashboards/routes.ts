/**
 * One row per Fabio route of the environment's jobs: requests per second, p99 latency and 5xx
 * ratio per route and per target, and for routes whose canaries get traffic, the share of the
 * route's requests that actually reaches canary instances (the canary weight in effect).
 *
 * Fabio's `<prefix>_route` histogram carries service, host, path and target (`http://ip:port/`);
 * its `<prefix>_http_status` only code and service, so per-target 5xx come from the apps' own
 * `http_requests_total`, whose `instance` is the same `ip:port` (prometheus/prometheus.yml, job
 * `apps`, which also labels each instance `service` and `canary`).
 */
import type { Environment } from '../config/environment.ts';
import { APP_REQUESTS_METRIC } from '../canary/gates.ts';
import { analysisSettings, canaryPromotionOf, effectiveUpdate, weightedService } from '../canary/plan.ts';
import { toNanoseconds } from '../model/duration.ts';
import type { GroupSpec, JobSpec } from '../model/job.ts';
import type { LoadedJob } from '../model/loaded-job.ts';
import type { HttpRoute } from '../model/route.ts';
import type { ServiceSpec } from '../model/service.ts';
import { routeSource } from '../render/fabio-tags.ts';
import type { Dashboard, Panel, PanelRow } from './model.ts';
import { dashboardUid, rateIntervalOf } from './naming.ts';
import { eq, selector } from './promql.ts';

/** The scrape job of the apps drover deploys (prometheus/prometheus.yml). */
export const APPS_SCRAPE_JOB = 'apps';

/** One HTTP route of one service, with what the dashboard says about its canaries. */
interface RoutedService {
  readonly job: JobSpec;
  readonly group: GroupSpec;
  readonly service: ServiceSpec;
  readonly route: HttpRoute;
}

/** The Fabio routes dashboard of `env`: a row per HTTP route, by job, service and route order. Pure. */
export function routesDashboard(env: Environment, jobs: readonly LoadedJob[]): Dashboard {
  const routed = [...jobs].sort((a, b) => (a.spec.id < b.spec.id ? -1 : 1)).flatMap(({ spec }) => httpRoutes(spec));
  return {
    uid: dashboardUid(env.name, 'routes'),
    title: `drover ${env.name} · Fabio routes`,
    description: `Traffic through Fabio on every route the jobs of ${env.name} declare: rate, p99 and 5xx per route and target, and the canary share in effect.`,
    env: env.name,
    tags: ['drover', env.name, 'fabio'],
    variables: [],
    rateInterval: rateIntervalOf(env),
    rows: [{ title: 'Fabio', panels: fabioPanels(env) }, ...routed.map((r) => routeRow(r, env))],
  };
}

function httpRoutes(job: JobSpec): RoutedService[] {
  return job.groups.flatMap((group) =>
    (group.services ?? []).flatMap((service) => (service.routes ?? []).filter((r): r is HttpRoute => r.kind === undefined || r.kind === 'http').map((route) => ({ job, group, service, route }))),
  );
}

function fabioPanels(env: Environment): Panel[] {
  const p = env.fabio.metricsPrefix;
  return [
    { title: 'Fabio instances up', description: 'Fabio instances Prometheus scrapes on their metrics listener (scrape job "fabio"). 0 means no traffic reaches any route.', kind: 'stat', unit: 'none', queries: [{ expr: 'sum(up{job="fabio"})', legend: 'up' }], baseColor: 'red', thresholds: [{ value: 1, color: 'green' }] },
    { title: 'Requests per second by service', description: 'Requests Fabio proxied, per Consul service, all routes and targets together.', kind: 'timeseries', unit: 'reqps', queries: [{ expr: `sum by (service) (rate(${p}_route_count[$__rate_interval]))`, legend: '{{service}}' }], width: 12 },
    { title: 'Requests without a route', description: 'Requests Fabio answered 404 because no route matched: a missing urlprefix- tag, a stopped service or a mistyped host.', kind: 'timeseries', unit: 'reqps', queries: [{ expr: `sum(rate(${p}_notfound[$__rate_interval]))`, legend: 'no route' }], thresholds: [{ value: 1, color: 'orange' }] },
  ];
}

function routeRow(routed: RoutedService, env: Environment): PanelRow {
  const { job, service, route } = routed;
  const p = env.fabio.metricsPrefix;
  const source = routeSource(route.host, route.path);
  const routeMatch = [eq('service', service.name), eq('host', route.host?.toLowerCase() ?? ''), eq('path', route.path ?? '/')];
  const rate = (suffix: string) => `rate(${selector(`${p}_route_${suffix}`, routeMatch)}[$__rate_interval])`;
  const settings = analysisSettings(env.promotion.analysis, canaryOverrides(job, routed.group));
  const maxP99 = (toNanoseconds(settings.maxP99Latency) ?? 5e8) / 1e9;
  return {
    title: `${source} → ${service.name} (job ${job.id})`,
    panels: [
      { title: `${source}: requests per second by target`, description: `Requests Fabio sent to each instance of ${service.name} on ${source}. Uneven shares come from canary weights; a target missing here gets no traffic.`, kind: 'timeseries', unit: 'reqps', queries: [{ expr: `sum by (target) (${rate('count')})`, legend: '{{target}}' }] },
      {
        title: `${source}: p99 latency`,
        description: `99th percentile of the time Fabio waited for ${service.name} on ${source}, per target and for the route; the line at ${settings.maxP99Latency} is the p99 ${job.id}'s canaries are held to.`,
        kind: 'timeseries',
        unit: 's',
        queries: [
          { expr: `histogram_quantile(0.99, sum by (target, le) (${rate('bucket')}))`, legend: '{{target}}' },
          { expr: `histogram_quantile(0.99, sum by (le) (${rate('bucket')}))`, legend: 'route' },
        ],
        thresholds: [{ value: maxP99, color: 'red' }],
      },
      errorPanel(service, source, env, settings.maxErrorRatio),
      ...canaryPanels(routed, env, settings.steps, rate),
    ],
  };
}

function canaryOverrides(job: JobSpec, group: GroupSpec) {
  const update = effectiveUpdate(job, group);
  return (update?.strategy === 'canary' && update.analysis) || {};
}

function errorPanel(service: ServiceSpec, source: string, env: Environment, maxErrorRatio: number): Panel {
  const p = env.fabio.metricsPrefix;
  const fabio = (code: string[]) => `sum(rate(${selector(`${p}_http_status_count`, [eq('service', service.name), ...code])}[$__rate_interval]))`;
  const app = (code: string[]) => `sum by (instance) (rate(${selector(APP_REQUESTS_METRIC, [eq('service', service.name), ...code])}[$__rate_interval]))`;
  const fivexx = ['code=~"5.."'];
  return {
    title: `${source}: 5xx ratio`,
    description: `Share of ${service.name}'s answers with a 5xx status: through Fabio for the whole service (Fabio counts status codes per service, not per route, and includes its own 502s for unreachable targets), and per instance from the app's ${APP_REQUESTS_METRIC}. The line at ${maxErrorRatio * 100} % is how far a canary may exceed the stable instances.`,
    kind: 'timeseries',
    unit: 'percentunit',
    queries: [
      { expr: `${fabio(fivexx)} / ${fabio([])}`, legend: `${service.name} via Fabio` },
      { expr: `${app(fivexx)} / ${app([])}`, legend: '{{instance}}' },
    ],
    thresholds: [{ value: maxErrorRatio, color: 'red' }],
  };
}

function canaryPanels(routed: RoutedService, env: Environment, steps: readonly number[], rate: (suffix: string) => string): Panel[] {
  const { job, group, service } = routed;
  const mode = canaryPromotionOf(job, group, env);
  if (mode === undefined || weightedService(group)?.service.name !== service.name) return [];
  // Fabio's target is http://ip:port/; the apps' `up` carries the same ip:port as `instance`, and `canary`.
  const byInstance = `label_replace(${rate('count')}, "instance", "$1", "target", "https?://([^/]+)/?")`;
  const canaryUp = `max by (instance) (${selector('up', [eq('job', APPS_SCRAPE_JOB), eq('service', service.name), eq('canary', 'true')])})`;
  const stepText = mode === 'progressive' ? `drover steps it through ${steps.map((s) => `${s * 100} %`).join(' → ')} before promoting` : mode === 'auto' ? 'canaries get an even share until Nomad promotes them' : 'canaries get an even share until `drover promote`';
  return [
    {
      title: `${routeSource(routed.route.host, routed.route.path)}: canary share in effect`,
      description: `Share of the route's requests Fabio sent to instances tagged canary (the weight in effect, measured, not configured): 0 outside a canary deploy. ${job.id}'s canaries are promoted ${mode}: ${stepText}.`,
      kind: 'timeseries',
      unit: 'percentunit',
      queries: [{ expr: `sum(${byInstance} * on (instance) group_left () ${canaryUp}) / sum(${rate('count')})`, legend: 'canary share' }],
      thresholds: mode === 'progressive' ? steps.map((value) => ({ value, color: 'orange' as const })) : [],
    },
  ];
}
