import type { FabioRoute } from '../model/route.ts';

/** Tag prefix Fabio reads (`registry.consul.tagprefix`). */
export const URLPREFIX = 'urlprefix-';

/** Tag carried by unpromoted canaries so weighted `route weight … tags "canary"` rules can target them. */
export const CANARY_TAG = 'canary';

/**
 * Renders one route as a Fabio `urlprefix-` tag: `urlprefix-<host><path>[ opt=value …]`.
 * Only the first space separates the route from its options, so options are space-joined in a
 * fixed order. Grammar: shared/reference/fabio.md §3.
 */
export function renderUrlprefixTag(route: FabioRoute): string {
  switch (route.kind) {
    case 'tcp':
      return `${URLPREFIX}:${route.port} proto=tcp`;
    case 'redirect':
      return `${URLPREFIX}${routeSource(route.host, route.path)} redirect=${route.code},${route.to}`;
    default: {
      const options: string[] = [];
      if (route.proto && route.proto !== 'http') options.push(`proto=${route.proto}`);
      if (route.strip) options.push(`strip=${route.strip}`);
      if (route.tlsSkipVerify) options.push('tlsskipverify=true');
      return [`${URLPREFIX}${routeSource(route.host, route.path)}`, ...options].join(' ');
    }
  }
}

/** The route source Fabio matches on: `host/path` or `/path`; hosts are case-insensitive. */
export function routeSource(host: string | undefined, path: string | undefined): string {
  return `${host ? host.toLowerCase() : ''}${path ?? '/'}`;
}

/** A comparable key for duplicate detection: TCP routes by port, HTTP routes by host and path. */
export function routeKey(route: FabioRoute): string {
  return route.kind === 'tcp' ? `tcp :${route.port}` : routeSource(route.host, route.path);
}
