/**
 * Admin endpoints of the simulated apps and Fabio, under `/_sandbox/` on the Nomad listener:
 * `apps` (scripted answers), `traffic` (synthetic requests) and `fabio/routes` (the table).
 */
import type { ServerResponse } from 'node:http';
import { type Router, asObject, parseJsonBody, sendJson } from './http.ts';
import type { AppBehaviour, InstanceSelector, TrafficSimulation } from './traffic-simulation.ts';

const SELECTORS: readonly string[] = ['all', 'canary', 'stable'];

/** Adds the routes to the admin router. Handler errors become `400 {"error"}` there. */
export function addTrafficRoutes(router: Router, simulation: TrafficSimulation): void {
  const ok = (res: ServerResponse, value: unknown = { ok: true }): void => sendJson(res, 200, value);
  router.add(['GET'], '/_sandbox/apps', (r) => ok(r.res, { behaviours: simulation.describe().apps, instances: simulation.describe().instances }));
  // setApp checks the behaviour field by field and throws on anything invalid.
  router.add(['PUT', 'POST'], '/_sandbox/apps/:service', (r) => (simulation.setApp(r.params.service ?? '', jsonBody(r.body) as AppBehaviour), ok(r.res)));
  router.add(['DELETE'], '/_sandbox/apps', (r) => (simulation.clearApps(), ok(r.res)));
  router.add(['DELETE'], '/_sandbox/apps/:service', (r) => {
    const instances = r.url.searchParams.get('instances');
    if (instances !== null && !SELECTORS.includes(instances)) throw new Error(`instances must be one of ${SELECTORS.join(', ')}`);
    simulation.clearApps(r.params.service, (instances ?? undefined) as InstanceSelector | undefined);
    ok(r.res);
  });
  router.add(['GET'], '/_sandbox/traffic', (r) => ok(r.res, simulation.describe().traffic));
  router.add(['PUT', 'POST'], '/_sandbox/traffic', (r) => {
    const body = jsonBody(r.body);
    if (typeof body.rps !== 'number') throw new Error('rps must be a number (0 stops the route\'s traffic)');
    if (typeof body.route === 'string') simulation.setTraffic(body.route, { rps: body.rps });
    else if (typeof body.path === 'string') simulation.setTraffic({ path: body.path, ...(typeof body.host === 'string' ? { host: body.host } : {}) }, { rps: body.rps });
    else throw new Error('give "route" (URL, host/path or /path) or "path" with an optional "host"');
    ok(r.res);
  });
  router.add(['GET'], '/_sandbox/fabio', (r) => ok(r.res, simulation.describe()));
  router.add(['GET'], '/_sandbox/fabio/routes', (r) => ok(r.res, simulation.routes()));
}

function jsonBody(body: Buffer): Record<string, unknown> {
  const parsed = parseJsonBody(body);
  const object = parsed.ok ? asObject(parsed.value) : undefined;
  if (!object) throw new Error('body must be a JSON object');
  return object;
}
