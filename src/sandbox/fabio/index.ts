/**
 * A simulated Fabio: a proxy listener (like `proxy.addr = :9999`) routing by the `urlprefix-` tags
 * of passing Consul instances plus the `route weight` overrides in Consul KV, and a separate
 * metrics listener (like `proto=prometheus`) serving `/metrics`. It reads Consul over HTTP with
 * blocking queries, as Fabio does. It is not a Fabio implementation: see src/sandbox/README.md.
 */
import { Agent, type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouteCommand } from '../../canary/route-grammar.ts';
import { closeServer, listen, SANDBOX_HOST } from '../listen.ts';
import { createRandom } from '../random.ts';
import { watchManualRoutes, watchRoutedInstances } from './consul-registry.ts';
import { FabioMetrics, type RouteLabels } from './metrics.ts';
import { createProxyHandler } from './proxy.ts';
import { buildRouteTable, type FabioRoute, type RoutedInstance } from './route-table.ts';
import { TrafficGenerator, type TrafficRate, type TrafficRoute, type TrafficStream } from './traffic.ts';

export type { FabioRoute, FabioTarget } from './route-table.ts';
export type { TrafficRate, TrafficRoute, TrafficStream } from './traffic.ts';

/** Options of {@link startFabio}. */
export interface FabioOptions {
  /** Consul base URL. */
  readonly consul: string;
  readonly seed: number;
  /** Ports on 127.0.0.1; 0 or absent = random. */
  readonly ports?: { readonly proxy?: number; readonly metrics?: number };
  readonly onProblem: (message: string, source: 'fabio' | 'traffic') => void;
}

/** A running simulated Fabio. */
export interface FabioSimulation {
  /** e.g. `http://127.0.0.1:9999` */
  readonly proxyUrl: string;
  /** Scrape `${metricsUrl}/metrics`. */
  readonly metricsUrl: string;
  /** The current routing table, in lookup order. */
  routes(): FabioRoute[];
  setTraffic(route: string | TrafficRoute, rate: TrafficRate): void;
  traffic(): TrafficStream[];
  clearTraffic(): void;
  close(): Promise<void>;
}


/** Opens both listeners and starts watching Consul. */
export async function startFabio(options: FabioOptions): Promise<FabioSimulation> {
  const metrics = new FabioMetrics();
  const agent = new Agent({ keepAlive: true, maxSockets: 128 });
  const table = createTableState((message) => options.onProblem(message, 'fabio'), (routes) => metrics.retainRoutes(routeLabels(routes)));
  const proxy = createServer(createProxyHandler({ routes: table.routes, random: createRandom(options.seed ^ 0xfab10), metrics, agent }));
  const metricsServer = createServer((req, res) => void serveMetrics(metrics, req, res));
  const servers: Server[] = [];
  try {
    servers.push(await listen(proxy, options.ports?.proxy ?? 0));
    servers.push(await listen(metricsServer, options.ports?.metrics ?? 0));
  } catch (error) {
    await Promise.all(servers.map(closeServer));
    throw error;
  }
  const [proxyPort, metricsPort] = servers.map((s) => (s.address() as AddressInfo).port) as [number, number];
  const traffic = new TrafficGenerator(proxyPort, (message) => options.onProblem(message, 'traffic'));
  const controller = new AbortController();
  const watch = { consul: options.consul, signal: controller.signal, onProblem: (message: string) => options.onProblem(message, 'fabio') };
  const loops = [watchRoutedInstances(watch, table.setInstances), watchManualRoutes(watch, table.setCommands)];
  return {
    proxyUrl: `http://${SANDBOX_HOST}:${proxyPort}`,
    metricsUrl: `http://${SANDBOX_HOST}:${metricsPort}`,
    routes: () => [...table.routes()],
    setTraffic: (route, rate) => traffic.set(route, rate),
    traffic: () => traffic.list(),
    clearTraffic: () => traffic.clear(),
    close: async () => {
      traffic.close();
      controller.abort();
      await Promise.all(loops);
      agent.destroy();
      await Promise.all(servers.map(closeServer));
    },
  };
}

/** Every target of every route, as `fabio_route` labels it. */
function routeLabels(routes: readonly FabioRoute[]): RouteLabels[] {
  return routes.flatMap((route) => route.targets.map((t) => ({ service: t.service, host: route.host, path: route.path, target: t.url })));
}

/**
 * The inputs of the table and the table built from them; problems reported when they first
 * appear; `onTable` sees every new table.
 */
function createTableState(report: (message: string) => void, onTable: (routes: readonly FabioRoute[]) => void) {
  let instances: readonly RoutedInstance[] = [];
  let commands: readonly RouteCommand[] = [];
  let parseErrors: readonly string[] = [];
  let routes: readonly FabioRoute[] = [];
  let reported = new Set<string>();
  const rebuild = (): void => {
    const table = buildRouteTable(instances, commands);
    routes = table.routes;
    onTable(routes);
    const problems = new Set([...table.problems, ...parseErrors]);
    for (const problem of problems) if (!reported.has(problem)) report(problem);
    reported = problems;
  };
  return {
    routes: () => routes,
    setInstances: (next: RoutedInstance[]) => ((instances = next), rebuild()),
    setCommands: (next: readonly RouteCommand[], errors: readonly string[]) => {
      commands = next;
      parseErrors = errors.map((error) => `route config in Consul KV: ${error} (line skipped, as Fabio 1.7.3 does)`);
      rebuild();
    },
  };
}

async function serveMetrics(metrics: FabioMetrics, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume();
  if (new URL(req.url ?? '/', 'http://fabio').pathname !== '/metrics') return void res.writeHead(404, { 'Content-Length': 0 }).end();
  const { contentType, text } = await metrics.render();
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) }).end(text);
}

