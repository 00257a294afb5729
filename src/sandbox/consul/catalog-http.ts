/**
 * Catalog and health reads: `/v1/catalog/services`, `/v1/catalog/service/:name`,
 * `/v1/health/service/:name[?passing]` and `/v1/health/state/:state` (Fabio's route discovery
 * blocks on `/v1/health/state/any`). An unknown service is `200 []`; an unknown state is `200 []`
 * too (1.8.7 does not validate it). With ACLs, entries the token may not read are filtered out.
 * @see https://developer.hashicorp.com/consul/api-docs/catalog
 * @see https://developer.hashicorp.com/consul/api-docs/health
 */
import type { ServerResponse } from 'node:http';
import { answerBlocking, errorMetaHeaders, type QueryResult } from './blocking.ts';
import { catalogServiceJson, checkJson, healthNodeJson, healthServiceJson } from './catalog-json.ts';
import type { CheckRecord } from './catalog-store.ts';
import type { ConsulContext, ConsulRequest } from './context.ts';
import { json, methodNotAllowed, pathAfter, send, text, withHeaders } from './http.ts';
import type { Authorizer } from './acl.ts';

/** Answers catalog and health reads; `false` if the path is not one of them. */
export function handleCatalog(ctx: ConsulContext, req: ConsulRequest, res: ServerResponse): boolean {
  const route = matchRoute(req.url);
  if (!route) return false;
  if (req.method !== 'GET') {
    send(res, methodNotAllowed(req.method, ['GET']));
    return true;
  }
  if (route.kind !== 'services' && route.name === '') {
    send(res, text(400, route.kind === 'state' ? 'Missing check state' : 'Missing service name'));
    return true;
  }
  const authorizer = req.authorizer;
  if (!authorizer) {
    send(res, withHeaders(text(403, 'ACL not found'), errorMetaHeaders()));
    return true;
  }
  answerBlocking(ctx, res, req.url, () => run(ctx, req.url, route, authorizer), true);
  return true;
}

type Route = { readonly kind: 'services' } | { readonly kind: 'service' | 'health' | 'state'; readonly name: string };

function matchRoute(url: URL): Route | undefined {
  if (url.pathname === '/v1/catalog/services') return { kind: 'services' };
  const service = pathAfter(url, '/v1/catalog/service/');
  if (service !== undefined) return { kind: 'service', name: service };
  const health = pathAfter(url, '/v1/health/service/');
  if (health !== undefined) return { kind: 'health', name: health };
  const state = pathAfter(url, '/v1/health/state/');
  if (state !== undefined) return { kind: 'state', name: state };
  return undefined;
}

function run(ctx: ConsulContext, url: URL, route: Route, authorizer: Authorizer): QueryResult {
  const canReadService = (name: string): boolean => authorizer.allows('service', name, 'read');
  const canReadNode = (name: string): boolean => authorizer.allows('node', name, 'read');
  if (route.kind === 'services') {
    const { index, services } = ctx.catalog.serviceTags();
    const tags: Record<string, string[]> = {};
    for (const service of services) {
      if (!canReadService(service.name)) continue;
      const known = (tags[service.name] ??= []);
      for (const tag of service.tags) if (!known.includes(tag)) known.push(tag);
    }
    return { index, reply: json(sortKeys(tags)) };
  }
  if (route.kind === 'state') {
    const { index, checks } = ctx.catalog.checksInState(route.name);
    const visible = checks.filter((c: CheckRecord) => canReadNode(c.node) && (c.serviceName === '' || canReadService(c.serviceName)));
    return { index, reply: json(visible.map(checkJson)) };
  }
  const { index, entries } = ctx.catalog.instances(route.name, route.kind === 'health');
  const visible = entries.filter((e) => canReadService(e.service.name) && canReadNode(e.node.name));
  if (route.kind === 'service') {
    return { index, reply: json(visible.map((e) => catalogServiceJson(e.node, e.service, ctx.datacenter))) };
  }
  const passingOnly = isPassingFilter(url);
  const healthy = passingOnly ? visible.filter((e) => e.checks.every((c) => c.status === 'passing')) : visible;
  return {
    index,
    reply: json(healthy.map((e) => ({ Node: healthNodeJson(e.node, ctx.datacenter), Service: healthServiceJson(e.service), Checks: e.checks.map(checkJson) }))),
  };
}

/** `?passing` alone means true; otherwise Go's `strconv.ParseBool` decides (`?passing=false` = no filter). */
function isPassingFilter(url: URL): boolean {
  const value = url.searchParams.get('passing');
  if (value === null) return false;
  return value === '' || ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
