/**
 * What the sandbox's simulated instances of this repository's example jobs (jobs/) answer, so the
 * demo's smoke checks and canary traffic have something to talk to. Written out by hand, not
 * derived from the smoke checks: change a check's expectation without changing the app here and
 * the demo's verification fails, as it would against a real app.
 */
import type { AppBehaviour } from './apps/index.ts';
import type { TrafficRoute } from './fabio/traffic.ts';

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json';

/** Per Consul service: scripted answers of every instance (paths as the app sees them, after Fabio's strip). */
export const EXAMPLE_APPS: Readonly<Record<string, AppBehaviour>> = {
  www: {
    responses: {
      '/': { body: '<!doctype html><html><head><title>Example shop</title></head><body>Simulated by the drover sandbox</body></html>', contentType: HTML },
      '/healthz': { body: 'ok' },
    },
  },
  api: {
    responses: {
      '/products': { body: '[{"id":1,"name":"Simulated product"}]', contentType: JSON_TYPE },
      '/ready': { body: 'ready' },
      '/healthz': { body: 'ok' },
    },
  },
};

/** Background traffic of the demo's prod, so canary analysis has requests to measure (requests per second). */
export function exampleTraffic(domain: string): readonly { readonly route: TrafficRoute; readonly rps: number }[] {
  return [
    { route: { path: '/api/products' }, rps: 40 },
    { route: { host: `www.${domain}`, path: '/' }, rps: 10 },
  ];
}
