/**
 * The simulated Fabio's routing table, built the way Fabio builds it: one route per `host/path`
 * from the `urlprefix-` tags of passing instances, then the manual overrides from Consul KV
 * applied in order. Only `route weight` is applied. Pure: instances and commands in, table out.
 * @see shared/reference/fabio.md §3 (tags), §4 (route language, weights, table order)
 */
import type { RouteCommand, RouteWeight } from '../../canary/route-grammar.ts';
import { parseUrlprefixTag, TAG_PREFIX } from './urlprefix.ts';

/** A passing service instance as Fabio sees it. */
export interface RoutedInstance {
  readonly service: string;
  readonly serviceId: string;
  /** `ServiceAddress`, or the node's `Address` when empty. */
  readonly address: string;
  readonly port: number;
  readonly tags: readonly string[];
}

/** One upstream of a route. */
export interface FabioTarget {
  readonly service: string;
  readonly serviceId: string;
  /** `http://<address>:<port>/`, also the `target` label of `fabio_route`. */
  readonly url: string;
  /** The instance's tags without the `urlprefix-` ones (what `route weight … tags` matches). */
  readonly tags: readonly string[];
  readonly strip?: string;
  /** Weight set by a `route weight` rule; 0 = none. */
  readonly fixedWeight: number;
  /** Share of the route's traffic, 0..1. */
  readonly share: number;
}

/** One route: requests for `host` (or any host when `""`) whose path starts with `path`. */
export interface FabioRoute {
  readonly host: string;
  readonly path: string;
  readonly targets: readonly FabioTarget[];
}

/** The table and what could not be applied. */
export interface RouteTable {
  readonly routes: readonly FabioRoute[];
  readonly problems: readonly string[];
}

type MutableTarget = { -readonly [K in keyof FabioTarget]: FabioTarget[K] };
type MutableRoute = { readonly host: string; readonly path: string; readonly targets: MutableTarget[] };

/** Builds the table from passing instances and the manual commands, in Fabio's lookup order. */
export function buildRouteTable(instances: readonly RoutedInstance[], commands: readonly RouteCommand[]): RouteTable {
  const problems: string[] = [];
  const routes = new Map<string, MutableRoute>();
  const ordered = [...instances].sort((a, b) => compareText(a.service, b.service) || compareText(a.serviceId, b.serviceId));
  for (const instance of ordered) {
    const tags = instance.tags.filter((tag) => !tag.startsWith(TAG_PREFIX));
    for (const tag of instance.tags) {
      const parsed = parseUrlprefixTag(tag);
      if (parsed.kind === 'unsupported') problems.push(`${instance.serviceId}: ${parsed.reason}`);
      if (parsed.kind !== 'route') continue;
      const { host, path, strip } = parsed.route;
      const route = routes.get(`${host}${path}`) ?? { host, path, targets: [] };
      routes.set(`${host}${path}`, route);
      route.targets.push({ service: instance.service, serviceId: instance.serviceId, url: `http://${instance.address}:${instance.port}/`, tags, ...(strip ? { strip } : {}), fixedWeight: 0, share: 0 });
    }
  }
  for (const route of routes.values()) shareTraffic(route.targets);
  for (const command of commands) {
    if (command.cmd === 'route weight') {
      // Fabio 1.7.3 logs this (route/table.go NewTable) and leaves the table as it was.
      if (!applyWeight([...routes.values()], command)) problems.push(`weight command for service ${command.service ?? ''} not valid - route: no target match`);
    } else problems.push(`"${command.cmd}" from Consul KV ignored: the simulated Fabio applies only "route weight"`);
  }
  return { routes: [...routes.values()].sort(lookupOrder), problems };
}

/** The route for a request: host routes first, then host-less ones; longest matching path prefix wins. */
export function lookupRoute(routes: readonly FabioRoute[], host: string, path: string): FabioRoute | undefined {
  const normalized = host.toLowerCase().replace(/:80$/, '');
  return routes.find((r) => r.host === normalized && path.startsWith(r.path)) ?? routes.find((r) => r.host === '' && path.startsWith(r.path));
}

/** Picks a target by share; `draw` is a uniform number in [0, 1) (Fabio's `rnd` strategy). */
export function pickTarget(route: FabioRoute, draw: number): FabioTarget | undefined {
  let cumulative = 0;
  const eligible = route.targets.filter((t) => t.share > 0);
  for (const target of eligible) {
    cumulative += target.share;
    if (draw < cumulative) return target;
  }
  // Rounding can leave the sum a hair under 1.
  return eligible.at(-1);
}

/** The upstream path of a request: `strip=` removed when the path starts with it. */
export function upstreamPath(target: FabioTarget, pathAndQuery: string): string {
  if (!target.strip || !pathAndQuery.startsWith(target.strip)) return pathAndQuery;
  const rest = pathAndQuery.slice(target.strip.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * `route weight [<svc>] <src> weight <w> [tags "…"]`: the matching targets share `w`, so each gets
 * `w / n`; a rule matching no target changes nothing. Answers whether any target matched.
 */
function applyWeight(routes: readonly MutableRoute[], rule: RouteWeight): boolean {
  let matched = false;
  for (const route of routes) {
    if (`${route.host}${route.path}` !== rule.src) continue;
    const matching = route.targets.filter((t) => (rule.service === undefined || t.service === rule.service) && (rule.tags ?? []).every((tag) => t.tags.includes(tag)));
    if (matching.length === 0) continue;
    matched = true;
    for (const target of matching) target.fixedWeight = rule.weight / matching.length;
    shareTraffic(route.targets);
  }
  return matched;
}

/**
 * Fabio's `weighTargets`: without fixed weights an even spread; otherwise fixed targets keep their
 * weight (scaled down when the sum exceeds 1, up when every target is fixed) and the others share
 * what is left. Weights ≤ 0 count as "no fixed weight".
 */
function shareTraffic(targets: MutableTarget[]): void {
  const fixed = targets.filter((t) => t.fixedWeight > 0);
  const dynamic = targets.filter((t) => t.fixedWeight <= 0);
  if (fixed.length === 0) {
    for (const target of targets) target.share = 1 / targets.length;
    return;
  }
  const sumFixed = fixed.reduce((sum, t) => sum + t.fixedWeight, 0);
  const scale = sumFixed > 1 || dynamic.length === 0 ? 1 / sumFixed : 1;
  const rest = dynamic.length === 0 ? 0 : Math.max(0, 1 - sumFixed) / dynamic.length;
  for (const target of fixed) target.share = target.fixedWeight * scale;
  for (const target of dynamic) target.share = rest;
}

function lookupOrder(a: FabioRoute, b: FabioRoute): number {
  if ((a.host === '') !== (b.host === '')) return a.host === '' ? 1 : -1;
  return compareText(a.host, b.host) || b.path.length - a.path.length || compareText(a.path, b.path);
}

/** Code-point order: the same on every machine, unlike the locale's collation. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
