/** Names and intervals every dashboard of an environment shares. */
import type { Environment } from '../config/environment.ts';
import { toNanoseconds } from '../model/duration.ts';

/** Which dashboards drover renders per environment. */
export type DashboardKind = 'cluster' | 'jobs' | 'routes' | 'deploys';

export const DASHBOARD_KINDS: readonly DashboardKind[] = ['cluster', 'jobs', 'routes', 'deploys'];

/** Grafana uid (≤ 40 characters) and file name of a dashboard: `drover-prod-jobs`. */
export function dashboardUid(env: string, kind: DashboardKind): string {
  return `drover-${env}-${kind}`;
}

/** uid of the provisioned Prometheus data source of an environment. */
export function datasourceUid(env: string): string {
  return `drover-prometheus-${env}`;
}

const DEFAULT_SCRAPE_SECONDS = 15;

/**
 * Range of `rate()` where Grafana does not fill `$__rate_interval`: four scrape intervals, the
 * smallest range that survives a missed scrape (Grafana's own rule for the same variable).
 */
export function rateIntervalOf(env: Environment): string {
  const interval = env.prometheus?.scrapeInterval;
  const nanos = interval === undefined ? undefined : toNanoseconds(interval);
  const seconds = nanos === undefined ? DEFAULT_SCRAPE_SECONDS : Math.max(1, Math.round(nanos / 1e9));
  return `${seconds * 4}s`;
}
