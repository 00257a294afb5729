/**
 * The series Fabio's prometheus target exports with `metrics.prefix = fabio`, for the requests the
 * simulated Fabio really proxied: `fabio_route` (service, host, path, target), `fabio_http_status`
 * (code, service) and `fabio_notfound`. On its own Registry, so sandboxes never share series.
 * @see shared/reference/fabio.md §6
 */
import { Counter, Histogram, Registry } from 'prom-client';

/** Fabio's default `metrics.prometheus.buckets`, seconds. */
export const FABIO_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One proxied request, as the metrics need it. */
export interface ProxiedRequest {
  readonly service: string;
  readonly host: string;
  readonly path: string;
  readonly target: string;
  readonly status: number;
  readonly seconds: number;
}

/** The labels of one `fabio_route` series: a target of a route. */
export interface RouteLabels {
  readonly service: string;
  readonly host: string;
  readonly path: string;
  readonly target: string;
}

function routeKey(labels: RouteLabels): string {
  return JSON.stringify([labels.service, labels.host, labels.path, labels.target]);
}

/** The metrics of one simulated Fabio. */
export class FabioMetrics {
  readonly registry = new Registry();
  private readonly route = new Histogram({ name: 'fabio_route', help: 'Latency of proxied requests by route and target (simulated Fabio).', labelNames: ['service', 'host', 'path', 'target'], buckets: FABIO_BUCKETS, registers: [this.registry] });
  private readonly status = new Histogram({ name: 'fabio_http_status', help: 'Latency of proxied requests by response status (simulated Fabio).', labelNames: ['code', 'service'], buckets: FABIO_BUCKETS, registers: [this.registry] });
  private readonly notFound = new Counter({ name: 'fabio_notfound', help: 'Requests without a route (simulated Fabio).', registers: [this.registry] });
  /** Label sets of `fabio_route` observed so far, by {@link routeKey}. */
  private readonly routeLabels = new Map<string, RouteLabels>();

  /** Records a request that reached (or failed to reach) a target. */
  recordProxied(request: ProxiedRequest): void {
    const labels: RouteLabels = { service: request.service, host: request.host, path: request.path, target: request.target };
    this.routeLabels.set(routeKey(labels), labels);
    this.route.observe(labels, request.seconds);
    this.status.observe({ code: String(request.status), service: request.service }, request.seconds);
  }

  /**
   * Drops the `fabio_route` series of targets no longer in the routing table, as Fabio 1.7.3 does
   * on every table change (route/table.go cleanupStaleMetrics; seen on a real Fabio 1.7.3: the
   * series of a deregistered instance vanish from /metrics). `fabio_http_status` is kept.
   */
  retainRoutes(current: readonly RouteLabels[]): void {
    const keep = new Set(current.map(routeKey));
    for (const [key, labels] of this.routeLabels) {
      if (keep.has(key)) continue;
      this.route.remove(labels);
      this.routeLabels.delete(key);
    }
  }

  /** Records a request that matched no route. */
  recordNotFound(): void {
    this.notFound.inc();
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ readonly contentType: string; readonly text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
