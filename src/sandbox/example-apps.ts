/**
 * How the sandbox's simulated instances of this repository's example jobs (jobs/) answer: with the
 * real example apps of examples/apps/ (their own handlers, placeholder configuration), so the
 * demo's smoke checks, canary traffic and each instance's `/metrics` meet the same code a Nomad
 * agent would run. Scripted faults go on top: `{ ...EXAMPLE_APPS.api, instances: 'canary',
 * errorRatio: 1 }` is the real api answering 503 on its canaries, counted in their own metrics.
 */
import type { AppBehaviour } from './apps/index.ts';
import type { TrafficRoute } from './fabio/traffic.ts';

/** Per Consul service: the example app every instance runs. */
export const EXAMPLE_APPS: Readonly<Record<string, AppBehaviour>> = {
  www: { app: 'www' },
  api: { app: 'api' },
  worker: { app: 'worker' },
};

/**
 * Background traffic of the demo's prod, so canary analysis has requests to measure (requests per
 * second). An error-free canary needs 32 requests in its step for a 90 % verdict under a 5 % bound
 * (src/canary/evidence.ts): 200 rps at a 5 % weight brings it ~10 a second, enough for the demo's
 * 6 s steps even though the first second of a new instance falls before its first scrape.
 */
export function exampleTraffic(domain: string): readonly { readonly route: TrafficRoute; readonly rps: number }[] {
  return [
    { route: { path: '/api/products' }, rps: 200 },
    { route: { host: `www.${domain}`, path: '/' }, rps: 40 },
  ];
}
